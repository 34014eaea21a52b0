from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, OTHER_COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B
from cunshe.commitments.draw import allocate, draw_villages
from cunshe.commitments.models import InspectedVillage
from cunshe.commitments.selectors import inspection_report, inspection_villages
from cunshe.commitments.services import finding_add, finding_rectify, inspection_draw
from cunshe.commitments.services.inspections import _county_strata
from cunshe.core.errors import ConcurrentEdit, DomainError, IllegalTransition, NotPermitted
from cunshe.records.models import RecordEntry

STRATA = {
    "371681002": [f"371681002{n:03d}" for n in range(200, 230)],
    "371681001": [f"371681001{n:03d}" for n in range(200, 210)],
    "371681003": [f"371681003{n:03d}" for n in range(200, 205)],
}


def test_the_draw_is_reproducible_from_its_seed_and_independent_of_input_order() -> None:
    drawn = draw_villages(STRATA, mode="count", amount=9, seed=20260623)
    shuffled = {town: list(reversed(v)) for town, v in reversed(list(STRATA.items()))}
    assert draw_villages(shuffled, mode="count", amount=9, seed=20260623) == drawn
    assert draw_villages(STRATA, mode="count", amount=9, seed=20260624) != drawn
    assert len(drawn) == len(set(drawn)) == 9


def test_the_draw_is_stratified_by_town_in_proportion() -> None:
    assert allocate({"a": 30, "b": 10, "c": 5}, 9) == {"a": 6, "b": 2, "c": 1}
    assert allocate({"a": 1, "b": 1, "c": 1}, 2) == {"a": 1, "b": 1, "c": 0}
    drawn = draw_villages(STRATA, mode="share", amount=20, seed=7)
    assert len(drawn) == 9  # 20% of 45
    by_town = {town: sum(1 for v in drawn if v.startswith(town)) for town in STRATA}
    assert by_town == {"371681002": 6, "371681001": 2, "371681003": 1}


def test_an_inspection_keeps_its_seed_so_anyone_can_recheck_it(organizer: Any) -> None:
    inspection = inspection_draw(
        actor=organizer,
        county_code=COUNTY,
        title="六月专项检查",
        mode="share",
        amount=10,
        drawn_on=timezone.localdate(),
    )
    stored = sorted(inspection.villages.values_list("region_id", flat=True))
    rechecked = draw_villages(_county_strata(COUNTY), mode="share", amount=10, seed=inspection.seed)
    assert sorted(rechecked) == stored and len(stored) == round(859 * 0.10)
    entry = RecordEntry.objects.get(event="commitments.inspection_drawn")
    assert entry.after is not None and entry.after["随机种子"] == inspection.seed
    assert sorted(entry.after["抽中村(社区)"]) == stored


def test_only_the_county_draws_and_the_amount_is_checked(organizer: Any, officer: Any, other_county: Any) -> None:
    with pytest.raises(DomainError, match="无权组织抽查"):
        inspection_draw(
            actor=officer, county_code=COUNTY, title="x", mode="count", amount=3, drawn_on=timezone.localdate()
        )
    with pytest.raises(Http404):
        inspection_draw(
            actor=organizer, county_code=OTHER_COUNTY, title="x", mode="count", amount=1, drawn_on=timezone.localdate()
        )
    with pytest.raises(DomainError) as caught:
        inspection_draw(
            actor=organizer, county_code=COUNTY, title="x", mode="count", amount=100000, drawn_on=timezone.localdate()
        )
    assert "amount" in caught.value.field_errors


def test_findings_become_rectifications_and_the_report_counts_them(
    organizer: Any, officer: Any, make_user: Any
) -> None:
    today = timezone.localdate()
    inspection = inspection_draw(
        actor=organizer, county_code=COUNTY, title="抽查", mode="share", amount=100, drawn_on=today, seed=1
    )
    at_a = inspection.villages.get(region_id=VILLAGE_A)
    at_b = inspection.villages.get(region_id=VILLAGE_B)
    with pytest.raises(DomainError, match="无权登记"):
        finding_add(actor=officer, inspected=at_a, description="台账不全", found_on=today, rectify_by=today)
    with pytest.raises(DomainError) as caught:
        finding_add(
            actor=organizer, inspected=at_a, description="台账不全", found_on=today, rectify_by=today - timedelta(1)
        )
    assert "rectify_by" in caught.value.field_errors
    a = finding_add(actor=organizer, inspected=at_a, description="台账不全", found_on=today, rectify_by=today)
    b = finding_add(actor=organizer, inspected=at_b, description="公开栏过时", found_on=today, rectify_by=today)
    with pytest.raises(Http404):
        finding_rectify(actor=officer, finding=b, rectified_on=today, evidence="已更换", expected_version=1)
    cadre_b = make_user("village_cadre", VILLAGE_B)
    supervisor = make_user("discipline_supervisor", TOWN_A)
    with pytest.raises(NotPermitted):
        finding_rectify(actor=supervisor, finding=a, rectified_on=today, evidence="x", expected_version=1)
    finding_rectify(actor=officer, finding=a, rectified_on=today, evidence="已补全台账", expected_version=1)
    with pytest.raises(IllegalTransition):
        finding_rectify(actor=officer, finding=a, rectified_on=today, evidence="again", expected_version=2)
    with pytest.raises(ConcurrentEdit):
        finding_rectify(actor=cadre_b, finding=b, rectified_on=today, evidence="已更换", expected_version=7)
    report = inspection_report(inspection_villages(organizer, inspection), today)
    assert (report.villages, report.findings, report.rectified) == (859, 2, 1)
    town_view = inspection_report(inspection_villages(officer, inspection), today)
    assert (town_view.findings, town_view.rectified) == (1, 1)
    assert InspectedVillage.objects.filter(inspection=inspection).count() == 859
