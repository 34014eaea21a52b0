from datetime import date
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from typing import Any

import pytest
import python_calamine
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.assessments.models import Poll, TrustAssessment, VillageSummary
from cunshe.assessments.scoring import rounded
from cunshe.assessments.selectors import results_of, rollup, rollup_total
from cunshe.assessments.services import (
    assessment_move,
    assessment_open,
    ballot_add,
    poll_enter_totals,
    weights_set,
)
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Level, Region
from cunshe.teams.services import member_appoint
from cunshe.termchanges.services import term_change_open

ENTITLED = {"party": 100, "representative": 50, "satisfaction": 200}


@pytest.fixture
def term_change(zouping: Any) -> Any:
    return term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("town_officer", TOWN_A)


def _member(make_person: Any, village: str = VILLAGE_A, post: str = "committee_member", name: str = "") -> Any:
    person = make_person(village, name=name) if name else make_person(village)
    return member_appoint(
        actor=SYSTEM, village_code=village, person=person, committee="villagers", post=post, started_on=date(2021, 6, 1)
    )


def _open(actor: Any, village: str = VILLAGE_A, **kw: Any) -> TrustAssessment:
    args: dict[str, Any] = {"held_on": date(2026, 10, 8), "method": "totals", "base": "valid", "entitled": ENTITLED}
    args.update(kw)
    return assessment_open(actor=actor, village_code=village, **args)


def _polls(assessment: TrustAssessment) -> dict[str, Poll]:
    return {p.kind: p for p in Poll.objects.filter(assessment=assessment)}


def _enter(actor: Any, poll: Poll, cast: int, counts: dict[int, tuple[int, int, int]], invalid: int = 0) -> Poll:
    poll.refresh_from_db()
    return poll_enter_totals(
        actor=actor, poll=poll, cast=cast, invalid=invalid, tallies=counts, expected_version=poll.version
    )


def _score(actor: Any, assessment: TrustAssessment, member_id: int, party: int, rep: int, sat: int) -> None:
    """Give the member `party`/`rep`/`sat` good votes of 100 valid, the rest poor."""
    polls = _polls(assessment)
    for kind, good in (("party", party), ("representative", rep), ("satisfaction", sat)):
        polls[kind].entitled = max(polls[kind].entitled, 100)
        Poll.objects.filter(pk=polls[kind].pk).update(entitled=polls[kind].entitled)
        _enter(actor, polls[kind], 100, {member_id: (good, 0, 100 - good)})


def test_combined_score_uses_the_default_weights_3_5_2(term_change: Any, officer: Any, make_person: Any) -> None:
    member = _member(make_person)
    assessment = _open(officer)
    assert assessment.weights_text == "3:5:2"
    _score(officer, assessment, member.pk, party=80, rep=60, sat=90)
    result = results_of(assessment).get()
    # (80×3 + 60×5 + 90×2) ÷ 10 = 72
    assert (result.party_rate, result.representative_rate, result.satisfaction_rate) == (80, 60, 90)
    assert result.combined == Decimal("72.00")
    # 72 passes the line of 70, but 40% of the representatives distrust the member (over 33.33%).
    assert result.flagged and "低于" not in result.flag_reason and "村民代表信任票" in result.flag_reason


def test_the_combined_score_rounds_once_from_the_exact_rates(term_change: Any, officer: Any, make_person: Any) -> None:
    member = _member(make_person)
    assessment = _open(officer)
    polls = _polls(assessment)
    for kind, good in (("party", 1), ("representative", 1), ("satisfaction", 3)):
        _enter(officer, polls[kind], 6, {member.pk: (good, 0, 6 - good)})
    result = results_of(assessment).get()
    # (100/6 × 3 + 100/6 × 5 + 300/6 × 2) ÷ 10 = 23.333…; from the rounded rates 16.67 and 50.00 it would be 23.34.
    assert (result.party_rate, result.satisfaction_rate) == (Decimal("16.67"), Decimal("50.00"))
    assert result.combined == Decimal("23.33")
    assert rounded(Fraction(763540, 10000)) == Decimal("76.35") and rounded(Fraction(76355, 1000)) == Decimal("76.36")


