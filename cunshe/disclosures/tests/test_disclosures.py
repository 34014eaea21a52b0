from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from python_calamine import CalamineWorkbook

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, IllegalTransition
from cunshe.deadlines.work_items import work_items_for
from cunshe.decisions.models import Status, Step
from cunshe.decisions.tests.helpers import hold, new_decision
from cunshe.disclosures import selectors
from cunshe.disclosures.downloads import ledger_rows
from cunshe.disclosures.models import Kind, Obligation, TownTally
from cunshe.disclosures.services import (
    DEFAULT_SCHEDULE,
    obligations_open,
    period_due,
    photo_add,
    rule_for,
    schedule_save,
)
from cunshe.disclosures.tests.helpers import draft, png, publish

pytestmark = pytest.mark.django_db


def _schedule() -> None:
    for kind in (Kind.FINANCE, Kind.GENERAL):
        schedule_save(
            actor=SYSTEM,
            county_code=COUNTY,
            kind=kind,
            effective_from=date(2026, 10, 1),
            due_day=DEFAULT_SCHEDULE[kind].due_day,
        )


def test_schedule_defaults_and_due_days(zouping: object) -> None:
    assert rule_for(COUNTY, Kind.GENERAL, date(2026, 12, 1)).label == "每季度，下季度首月 20 日前"
    due = period_due(COUNTY, Kind.GENERAL, date(2026, 10, 1))
    assert timezone.localtime(due).date() == date(2027, 1, 21)  # by the end of 2027-01-20
    finance = period_due(COUNTY, Kind.FINANCE, date(2026, 10, 1))
    assert timezone.localtime(finance).date() == date(2026, 11, 11)
    schedule_save(
        actor=SYSTEM, county_code=COUNTY, kind=Kind.MAJOR, effective_from=date(2026, 1, 1), due_working_days=3
    )
    assert rule_for(COUNTY, Kind.MAJOR, date(2026, 12, 1)).due_working_days == 3
    with pytest.raises(DomainError):
        schedule_save(actor=SYSTEM, county_code=COUNTY, kind=Kind.FINANCE, effective_from=date(2026, 1, 1), due_day=31)


def test_missing_and_late_disclosures_are_overdue_and_rolled_up(zouping: object, make_user: Any) -> None:
    _schedule()
    today = date(2026, 12, 5)
    created = obligations_open(county_code=COUNTY, today=today)
    october = Obligation.objects.filter(kind=Kind.FINANCE, period_start=date(2026, 10, 1))
    assert created == Obligation.objects.filter(kind=Kind.FINANCE).count() == 2 * october.count() > 0  # Oct, Nov
    assert obligations_open(county_code=COUNTY, today=today) == 0  # idempotent
    assert not Obligation.objects.filter(kind=Kind.GENERAL).exists()  # Q4 has not ended
    late = publish(draft(VILLAGE_A, period_day=date(2026, 10, 15)), date(2026, 11, 13))
    assert late.late
    officer = make_user("town_officer", TOWN_A)
    october_items = [i for i in work_items_for(officer) if i.module == "disclosures" and "10月" in i.title]
    assert october_items and all(i.overdue for i in october_items)
    assert all(VILLAGE_A not in i.url for i in october_items)  # satisfied, though late
    tally = TownTally.objects.get(region_id=TOWN_A, kind=Kind.FINANCE)
    assert (tally.done, tally.done_late, tally.published) == (1, 1, 1)
    rows = {r.code: r for r in selectors.rollup(make_user("county_organizer", COUNTY), zouping)}  # type: ignore[arg-type]
    cell = rows[TOWN_A].cells[Kind.FINANCE]
    overdue = Obligation.objects.filter(
        region_id__startswith=TOWN_A, kind=Kind.FINANCE, done_on__isnull=True, due_at__lt=timezone.now()
    ).count()
    assert cell.due == tally.due and cell.done == 1 and cell.done_late == 1 and cell.overdue == overdue > 0
    assert TOWN_B in rows
    town_rows = {r.code: r for r in selectors.rollup(officer, type(zouping).objects.get(code=TOWN_A))}  # type: ignore[attr-defined]
    assert town_rows[VILLAGE_A].cells[Kind.FINANCE].done_late == 1
    assert not any(r["region"] == VILLAGE_B for r in ledger_rows(officer, TOWN_A))


