"""A further round (另行选举) or a rerun (重新选举) gets its register when the round opens: the previous round's voters
with their groups and routes, recorded as built from round N, then open for 四增四减 until the round publishes it."""

from datetime import date, timedelta
from typing import Any

import pytest

from conftest import TOWN_A, TOWN_B, VILLAGE_A, new_person
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.counts.services import further_round_open, scan_add, sheet_enter, sheet_sign_off
from cunshe.counts.tests.factories import PNG, sheet_data, voting_election
from cunshe.elections.models import ElectionResult, ResultStatus, Round
from cunshe.records.models import RecordEntry
from cunshe.results.services import result_void_confirm
from cunshe.results.tests.helpers import DAY, counted, villagers
from cunshe.voters.models import ChangeReason, Register, Route, Voter
from cunshe.voters.selectors import registered_total
from cunshe.voters.services import register_build, register_publish, voter_add, voter_remove

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {
        "cadre1": make_user("village_cadre", VILLAGE_A),
        "cadre2": make_user("village_cadre", VILLAGE_A),
        "officer": make_user("town_officer", TOWN_A),
    }


def _counted_with_a_seat_left(p: dict[str, Any]) -> dict[str, Any]:
    c = voting_election(stations=1, voters=10)
    # the count factory writes register rows directly (see its note): give two of them a group and a route
    first, second = Voter.objects.filter(register__election=c["election"]).order_by("pk")[:2]
    Voter.objects.filter(pk=first.pk).update(group="第二村民小组")
    Voter.objects.filter(pk=second.pk).update(route=Route.NON_HUKOU, consent="2026年10月村民代表会议同意")
    data = sheet_data(c, issued=8, returned=8, d1=2, d2=6, m1=6, m2=3, m3=3)
    sheet_enter(actor=p["cadre1"], election=c["election"], station=c["stations"][0], data=data)
    sheet = sheet_enter(actor=p["cadre2"], election=c["election"], station=c["stations"][0], data=data)
    scan_add(actor=p["cadre1"], sheet=sheet, name="计票单.png", content_type="image/png", content=PNG)
    sheet_sign_off(actor=p["officer"], sheet=sheet, expected_version=sheet.version)
    c["election"].refresh_from_db()
    return {**c, "first": first, "second": second}


def test_the_further_round_opens_with_the_previous_register_and_a_cadre_cannot_open_it(
    people: dict[str, Any],
) -> None:
    c = _counted_with_a_seat_left(people)
    election = c["election"]
    assert ElectionResult.objects.get(election=election).status in ("further_round", "tie")
    with pytest.raises(NotPermitted):
        further_round_open(actor=people["cadre1"], election=election, election_day=date(2026, 12, 27))
    assert not Register.objects.filter(election__parent=election).exists()

    further = further_round_open(actor=people["officer"], election=election, election_day=date(2026, 12, 27))
    register = Register.objects.get(election=further)
    assert register.previous == Register.objects.get(election=election)
    carried = {v.person_id: v for v in register.voters.all()}
    assert len(carried) == 10 and registered_total(further) == registered_total(election) == 10
    assert carried[c["first"].person_id].group == "第二村民小组"
    assert carried[c["second"].person_id].route == Route.NON_HUKOU
    assert carried[c["second"].person_id].consent == "2026年10月村民代表会议同意"
    entry = RecordEntry.objects.filter(event="voters.built", region_id=VILLAGE_A).latest("pk")
    assert "依第 1 轮" in entry.summary and "10 人" in entry.summary

    # open for 四增四减 before the round publishes it: a cadre adds one newly 18 and removes one who moved out
    young = new_person(name="新满十八", birth_date=date(2008, 12, 25))
    voter_add(actor=people["cadre1"], register=register, person=young, reason=ChangeReason.NEWLY_ADULT, on=DAY)
    moved = register.voters.exclude(person=young).first()
    assert moved is not None
    voter_remove(actor=people["cadre1"], voter=moved, reason=ChangeReason.MOVED_OUT, evidence="户口迁出证明", on=DAY)
    assert registered_total(further) == 10 and registered_total(election) == 10
    # the first round's register is untouched
    assert Voter.objects.filter(register__election=election, person=young).count() == 0


def test_the_register_page_and_api_say_where_the_rounds_register_came_from(
    people: dict[str, Any], web_as: Any, api_as: Any, make_user: Any
) -> None:
    c = _counted_with_a_seat_left(people)
    further = further_round_open(actor=people["officer"], election=c["election"], election_day=date(2026, 12, 27))
    page = web_as(people["cadre1"]).get(f"/voters/{further.pk}/").content.decode()
    assert "依第 1 轮（村民委员会选举，2026-12-20）选民名单编制" in page
    answer = api_as(people["cadre1"]).get(f"/api/v1/voters/{further.pk}")
    assert answer.status_code == 200 and answer.json()["built_from"].startswith("依第 1 轮")
    # another town's officer does not see the round at all
    stranger = make_user("town_officer", TOWN_B)
    assert api_as(stranger).get(f"/api/v1/voters/{further.pk}").status_code == 404
    assert web_as(stranger).get(f"/voters/{further.pk}/").status_code == 404


def test_the_rerun_starts_from_the_void_rounds_register_numbered_by_its_chain(people: dict[str, Any]) -> None:
    for _ in range(4):
        new_person(VILLAGE_A)
    election = villagers()
    built = register_build(actor=SYSTEM, election=election, on=date(2026, 10, 20)).register
    counted(election, [], status=ResultStatus.RERUN, returned=1)
    with pytest.raises(NotPermitted):
        result_void_confirm(
            actor=people["cadre1"], election=election, on=DAY, rerun_day=date(2026, 11, 29),
            expected_version=election.version,
        )  # fmt: skip
    rerun = result_void_confirm(
        actor=people["officer"], election=election, on=DAY, rerun_day=date(2026, 11, 29),
        expected_version=election.version,
    )  # fmt: skip
    assert rerun.round == Round.RERUN
    register = Register.objects.get(election=rerun)
    assert register.previous == built and register.built_on == DAY
    assert {v.person_id for v in register.voters.all()} == {
        v.person_id for v in built.voters.filter(removed_on__isnull=True)
    }
    entry = RecordEntry.objects.filter(event="voters.built", object_id=str(register.pk)).get()
    assert "重新选举" in entry.summary and "依第 1 轮" in entry.summary
    # built once: building it again by hand is refused
    with pytest.raises(DomainError, match="已经编制"):
        register_build(actor=people["officer"], election=rerun, on=DAY)


def test_a_further_round_a_week_away_publishes_the_register_carried_from_the_first_round(
    people: dict[str, Any],
) -> None:
    """The 20 days before election day count from the carried list's own publication: a further round held a week
    after the first can publish its register; a first round a week away still cannot (elections' own tests)."""
    c = _counted_with_a_seat_left(people)
    election = c["election"]
    assert election.register_published_on is not None
    day = election.election_day + timedelta(days=7)
    further = further_round_open(actor=people["officer"], election=election, election_day=day)
    register = Register.objects.get(election=further)
    register_publish(actor=people["officer"], register=register, on=election.election_day + timedelta(days=1),
                     expected_version=register.version)  # fmt: skip
    further.refresh_from_db()
    assert further.status == "register_published"