def test_a_poll_with_only_invalid_ballots_cannot_close_the_assessment(
    term_change: Any, officer: Any, make_person: Any
) -> None:
    member = _member(make_person)
    assessment = _open(officer)
    _score(officer, assessment, member.pk, 90, 90, 90)
    polls = _polls(assessment)
    _enter(officer, polls["satisfaction"], 5, {member.pk: (0, 0, 0)}, invalid=5)
    assert results_of(assessment).get().combined is None
    assessment.refresh_from_db()
    with pytest.raises(DomainError, match="没有有效票"):
        assessment_move(actor=officer, assessment=assessment, to_status="closed", expected_version=assessment.version)
    assert TrustAssessment.objects.get(pk=assessment.pk).status != "closed"


def test_the_county_weights_in_force_on_the_assessment_date_apply(
    term_change: Any, officer: Any, make_user: Any, make_person: Any
) -> None:
    organizer = make_user("county_organizer", COUNTY)
    weights_set(
        actor=organizer,
        county_code=COUNTY,
        effective_from=date(2026, 10, 1),
        party_weight=2,
        representative_weight=6,
        satisfaction_weight=2,
        flag_below=Decimal("60"),
        flag_distrust_over=Decimal("50"),
    )
    _member(make_person, VILLAGE_A)
    _member(make_person, VILLAGE_B)
    before = _open(officer, VILLAGE_A, held_on=date(2026, 9, 30))
    after = _open(SYSTEM, VILLAGE_B, held_on=date(2026, 10, 2))
    assert before.weights_text == "3:5:2" and before.flag_below == Decimal("70")
    assert after.weights_text == "2:6:2" and after.flag_below == Decimal("60")
    # The assessment keeps its weights: a later setting does not rewrite a past result.
    weights_set(
        actor=organizer,
        county_code=COUNTY,
        effective_from=date(2026, 10, 2),
        party_weight=1,
        representative_weight=1,
        satisfaction_weight=1,
        flag_below=Decimal("60"),
        flag_distrust_over=Decimal("50"),
    )
    assert TrustAssessment.objects.get(pk=after.pk).weights_text == "2:6:2"


def test_only_county_organizers_set_weights_and_bad_weights_are_refused(
    term_change: Any, officer: Any, make_user: Any
) -> None:
    args: dict[str, Any] = {
        "county_code": COUNTY,
        "effective_from": date(2026, 10, 1),
        "party_weight": 3,
        "representative_weight": 5,
        "satisfaction_weight": 2,
        "flag_below": Decimal("70"),
        "flag_distrust_over": Decimal("33"),
    }
    with pytest.raises(NotPermitted):  # the town officer sees the county's weights but may not set them: 403
        weights_set(actor=officer, **args)
    organizer = make_user("county_organizer", COUNTY)
    with pytest.raises(DomainError) as caught:
        weights_set(
            actor=organizer, **{**args, "party_weight": 0, "representative_weight": 0, "satisfaction_weight": 0}
        )
    assert "party_weight" in caught.value.field_errors
    weights_set(actor=organizer, **args)
    assert RecordEntry.objects.filter(event="assessments.weights_set", region_id=COUNTY).count() == 1


def test_more_ballots_than_eligible_voters_is_rejected(term_change: Any, officer: Any, make_person: Any) -> None:
    member = _member(make_person)
    poll = _polls(_open(officer))["representative"]  # 50 representatives
    with pytest.raises(DomainError) as caught:
        _enter(officer, poll, 51, {member.pk: (51, 0, 0)})
    assert "多于应参加人数" in caught.value.field_errors["cast"][0]
    poll.refresh_from_db()
    assert poll.cast == 0 and poll.tallies.get().good == 0  # nothing partial saved
    with pytest.raises(DomainError) as caught:
        _enter(officer, poll, 40, {member.pk: (30, 8, 3)}, invalid=2)  # 41 marks on 38 valid ballots
    assert f"member_{member.pk}" in caught.value.field_errors


