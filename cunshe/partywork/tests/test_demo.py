from cunshe.partywork import demo
from cunshe.partywork.models import (
    Addendum,
    Branch,
    CadenceStatus,
    FloatingCard,
    FloatingGroup,
    FloatingMember,
    ModelPost,
    PartyMeeting,
)
from cunshe.records.models import RecordEntry
from cunshe.records.verification import verify_all


def test_the_demo_story_of_party_work(demo_county: None) -> None:
    demo.build_demo(seed=2026)  # safe to run twice
    # every village whose new party committee is in place has its branch, opened by the system through the teams
    # hook: 黛溪街道's (elected 2026-11-08, with the meetings since) and 黄山街道's (elected 2026-11-22)
    everywhere = list(Branch.objects.order_by("region_id"))
    branches = [b for b in everywhere if b.region_id.startswith(demo.TOWN_A)]
    assert len(branches) == 6 and {str(b.formed_on) for b in branches} == {"2026-11-08"}
    later = {str(b.formed_on) for b in everywhere if b not in branches}
    assert len(everywhere) == 12 and later == {"2026-11-22"}
    assert not RecordEntry.objects.filter(event="partywork.branch_opened").exclude(actor_name="系统").exists()
    first = PartyMeeting.objects.order_by("held_at").first()
    assert first is not None and str(first.held_at.date()) >= "2026-11-08"
    assert PartyMeeting.objects.filter(status="draft").count() == 1 and Addendum.objects.count() == 1
    overdue = set(CadenceStatus.objects.filter(due_on__lt="2026-12-05").values_list("region_id", flat=True))
    # 黛溪街道: the one branch the story leaves without its November meetings; 黄山街道's branches, opened 2026-11-22
    # with no meetings recorded yet, owe November's committee meeting (the cadence counts from the committee's day)
    assert {c for c in overdue if c.startswith(demo.TOWN_A)} == {branches[demo.OVERDUE_PLACE].region_id}
    assert {c for c in overdue if not c.startswith(demo.TOWN_A)} == {
        b.region_id for b in everywhere if b not in branches
    }
    group = FloatingGroup.objects.get()
    assert group.kind == "boat" and str(group.formed_on) == "2026-11-20" and group.dissolved_on is None
    joined = sorted(str(d) for d in group.memberships.filter(left_on__isnull=True).values_list("joined_on", flat=True))
    assert joined == ["2026-11-20"] * 3 + ["2026-11-27"]  # the fourth boat joined a week later
    assert RecordEntry.objects.filter(event="partywork.group_joined", actor_name="系统").count() == 1
    assert FloatingMember.objects.filter(report_due_on__lt="2026-12-05").count() == 1
    # one model post ended after the new committee took office, kept with its two ratings
    ended = ModelPost.objects.get(ended_on__isnull=False)
    assert str(ended.ended_on) == "2026-11-20" and ended.ratings.count() == 2
    assert ended.region_id == branches[demo.ENDED_PLACE].region_id
    # the one who has not reported home holds a card that expired in May
    expired = FloatingCard.objects.get(valid_until__lt="2026-12-05", revoked_on__isnull=True)
    assert str(expired.member.report_due_on) == "2025-12-31" and str(expired.valid_until) == "2026-05-05"
    assert verify_all()[1] == []
