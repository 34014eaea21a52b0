import importlib
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from conftest import COUNTY, TOWN_A
from cunshe.accounts.services import department_create
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.eligibility.models import ExclusionRule
from cunshe.eligibility.selectors import rules_in_force, rules_visible
from cunshe.eligibility.services import exclusion_rule_add, exclusion_rule_update, exclusion_rules_install_defaults
from cunshe.records.models import RecordEntry


def test_the_ten_exclusions_install_once_with_their_departments(zouping: Any) -> None:
    police = department_create(actor=SYSTEM, county_code=COUNTY, name="市公安局")
    assert exclusion_rules_install_defaults(actor=SYSTEM, county_code=COUNTY) == 10
    assert exclusion_rules_install_defaults(actor=SYSTEM, county_code=COUNTY) == 0
    crime = ExclusionRule.objects.get(county_id=COUNTY, code="2")
    assert crime.lookback_years is None and crime.department == police
    assert rules_in_force(COUNTY, date(2026, 11, 1)).count() == 10


def test_rules_change_by_date(make_user: Any) -> None:
    organizer = make_user("county_organizer", COUNTY)
    exclusion_rules_install_defaults(actor=organizer, county_code=COUNTY)
    rule = ExclusionRule.objects.get(county_id=COUNTY, code="6")
    exclusion_rule_update(
        actor=organizer,
        rule=rule,
        expected_version=rule.version,
        text=rule.text,
        lookback_years=None,
        department=None,
        effective_until=date(2025, 12, 31),
    )
    assert rules_in_force(COUNTY, date(2025, 6, 1)).filter(code="6").exists()
    assert not rules_in_force(COUNTY, date(2026, 6, 1)).filter(code="6").exists()
    with pytest.raises(DomainError) as caught:
        exclusion_rule_update(
            actor=organizer,
            rule=rule,
            expected_version=rule.version,
            text="",
            lookback_years=99,
            department=None,
            effective_until=date(2019, 1, 1),
        )
    assert set(caught.value.field_errors) == {"text", "lookback_years", "effective_until"}


def test_everyone_in_the_county_reads_the_rules_only_organizers_change_them(make_user: Any) -> None:
    exclusion_rules_install_defaults(actor=SYSTEM, county_code=COUNTY)
    officer = make_user("town_officer", TOWN_A)
    assert rules_visible(officer).count() == 10
    rule = ExclusionRule.objects.get(county_id=COUNTY, code="1")
    with pytest.raises(NotPermitted):
        exclusion_rule_update(
            actor=officer,
            rule=rule,
            expected_version=rule.version,
            text="x",
            lookback_years=None,
            department=None,
            effective_until=None,
        )


def test_the_national_list_is_the_2020_source_text_without_look_back_years(make_user: Any) -> None:
    organizer = make_user("county_organizer", COUNTY)
    exclusion_rules_install_defaults(actor=organizer, county_code=COUNTY)
    rules = {r.code: r for r in ExclusionRule.objects.filter(county_id=COUNTY)}
    assert all(r.lookback_years is None for r in rules.values())
    assert "黄赌毒" not in rules["2"].text and "封建迷信" not in rules["2"].text
    assert "封建迷信" in rules["4"].text and "黄赌毒" in rules["4"].text and "宗族势力" in rules["4"].text
    # A look-back the county wants is its own dated rule, never a change to the national text.
    crime = rules["2"]
    with pytest.raises(DomainError) as caught:
        exclusion_rule_update(
            actor=organizer,
            rule=crime,
            expected_version=crime.version,
            text=crime.text,
            lookback_years=5,
            department=None,
            effective_until=None,
        )
    assert "另立本县规则" in caught.value.field_errors["lookback_years"][0]
    own = exclusion_rule_add(
        actor=organizer,
        county_code=COUNTY,
        code="2-县",
        title="受过刑事处罚（本县追溯 5 年）",
        text="本县规定：受过刑事处罚的，追溯 5 年。",
        lookback_years=5,
        department=None,
        effective_from=date(2026, 12, 1),
    )
    assert own.source == "本县规定" and own.lookback_years == 5
    assert not rules_in_force(COUNTY, date(2026, 11, 30)).filter(code="2-县").exists()
    assert rules_in_force(COUNTY, date(2026, 12, 1)).filter(code="2-县").exists()
    assert RecordEntry.objects.filter(event="eligibility.rule_added", region_id=COUNTY).exists()
    with pytest.raises(DomainError) as caught:
        exclusion_rule_add(
            actor=organizer,
            county_code=COUNTY,
            code="2",
            title="冒用编号",
            text="x",
            lookback_years=None,
            department=None,
            effective_from=date(2026, 12, 1),
        )
    assert "全国“十不选”" in caught.value.field_errors["code"][0]
    officer = make_user("town_officer", TOWN_A)
    with pytest.raises(NotPermitted):  # sees the county's rules, may not add one
        exclusion_rule_add(
            actor=officer,
            county_code=COUNTY,
            code="9-县",
            title="乡镇不能立规",
            text="x",
            lookback_years=3,
            department=None,
            effective_from=date(2026, 12, 1),
        )