def test_ballots_entered_one_by_one_stop_at_the_number_of_eligible_voters(
    term_change: Any, officer: Any, make_person: Any
) -> None:
    member = _member(make_person)
    other = _member(make_person, post="deputy_director")
    assessment = _open(officer, entitled={**ENTITLED, "party": 3}, methods={"party": "ballots"})
    party = _polls(assessment)["party"]
    assert party.method == "ballots" and _polls(assessment)["satisfaction"].method == "totals"
    ballot_add(actor=officer, poll=party, is_valid=True, marks={member.pk: "good", other.pk: "poor"})
    ballot_add(actor=officer, poll=party, is_valid=True, marks={member.pk: "fair", other.pk: "poor"})
    ballot_add(actor=officer, poll=party, is_valid=False, marks={})
    with pytest.raises(DomainError, match="选票有误"):
        ballot_add(actor=officer, poll=party, is_valid=True, marks={member.pk: "good"})
    party.refresh_from_db()
    assert (party.cast, party.invalid, party.valid) == (3, 1, 2)
    counts = {t.member_id: (t.good, t.fair, t.poor) for t in party.tallies.all()}
    assert counts == {member.pk: (1, 1, 0), other.pk: (0, 0, 2)}
    # Totals cannot overwrite a poll entered ballot by ballot.
    with pytest.raises(DomainError, match="逐张录入"):
        _enter(officer, party, 3, {})


def test_the_hundred_percent_base_is_kept_with_the_poll(term_change: Any, officer: Any, make_person: Any) -> None:
    member = _member(make_person)
    _member(make_person, VILLAGE_B)
    by_valid = _open(officer, VILLAGE_A, base="valid")
    by_entitled = _open(SYSTEM, VILLAGE_B, base="entitled")
    for assessment in (by_valid, by_entitled):
        member_id = _polls(assessment)["party"].tallies.get().member_id
        _enter(SYSTEM, _polls(assessment)["party"], 80, {member_id: (40, 0, 20)}, invalid=20)  # 60 valid of 100
    valid_rate = results_of(by_valid).get(member=member).party_rate
    entitled_rate = results_of(by_entitled).get().party_rate
    assert valid_rate == Decimal("66.67") and entitled_rate == Decimal("40.00")


def test_members_below_the_line_or_with_too_much_distrust_are_flagged(
    term_change: Any, officer: Any, make_person: Any
) -> None:
    low = _member(make_person, name="低分成员")
    distrusted = _member(make_person, post="deputy_director", name="争议成员")
    assessment = _open(officer)
    polls = _polls(assessment)
    Poll.objects.filter(assessment=assessment).update(entitled=100)
    _enter(officer, polls["party"], 100, {low.pk: (60, 0, 30), distrusted.pk: (60, 0, 40)})
    _enter(officer, polls["representative"], 100, {low.pk: (60, 0, 30), distrusted.pk: (95, 0, 5)})
    _enter(officer, polls["satisfaction"], 100, {low.pk: (60, 0, 30), distrusted.pk: (95, 0, 5)})
    results = {r.member_id: r for r in results_of(assessment)}
    assert results[low.pk].combined == Decimal("60.00") and results[low.pk].flagged
    assert "低于 70" in results[low.pk].flag_reason
    # 60×3 + 95×5 + 95×2 = 845 → 84.5, above the line, but 40% of party members distrust this member.
    assert results[distrusted.pk].combined == Decimal("84.50") and results[distrusted.pk].flagged
    assert "党员信任票不信任(不满意)率 40.00%" in results[distrusted.pk].flag_reason


def test_closing_needs_every_poll_counted_and_locks_the_counts(
    term_change: Any, officer: Any, make_person: Any
) -> None:
    member = _member(make_person)
    assessment = _open(officer)
    with pytest.raises(DomainError, match="尚未录入"):
        assessment_move(actor=officer, assessment=assessment, to_status="closed", expected_version=assessment.version)
    _score(officer, assessment, member.pk, 90, 90, 90)
    assessment.refresh_from_db()
    assessment_move(actor=officer, assessment=assessment, to_status="closed", expected_version=assessment.version)
    with pytest.raises(DomainError, match="已完成"):
        _enter(officer, _polls(assessment)["party"], 10, {member.pk: (10, 0, 0)})
    with pytest.raises(IllegalTransition):
        assessment_move(actor=officer, assessment=assessment, to_status="closed", expected_version=assessment.version)
    with pytest.raises(ConcurrentEdit):
        assessment_move(actor=officer, assessment=assessment, to_status="open", expected_version=1)
    assessment_move(actor=officer, assessment=assessment, to_status="open", expected_version=assessment.version)
    assert RecordEntry.objects.filter(event="assessments.moved", region_id=VILLAGE_A).count() == 2