def test_town_rollup_reads_a_constant_number_of_queries(
    zouping: object, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    _schedule()
    obligations_open(county_code=COUNTY, today=date(2026, 12, 5))
    organizer = make_user("county_organizer", COUNTY)
    with django_assert_max_num_queries(8):
        selectors.rollup(organizer, zouping)  # type: ignore[arg-type]


def test_major_item_disclosure_is_the_decisions_step(zouping: object) -> None:
    decision = new_decision(VILLAGE_A)
    for step, days in ((Step.PROPOSAL, 20), (Step.CONSULTATION, 18), (Step.PARTY_REVIEW, 15)):
        hold(decision, step, days_ago=days, due=9)
    with pytest.raises(IllegalTransition):  # not resolved yet: its disclosure cannot come first
        publish(
            draft(
                VILLAGE_A,
                kind=Kind.MAJOR,
                decision=decision,
                decision_step=Step.RESOLUTION_DISCLOSURE,
                title="决议公开",
            ),
            timezone.localdate(),
        )
    Obligation.objects.all().delete()
    from cunshe.disclosures.models import Disclosure

    Disclosure.objects.all().delete()
    hold(decision, Step.RESOLUTION, days_ago=10, due=30, present=25)
    obligation = Obligation.objects.get(decision=decision)
    assert obligation.kind == Kind.MAJOR and obligation.done_on is None
    with pytest.raises(DomainError):  # a finance disclosure cannot stand for a decision's step
        draft(VILLAGE_A, period_day=date(2026, 10, 1), decision=decision, decision_step=Step.RESOLUTION_DISCLOSURE)
    with pytest.raises(DomainError):  # another village's decision
        draft(VILLAGE_B, kind=Kind.MAJOR, decision=decision, decision_step=Step.RESOLUTION_DISCLOSURE)
    first = draft(
        VILLAGE_A, kind=Kind.MAJOR, decision=decision, decision_step=Step.RESOLUTION_DISCLOSURE, title="决议公开"
    )
    published = publish(first, timezone.localdate())
    decision.refresh_from_db()
    obligation.refresh_from_db()
    assert decision.status == Status.RESULT_DISCLOSURE and obligation.done_on == timezone.localdate()
    assert published.late  # 10 days after the resolution, past 5 working days
    with pytest.raises(DomainError):
        draft(VILLAGE_A, kind=Kind.MAJOR, decision=decision, decision_step=Step.RESOLUTION_DISCLOSURE)
    result = draft(
        VILLAGE_A, kind=Kind.MAJOR, decision=decision, decision_step=Step.RESULT_DISCLOSURE, title="结果公开"
    )
    publish(result, timezone.localdate())
    decision.refresh_from_db()
    assert decision.status == Status.DONE


def test_photos_are_checked_by_content(zouping: object, make_user: Any) -> None:
    disclosure = draft(VILLAGE_A, period_day=date(2026, 10, 1))
    photo = photo_add(actor=SYSTEM, disclosure=disclosure, image=png(), caption="村委会公开栏")
    assert str(photo.image.name).endswith(".png")
    fake = SimpleUploadedFile("board.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(DomainError) as refused:
        photo_add(actor=SYSTEM, disclosure=disclosure, image=fake)
    assert "image" in refused.value.field_errors
    from cunshe.disclosures import services

    small = services.PHOTO_MAX_BYTES
    services.PHOTO_MAX_BYTES = 10
    try:
        with pytest.raises(DomainError):
            photo_add(actor=SYSTEM, disclosure=disclosure, image=png())
    finally:
        services.PHOTO_MAX_BYTES = small


def test_public_sees_only_published(zouping: object) -> None:
    hidden = draft(VILLAGE_A, period_day=date(2026, 10, 1), title="尚未公开的十月财务")
    photo = photo_add(actor=SYSTEM, disclosure=hidden, image=png())
    client = Client(HTTP_HOST="127.0.0.1")
    page = client.get(f"/public/regions/{VILLAGE_A}/").content.decode()
    assert "尚未公开的十月财务" not in page
    assert client.get(f"/public/disclosures/photo/{photo.pk}/").status_code == 404
    publish(hidden, date(2026, 11, 5))
    page = client.get(f"/public/regions/{VILLAGE_A}/").content.decode()
    assert "尚未公开的十月财务" in page and "公开栏、微信群" in page
    assert client.get(f"/public/disclosures/photo/{photo.pk}/").status_code == 200


def test_publish_checks(zouping: object, make_user: Any) -> None:
    d = draft(VILLAGE_A, period_day=date(2026, 10, 1))
    with pytest.raises(DomainError):
        publish(d, timezone.localdate() + timedelta(days=1))
    with pytest.raises(DomainError):
        publish(d, date(2026, 9, 30))
    cadre_b = make_user("village_cadre", VILLAGE_B)
    from django.http import Http404

    with pytest.raises(Http404):
        publish(d, date(2026, 11, 5), actor=cadre_b)
    publish(d, date(2026, 11, 5), actor=make_user("village_cadre", VILLAGE_A))
    with pytest.raises(IllegalTransition):
        publish(d, date(2026, 11, 6))


def test_ledger_export_through_the_page(zouping: object, make_user: Any, web_as: Any) -> None:
    _schedule()
    obligations_open(county_code=COUNTY, today=date(2026, 12, 5))
    publish(draft(VILLAGE_A, period_day=date(2026, 10, 1)), date(2026, 11, 5))
    response = web_as(make_user("town_officer", TOWN_A)).get(f"/disclosures/region/{TOWN_A}/ledger.xlsx")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(BytesIO(response.content)).get_sheet_by_index(0).to_python()
    statuses = [row[7] for row in sheet[1:]]
    assert "按时公开" in statuses and "逾期未公开" in statuses
    assert all(str(row[0]).startswith(TOWN_A) for row in sheet[1:])


def test_count_for_village(zouping: object) -> None:
    publish(draft(VILLAGE_A, period_day=date(2026, 10, 1)), date(2026, 11, 5))
    publish(
        draft(VILLAGE_A, kind=Kind.GENERAL, period_day=date(2026, 10, 1), title="三季度党务公开"), date(2026, 11, 6)
    )
    draft(VILLAGE_A, period_day=date(2026, 11, 1), title="未公开")
    assert selectors.count_for_village(VILLAGE_A, date(2026, 11, 1), date(2026, 11, 30)) == 2
    assert selectors.count_for_village(VILLAGE_A, date(2026, 11, 6), date(2026, 11, 6)) == 1
