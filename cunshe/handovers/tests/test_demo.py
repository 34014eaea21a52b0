"""The demo's leader handovers above the village: 黛溪街道党工委's secretary completed and filed, 市农业农村局's
director open with the freeze notice sent."""

from __future__ import annotations

from datetime import date, timedelta

from cunshe.accounts.models import User
from cunshe.elections.demo import story_today
from cunshe.handovers import demo
from cunshe.handovers.models import ConductRecord, GroupParty, Handover, Kind, NoticeKind, Status
from cunshe.handovers.selectors import conduct_of
from cunshe.records.models import RecordEntry


def test_the_demo_story_of_leader_handovers(demo_county: None) -> None:
    today = story_today()  # the day the demo was built
    counts = (Handover.objects.count(), ConductRecord.objects.count(), RecordEntry.objects.count())
    demo.build_demo(seed=2026)  # safe to run twice
    assert (Handover.objects.count(), ConductRecord.objects.count(), RecordEntry.objects.count()) == counts
    finance, audit = User.objects.get(username="caizheng"), User.objects.get(username="shenji")
    departments = {
        u.username: u.role_assignments.values_list("department__name", flat=True).get() for u in (finance, audit)
    }
    assert departments == {"caizheng": "市财政局", "shenji": "市审计局"}

    town = Handover.objects.get(kind=Kind.UNIT, unit_name="黛溪街道党工委")
    assert town.region_id == "371681001" and town.post == "党工委书记" and town.status == Status.COMPLETED
    assert town.starts_on == today - timedelta(days=1) and not town.accounts_frozen
    group = {m.party: m.user.username for m in town.group.all()}
    assert group == {
        GroupParty.ORGANIZATION: "zzb",
        GroupParty.DISCIPLINE: "jiwei",
        GroupParty.FINANCE: "caizheng",
        GroupParty.AUDIT: "shenji",
    }
    # the freeze notice went first (completion is refused without it); the lifting notice came with the completion
    notices = list(town.freeze_notices.order_by("pk"))
    assert [n.kind for n in notices] == [NoticeKind.FREEZE, NoticeKind.LIFT]
    assert {n.addressed_to for n in notices} == {"邹平市财政局"}
    entry = ConductRecord.objects.get(handover=town)
    assert entry.person_id == town.outgoing_id and "询问追问 1 项（已答复 1 项）" in entry.handover_summary
    # the 执行力档案 is read by the county's reviewers of handovers, not by the other town
    assert list(conduct_of(User.objects.get(username="jiwei"), town.outgoing_id)) == [entry]
    assert list(conduct_of(User.objects.get(username="huangshan"), town.outgoing_id)) == []

    county = Handover.objects.get(kind=Kind.UNIT, unit_name="邹平市农业农村局")
    assert county.region_id == "371681" and county.status == Status.OPEN and county.starts_on == today
    assert county.accounts_frozen
    assert [n.kind for n in county.freeze_notices.all()] == [NoticeKind.FREEZE]
    assert not ConductRecord.objects.filter(handover=county).exists()
    # nothing before what causes it: the handovers start after the villages' elections of 黛溪 (2026-11-15)
    assert min(h.starts_on for h in Handover.objects.filter(kind=Kind.UNIT)) > date(2026, 11, 15)