def test_installed_rules_are_corrected_by_retiring_them_never_by_deleting(zouping: Any) -> None:
    migration = importlib.import_module("cunshe.eligibility.migrations.0002_ten_exclusions_source_text")
    old = {"2": ("受过刑事处罚、存在“村霸”和涉黑涉恶、涉黄赌毒等问题的", 5), "6": ("旧条文六", 7), "8": (None, None)}
    for code, (text, years) in old.items():
        ExclusionRule.objects.create(
            county_id=COUNTY,
            code=code,
            title=f"旧{code}",
            text=text or migration.SOURCE_TEXT[code][1],
            lookback_years=years,
            source=migration.SOURCE,
            effective_from=date(2020, 1, 1),
        )
    ExclusionRule.objects.filter(code="8").update(title=migration.SOURCE_TEXT["8"][0])
    migration.correct(django_apps, None)
    today = timezone.localdate()
    retired = ExclusionRule.objects.get(county_id=COUNTY, code="2", effective_from=date(2020, 1, 1))
    assert retired.effective_until == today - timedelta(days=1) and retired.lookback_years == 5  # history kept
    now = {r.code: r for r in rules_in_force(COUNTY, today)}
    assert now["2"].lookback_years is None and "黄赌毒" not in now["2"].text
    assert now["8"].effective_from == date(2020, 1, 1)  # already the source text: untouched
    # Rule 6 had 7 years, not the old default of 3: the county chose it, so it lives on as the county's own rule.
    assert now["6"].lookback_years is None and now["6-县"].lookback_years == 7 and now["6-县"].source == "本县规定"
    assert "2-县" not in now  # 5 years on rule 2 was the old default, not the county's choice


def test_the_api_installs_the_ten_and_dates_a_rules_end_as_the_page_does(make_user: Any, api_as: Any) -> None:
    organizer = api_as(make_user("county_organizer", COUNTY))
    assert organizer.post(
        "/api/v1/eligibility/rules/defaults", {"county": COUNTY}, content_type="application/json"
    ).json() == {"added": 10}
    assert organizer.post(
        "/api/v1/eligibility/rules/defaults", {"county": COUNTY}, content_type="application/json"
    ).json() == {"added": 0}
    rule = ExclusionRule.objects.get(county_id=COUNTY, code="2")
    body = {"version": rule.version, "text": rule.text, "effective_until": "2031-12-31"}
    saved = organizer.patch(f"/api/v1/eligibility/rules/{rule.pk}", body, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["effective_until"] == "2031-12-31"
    # The same edit again carries a version that is no longer current: nothing is overwritten.
    stale = organizer.patch(
        f"/api/v1/eligibility/rules/{rule.pk}",
        {**body, "effective_until": "2030-01-01"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert ExclusionRule.objects.get(pk=rule.pk).effective_until == date(2031, 12, 31)
    officer = api_as(make_user("town_officer", TOWN_A))
    refused = officer.patch(
        f"/api/v1/eligibility/rules/{rule.pk}",
        {**body, "version": saved.json()["version"]},
        content_type="application/json",
    )
    assert refused.status_code == 403