def test_other_towns_cannot_open_and_read_only_roles_cannot_count(
    term_change: Any, make_user: Any, make_person: Any
) -> None:
    member = _member(make_person)
    with pytest.raises(Http404):
        _open(make_user("town_officer", TOWN_B))
    assessment = _open(SYSTEM)
    with pytest.raises(NotPermitted):
        _enter(make_user("first_secretary", VILLAGE_A), _polls(assessment)["party"], 10, {member.pk: (10, 0, 0)})


def test_no_assessment_without_a_term_change_or_a_team(zouping: Any, officer: Any, make_person: Any) -> None:
    with pytest.raises(DomainError) as caught:
        _open(officer)
    assert "region" in caught.value.field_errors


def test_roll_up_counts_closed_assessments_per_town(
    term_change: Any, officer: Any, make_user: Any, make_person: Any, django_assert_max_num_queries: Any
) -> None:
    for village in (VILLAGE_A, VILLAGE_B):
        member = _member(make_person, village)
        assessment = _open(SYSTEM, village)
        _score(SYSTEM, assessment, member.pk, 50 if village == VILLAGE_A else 90, 90, 90)
        assessment.refresh_from_db()
        assessment_move(actor=SYSTEM, assessment=assessment, to_status="closed", expected_version=assessment.version)
    organizer = make_user("county_organizer", COUNTY)
    county = Region.objects.get(code=COUNTY)
    with django_assert_max_num_queries(4):
        rows = {r.region.code: r for r in rollup(organizer, county, term_change)}
    # Half of the party members distrust the town-A member: flagged although the combined score passes.
    assert (rows[TOWN_A].assessed, rows[TOWN_A].members, rows[TOWN_A].flagged) == (1, 1, 1)
    assert rows[TOWN_B].flagged == 0
    # 50×3 + 90×5 + 90×2 = 780 → 78
    assert rows[TOWN_A].average == Decimal("78.00") and rows[TOWN_B].average == Decimal("90.00")
    assert rows[TOWN_A].villages > 1 and VillageSummary.objects.count() == 2
    total = rollup_total(county, list(rows.values()))
    assert (total.assessed, total.members, total.flagged, total.average) == (2, 2, 1, Decimal("84.00"))
    assert total.villages == Region.objects.filter(code__startswith=COUNTY, level=Level.VILLAGE).count()
    untouched = next(r for r in rows.values() if r.assessed == 0)
    assert untouched.done_rate == Decimal("0.0") and untouched.average is None
    # The town officer's roll-up leaves the other town out.
    town_rows = {r.region.code: r for r in rollup(officer, county, term_change)}
    assert town_rows[TOWN_B].assessed == 0


def test_pages_show_the_formula_results_and_export(
    term_change: Any, officer: Any, make_person: Any, web_as: Any, make_user: Any
) -> None:
    member = _member(make_person, name="测评对象甲")
    assessment = _open(officer)
    _score(officer, assessment, member.pk, 80, 60, 90)
    client = web_as(officer)
    page = client.get(f"/assessments/village/{VILLAGE_A}/").content.decode()
    assert "综合得分 = (党员信任率 × 3 + 村民代表信任率 × 5 + 满意率 × 2)" in page and "72.00" in page
    export = client.get(f"/assessments/{assessment.pk}/export/")
    rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "测评对象甲" and rows[1][5] == 72.0
    assert client.get(f"/assessments/overview/{COUNTY}/").status_code == 404
    organizer_client = web_as(make_user("county_organizer", COUNTY))
    overview = organizer_client.get(f"/assessments/overview/{COUNTY}/").content.decode()
    assert "黛溪街道" in overview and "权重设置" in overview
    table = organizer_client.get(f"/assessments/overview/{COUNTY}/export/")
    sheet = python_calamine.CalamineWorkbook.from_filelike(BytesIO(table.content)).get_sheet_by_index(0).to_python()
    assert sheet[0][:4] == ["区划代码", "名称", "村(社区)数", "已完成测评"] and any(r[0] == TOWN_A for r in sheet)
    assert sheet[-1][1] == "合计" and sheet[-1][3] == 0
    assert "<td>0.0%</td>" in overview and "—%" not in overview  # a town not yet assessed is at 0, not unknown
    assert 'aria-label="黛溪街道 测评完成率 0.0%"' in overview  # the chart beside the table


