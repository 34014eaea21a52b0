"""The national rule sets (RULES.md): the floor every province's and county's rules build on. Provinces' sets are
loaded as data (`cunshe elections rules-load`); a county tightens through its page."""

from datetime import date

from django.db import migrations

LAW_2025 = (
    "《中华人民共和国村民委员会组织法》（2025年10月28日修正，2026年1月1日起施行）；民政部《村民委员会选举规程》"
)
COMMON = {
    "province": "",
    "extra_head_min": 1,
    "extra_deputy_min": 1,
    "extra_member_min": 1,
    "extra_member_max": 3,
    "party_margin": "1/5",
    "register_days_before": 20,
    "objection_days": 5,
    "objection_decision_days": 3,
    "candidates_days_before": 5,
    "election_committee_min": 5,
    "election_committee_max": 9,
    "scrutineers_min": 3,
    "proxy_cap": 3,
    "turnout": "1/2",
    "win": "1/2",
    "further_floor": "1/3",
    "further_turnout_required": True,
    "vacancy_min_members": 3,
    "aggregation": False,
    "meeting_quorum": "4/5",
    "meeting_quorum_inclusive": False,
}
SETS = [
    {
        "kind": "villagers",
        "name": "村民委员会选举办法（全国通用）",
        "source": LAW_2025,
        "effective_from": date(2026, 1, 1),
        "seats_min": 3,
        "seats_max": 7,
        "woman_seat": "fill_last_member",
    },
    {
        "kind": "residents",
        "name": "居民委员会选举办法（全国通用）",
        "source": "《中华人民共和国城市居民委员会组织法》（2025年修订，2026年1月1日起施行）；未另行规定的参照村民委员会选举规程",
        "effective_from": date(2026, 1, 1),
        "seats_min": 5,
        "seats_max": 9,
        "woman_seat": "fill_last_member",
    },
    {
        "kind": "supervision",
        "name": "村(居)务监督委员会选举办法（全国通用）",
        "source": LAW_2025 + "：由村民会议或者村民代表会议在村民中推选产生，村民委员会成员及其近亲属不得担任",
        "effective_from": date(2026, 1, 1),
        "seats_min": 3,
        "seats_max": 5,
        "woman_seat": "none",
        # elected in the representatives' meeting: quorum 2/3 of representatives or more (以上, inclusive)
        "meeting_quorum": "2/3",
        "meeting_quorum_inclusive": True,
    },
    {
        "kind": "party",
        "name": "村(社区)党组织选举办法（全国通用）",
        "source": "《中国共产党基层组织选举工作条例》（2020年7月）",
        "effective_from": date(2020, 7, 13),
        "seats_min": 3,
        "seats_max": 7,
        "woman_seat": "none",
    },
]


def create(apps, schema_editor):
    ElectionRules = apps.get_model("elections", "ElectionRules")
    for values in SETS:
        fields = {**COMMON, **values}
        ElectionRules.objects.get_or_create(
            kind=fields.pop("kind"),
            province="",
            county=None,
            effective_from=fields.pop("effective_from"),
            defaults={k: v for k, v in fields.items() if k != "province"},
        )


def remove(apps, schema_editor):
    apps.get_model("elections", "ElectionRules").objects.filter(province="", county=None).delete()


class Migration(migrations.Migration):
    dependencies = [("elections", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