def test_three_rates_and_support_rates_follow_the_formulas(
    term_change: Any, officer: Any, make_person: Any, web_as: Any
) -> None:
    from cunshe.assessments.rates import register_opinion_source, village_rates
    from cunshe.assessments.selectors import prospects_of
    from cunshe.assessments.services import support_poll_record
    from cunshe.reserves.services import candidate_add

    # Registry: 2 party members among 4 adults, so the electorate's party share is 0.5.
    member = _member(make_person, name="现任主任")
    Person = member.person.__class__
    Person.objects.filter(pk=member.person.pk).update(is_party_member=True)
    make_person(VILLAGE_A, birth_date=date(1960, 3, 1), is_party_member=True, party_joined_on=date(1985, 7, 1))
    make_person(VILLAGE_A)
    make_person(VILLAGE_A)
    newcomer = make_person(VILLAGE_A, name="推荐人选", birth_date=date(2010, 1, 1))  # a minor is not a voter
    candidate_add(
        actor=SYSTEM, village_code=VILLAGE_A, person=newcomer, origin="recommended", added_on=date(2026, 9, 1)
    )
    assessment = _open(officer)
    _score(officer, assessment, member.pk, 80, 60, 90)
    for kind, favour, asked in (
        ("recommendation", 30, 40),
        ("party_support", 15, 20),
        ("party_support", 3, 10),
        ("public_support", 20, 50),
    ):
        support_poll_record(
            actor=officer,
            village_code=VILLAGE_A,
            person=member.person,
            kind=kind,
            held_on=date(2026, 10, 10),
            asked=asked,
            in_favour=favour,
        )
    with pytest.raises(DomainError) as caught:
        support_poll_record(
            actor=officer,
            village_code=VILLAGE_A,
            person=newcomer,
            kind="recommendation",
            held_on=date(2026, 10, 10),
            asked=10,
            in_favour=11,
        )
    assert "in_favour" in caught.value.field_errors
    with pytest.raises(Http404):
        support_poll_record(
            actor=officer,
            village_code=VILLAGE_B,
            person=make_person(VILLAGE_B),
            kind="recommendation",
            held_on=date(2026, 10, 10),
            asked=10,
            in_favour=1,
        )

    def visits(village: str, tc: Any, ids: list[int]) -> dict[int, dict[str, tuple[int, int]]]:
        return {newcomer.pk: {"public_support": (9, 10), "party_support": (1, 2)}} if newcomer.pk in ids else {}

    register_opinion_source(visits)
    try:
        rows = {
            r.person.pk: r for r in village_rates(VILLAGE_A, term_change, prospects_of(VILLAGE_A), on=date(2026, 11, 1))
        }
    finally:
        from cunshe.assessments import rates as rates_module

        rates_module._SOURCES.remove(visits)
    mine = rows[member.person.pk]
    assert mine.satisfaction == Decimal("90.00")  # from the 两票一度
    assert mine.recommendation == Decimal("75.00")  # 30 ÷ 40
    assert mine.party_support == Decimal("60.00")  # (15 + 3) ÷ (20 + 10)
    assert mine.public_support == Decimal("40.00")  # 20 ÷ 50
    assert mine.likelihood == Decimal("50.00")  # 0.5 × 60 + 0.5 × 40
    assert "现任" in mine.role and "人选库" in rows[newcomer.pk].role
    # The visits seam: a registered source's soundings count like recorded ones.
    assert rows[newcomer.pk].public_support == Decimal("90.00") and rows[newcomer.pk].likelihood == Decimal("70.00")
    page = web_as(officer).get(f"/assessments/rates/{VILLAGE_A}/").content.decode()
    assert "当选概率</strong> = 党员占比 × 党内支持率" in page and "75.00" in page
    export = web_as(officer).get(f"/assessments/rates/{VILLAGE_A}/export/")
    sheet = python_calamine.CalamineWorkbook.from_filelike(BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert sheet[0][2:] == ["满意率(%)", "推荐得票率(%)", "党内支持率(%)", "党外支持率(%)", "当选概率(%)"]
    director = next(r for r in sheet if r[0] == "现任主任")
    assert director[2:] == [90.0, 75.0, 60.0, 40.0, 50.0]
    assert next(r for r in sheet if r[0] == "推荐人选")[4] == ""  # not sounded out yet: blank, not zero


def test_results_tallies_and_rates_mark_flagged_people_at_no_cost_per_row(
    term_change: Any, officer: Any, make_person: Any, make_user: Any, web_as: Any
) -> None:
    from cunshe.readiness.tests.test_readiness import FLAG, flag_on_record

    flagged = _member(make_person, post="director", name="负面成员")
    _member(make_person, name="清白成员")
    flag_on_record(flagged.person)
    _open(officer, methods={"party": "ballots"})
    client = web_as(officer)
    with CaptureQueriesContext(connection) as two_rows:
        page = client.get(f"/assessments/village/{VILLAGE_A}/").content.decode()
    # One flagged member, marked in the results table, the ballot form of the party vote and the totals forms.
    assert page.count(FLAG) == 4 and page.count(f"负面成员{FLAG}") == 3 and f"清白成员{FLAG}" not in page
    read_only = web_as(make_user("first_secretary", VILLAGE_A)).get(f"/assessments/village/{VILLAGE_A}/")
    assert read_only.content.decode().count(FLAG) == 4
    rates = client.get(f"/assessments/rates/{VILLAGE_A}/").content.decode()
    assert rates.count(f"负面成员</a>{FLAG}") == 1 and rates.count(FLAG) == 1
    other = "371681001214"
    for n in range(4):
        _member(make_person, other, name=f"北范成员{n}")
    flag_on_record(_member(make_person, other, name="北范负面成员").person)
    _open(officer, other, methods={"party": "ballots"})
    with CaptureQueriesContext(connection) as five_rows:
        page = client.get(f"/assessments/village/{other}/").content.decode()
    assert page.count(FLAG) == 4 and len(five_rows) == len(two_rows)


def test_the_api_sets_weights_like_the_weights_page(
    term_change: Any, officer: Any, make_user: Any, make_person: Any, api_as: Any
) -> None:
    organizer = api_as(make_user("county_organizer", COUNTY))
    url = f"/api/v1/assessments/weights/{COUNTY}"
    body = {
        "effective_from": "2026-10-01",
        "party_weight": 2,
        "representative_weight": 6,
        "satisfaction_weight": 2,
        "flag_below": "60",
        "flag_distrust_over": "50",
    }
    assert organizer.get(url).json() == []  # none set: 3:5:2
    zero = organizer.post(
        url,
        {**body, "party_weight": 0, "representative_weight": 0, "satisfaction_weight": 0},
        content_type="application/json",
    )
    assert zero.status_code == 400 and "party_weight" in zero.json()["errors"]
    made = organizer.post(url, body, content_type="application/json")
    assert made.status_code == 201 and made.json()["county"] == COUNTY and made.json()["representative_weight"] == 6
    again = organizer.post(url, body, content_type="application/json")
    assert again.status_code == 400 and "effective_from" in again.json()["errors"]
    assert [w["effective_from"] for w in organizer.get(url).json()] == ["2026-10-01"]
    # Only the county's organizers set them; a town officer sees the county but may not set its weights (403).
    town = api_as(officer)
    assert town.get(url).status_code == 403
    assert town.post(url, {**body, "effective_from": "2026-10-02"}, content_type="application/json").status_code == 403
    assert organizer.get(f"/api/v1/assessments/weights/{TOWN_A}").status_code == 404  # not a county
    _member(make_person)
    assert _open(officer, held_on=date(2026, 10, 2)).weights_text == "2:6:2"


def test_blank_ballots_and_the_count_sheet_print_for_the_voters_entitled(
    term_change: Any, officer: Any, make_user: Any, make_person: Any, web_as: Any, api_as: Any
) -> None:
    _member(make_person, name="委员乙")
    _member(make_person, post="director", name="主任甲")  # appointed later, listed first: the team's order
    polls = _polls(_open(officer, entitled={"party": 3, "representative": 2, "satisfaction": 4}))
    client = web_as(officer)
    page = client.get(f"/assessments/village/{VILLAGE_A}/").content.decode()
    assert page.index("主任甲（") < page.index("委员乙（")
    party = client.get(f"/assessments/polls/{polls['party'].pk}/ballots.pdf")
    text, pages = pdf_text(party.content)
    assert party["Content-Type"] == "application/pdf" and pages == 1  # three ballots for 3 entitled, on one sheet
    assert (
        text.count("党员信任票") == 3
        and "党员信任票" in text
        and "主任甲" in text
        and "村(居)委会主任" in text
        and "委员乙" in text
    )
    assert "基本信任" in text and "不记名" in text and text.index("主任甲") < text.index("委员乙")  # as on the screen
    survey, _ = pdf_text(client.get(f"/assessments/polls/{polls['satisfaction'].pk}/ballots.pdf?copies=1").content)
    assert "满意度测评表" in survey and "基本满意" in survey and "信任票" not in survey
    sheet, pages = pdf_text(client.get(f"/assessments/polls/{polls['representative'].pk}/count-sheet.pdf").content)
    assert pages == 1 and "计票单" in sheet and "应参加村(居)民代表 2 人" in sheet and "监票人" in sheet

    # More ballots than voters is refused, on the page and in the API, and nothing is printed.
    refused = client.get(f"/assessments/polls/{polls['party'].pk}/ballots.pdf?copies=4", follow=True)
    assert refused["Content-Type"].startswith("text/html") and "不能多于应参加人数（3 人）" in refused.content.decode()
    api = api_as(officer)
    answer = api.get(f"/api/v1/assessments/polls/{polls['party'].pk}/ballots.pdf?copies=4")
    assert answer.status_code == 400 and "copies" in answer.json()["errors"]
    assert api.get(f"/api/v1/assessments/polls/{polls['party'].pk}/ballots.pdf?copies=2").status_code == 200

    other_town = web_as(make_user("town_officer", TOWN_B))
    assert other_town.get(f"/assessments/polls/{polls['party'].pk}/ballots.pdf").status_code == 404


def test_a_rate_of_zero_shows_as_zero_not_as_unknown(
    term_change: Any, officer: Any, make_person: Any, web_as: Any
) -> None:
    member = _member(make_person, name="无人信任者")
    _score(officer, _open(officer), member.pk, party=0, rep=60, sat=90)
    page = web_as(officer).get(f"/assessments/village/{VILLAGE_A}/").content.decode()
    row = page[page.index("无人信任者") :].split("</tr>")[0]
    assert "<td>0.00</td>" in row and "—" not in row  # 0% trust is the loudest warning there is


def test_the_api_hands_out_the_same_workbooks_as_the_pages(
    term_change: Any, officer: Any, make_person: Any, api_as: Any, make_user: Any
) -> None:
    member = _member(make_person, name="测评对象甲")
    assessment = _open(officer)
    _score(officer, assessment, member.pk, 80, 60, 90)
    api = api_as(officer)
    export = api.get(f"/api/v1/assessments/{assessment.pk}/export")
    rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "测评对象甲" and rows[1][5] == 72.0
    rates = api.get(f"/api/v1/assessments/rates/{VILLAGE_A}/export")
    assert rates.status_code == 200 and rates["Content-Type"].startswith("application/vnd.openxmlformats")
    # A town officer reads no county roll-up; the county organizer does.
    assert api.get(f"/api/v1/assessments/overview/{COUNTY}/export").status_code == 404
    organizer = api_as(make_user("county_organizer", COUNTY))
    table = organizer.get(f"/api/v1/assessments/overview/{COUNTY}/export")
    sheet = python_calamine.CalamineWorkbook.from_filelike(BytesIO(table.content)).get_sheet_by_index(0).to_python()
    assert sheet[-1][1] == "合计" and any(r[0] == TOWN_A for r in sheet)
    # The other town's officer sees neither the assessment nor the village's rates.
    stranger = api_as(make_user("town_officer", TOWN_B))
    assert stranger.get(f"/api/v1/assessments/{assessment.pk}/export").status_code == 404
    assert stranger.get(f"/api/v1/assessments/rates/{VILLAGE_A}/export").status_code == 404
