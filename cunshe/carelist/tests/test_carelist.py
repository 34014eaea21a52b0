from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.carelist import selectors
from cunshe.carelist.downloads import HOUSEHOLD_COLUMNS, households_import
from cunshe.carelist.models import CareMonth, Household
from cunshe.carelist.services import first_of, household_add, household_remove, months_daily, visit_record
from cunshe.carelist.work_items import month_counts, month_items
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, NotPermitted
from cunshe.firstyear.tests.helpers import DAY, certified, progress
from cunshe.regions.models import Region
from cunshe.spreadsheets.layout import write_workbook
from cunshe.web.tests.kept import built_for_them, shown_after_a_write

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
THIS_MONTH = first_of(TODAY)
LAST_MONTH = first_of(THIS_MONTH - timedelta(days=1))


def _listed(village: str = VILLAGE_A, *, name: str = "王秀英", on: date = LAST_MONTH, actor: Any = SYSTEM) -> Household:
    return household_add(actor=actor, village_code=village, name=name, dibao=True, alone=True, listed_on=on)


def _visit(h: Household, on: date, *, acts: tuple[str, ...] = ("chat", "meal", "cleaning"), **more: Any) -> Any:
    flags: dict[str, Any] = dict.fromkeys(acts, True)
    return visit_record(actor=SYSTEM, household=h, visited_on=on, visitors="党员志愿服务队", **flags, **more)


def test_listing_a_household_checks_its_needs_and_opens_its_months(make_user: Any) -> None:
    cadre = make_user("village_cadre", VILLAGE_A)
    with pytest.raises(DomainError) as error:
        household_add(actor=cadre, village_code=VILLAGE_A, name="", listed_on=TODAY + timedelta(days=1))
    assert set(error.value.field_errors) == {"name", "poor", "listed_on"}
    h = _listed(actor=cadre)
    assert h.needs_label == "低保、独居"
    assert list(CareMonth.objects.filter(household=h).values_list("month", flat=True).order_by("month")) == [
        LAST_MONTH,
        THIS_MONTH,
    ]
    with pytest.raises(DomainError, match="已在暖心清单中"):
        _listed(actor=cadre)
    # the denied cases: another village's cadre does not see it; a reviewer role has no part in it
    with pytest.raises(Http404):
        _listed(VILLAGE_A, name="李德福", actor=make_user("village_cadre", VILLAGE_B))
    with pytest.raises(NotPermitted):
        _listed(VILLAGE_A, name="李德福", actor=make_user("discipline_supervisor", COUNTY))
    # the town enters for its villages
    assert _listed(name="李德福", actor=make_user("town_officer", TOWN_A)).region_id == VILLAGE_A


def test_a_month_is_done_when_its_visits_cover_the_three_acts_and_missed_months_are_overdue(make_user: Any) -> None:
    h = _listed()
    first = _visit(h, LAST_MONTH, acts=("chat", "meal"), problems="联系村医上门测血压\n代办低保年审")
    month = CareMonth.objects.get(household=h, month=LAST_MONTH)
    assert month.done_on is None and month.solved == 2 and first.acts_label == "暖心聊天、爱心家常饭"
    officer = make_user("town_officer", TOWN_A)
    [line] = selectors.village_list(officer, Region.objects.get(code=VILLAGE_A))
    assert line.overdue == 1  # last month ended without the cleaning
    assert month_counts(officer) == (2, 1)
    assert any("3+N" in i.title and i.overdue for i in month_items(officer))
    _visit(h, LAST_MONTH + timedelta(days=2), acts=("cleaning",))
    month.refresh_from_db()
    assert month.done_on == LAST_MONTH + timedelta(days=2)
    assert month_counts(officer) == (1, 0)
    assert month_counts(make_user("town_officer", TOWN_B)) == (0, 0)
    with pytest.raises(DomainError) as error:
        visit_record(actor=officer, household=h, visited_on=TODAY + timedelta(days=1), visitors="")
    assert set(error.value.field_errors) == {"visited_on", "visitors", "chat"}
    with pytest.raises(DomainError, match="早于列入"):
        _visit(h, LAST_MONTH - timedelta(days=1))
    with pytest.raises(Http404):
        visit_record(
            actor=make_user("village_cadre", VILLAGE_B), household=h, visited_on=TODAY, visitors="x", chat=True
        )


def test_taking_a_household_off_ends_its_months_and_the_daily_job_opens_new_ones(make_user: Any) -> None:
    h = _listed(on=LAST_MONTH)
    cadre = make_user("village_cadre", VILLAGE_A)
    with pytest.raises(DomainError) as error:
        household_remove(
            actor=cadre, household=h, removed_on=LAST_MONTH - timedelta(days=1), reason="", expected_version=1
        )
    assert set(error.value.field_errors) == {"removed_on", "reason"}
    household_remove(actor=cadre, household=h, removed_on=LAST_MONTH, reason="迁往外地随子女生活", expected_version=1)
    assert list(CareMonth.objects.filter(household=h).values_list("month", flat=True)) == [LAST_MONTH]
    with pytest.raises(DomainError, match="已于"):
        _visit(h, TODAY)
    other = _listed(name="李德福", on=LAST_MONTH)
    CareMonth.objects.filter(household=other, month=THIS_MONTH).delete()  # as if the month had just begun
    assert "新开月度慰问 1 户次" in months_daily(today=TODAY)
    assert "新开月度慰问 0 户次" in months_daily(today=TODAY)


def _sheet(rows: list[dict[str, Any]]) -> BytesIO:
    buffer = BytesIO()
    write_workbook("暖心清单", HOUSEHOLD_COLUMNS, rows, buffer)
    buffer.seek(0)
    return buffer


def test_the_list_imports_from_excel_all_or_nothing_and_once(make_user: Any, web_as: Any) -> None:
    cadre = make_user("village_cadre", VILLAGE_A)
    row = {"name": "张桂兰", "address": "三组 21 号", "poor": "是", "dibao": "是", "wubao": "否", "alone": "否"}
    good = [{**row, "carer": "党支部书记", "listed_on": LAST_MONTH}]
    bad = [*good, {**row, "name": "刘长海", "poor": "否", "dibao": "否", "listed_on": LAST_MONTH}]  # no need given
    with pytest.raises(DomainError) as error:
        households_import(actor=cadre, village_code=VILLAGE_A, stream=_sheet(bad))
    assert set(error.value.field_errors) == {"第 3 行"}
    assert not Household.objects.exists()
    report = households_import(actor=cadre, village_code=VILLAGE_A, stream=_sheet(good))
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    again = households_import(actor=cadre, village_code=VILLAGE_A, stream=_sheet(good))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    # what the export writes imports back unchanged
    exported = web_as(cadre).get(f"/carelist/village/{VILLAGE_A}/households.xlsx").content
    assert households_import(actor=cadre, village_code=VILLAGE_A, stream=BytesIO(exported)).unchanged == 1
    with pytest.raises(Http404):
        households_import(actor=make_user("village_cadre", VILLAGE_B), village_code=VILLAGE_A, stream=_sheet(good))


def test_the_care_list_item_of_the_programme_follows_the_visits(make_person: Any) -> None:
    certified(VILLAGE_A, make_person)
    first = _listed(on=DAY)
    second = _listed(name="李德福", on=DAY)
    _visit(first, DAY + timedelta(days=3))
    assert progress(VILLAGE_A, "care_list").done_on is None  # one household still to visit
    _visit(second, DAY + timedelta(days=5))
    row = progress(VILLAGE_A, "care_list")
    assert (row.done_on, row.done_source) == (DAY + timedelta(days=5), "care_list")


def test_rollup_pages_api_and_printout(
    make_user: Any, web_as: Any, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    for village in (VILLAGE_A, "371681001214", VILLAGE_B):
        for name in ("王秀英", "李德福", "张桂兰"):
            h = _listed(village, name=name)
            _visit(h, THIS_MONTH, problems="更换老化电线")
    organizer = make_user("county_organizer", COUNTY)
    county = Region.objects.get(code=COUNTY)
    with django_assert_max_num_queries(6):
        rows, total = selectors.rollup(organizer, county)
    by = {r.code: r for r in rows}
    assert (by[TOWN_A].households, by[TOWN_A].done, by[TOWN_A].due, by[TOWN_A].overdue) == (6, 6, 6, 6)
    assert (total.households, total.solved) == (9, 9)
    town = web_as(make_user("town_officer", TOWN_A))
    for url in (f"/carelist/region/{TOWN_A}/", f"/carelist/village/{VILLAGE_A}/"):
        with django_assert_max_num_queries(14):
            assert town.get(url).status_code == 200
    shown = Household.objects.filter(region_id=VILLAGE_A).first()
    assert shown is not None
    h = shown
    with django_assert_max_num_queries(14):
        page = town.get(f"/carelist/household/{h.pk}/")
    assert "更换老化电线" in page.content.decode()
    form = town.get(f"/carelist/household/{h.pk}/visit/")
    assert form.status_code == 200 and "一次精心清扫" in form.content.decode()
    refused = town.post(f"/carelist/household/{h.pk}/visit/", {"visited_on": TODAY.isoformat(), "visitors": ""})
    assert refused.status_code == 400 and "必填" in refused.content.decode()
    assert web_as(make_user("town_officer", TOWN_B)).get(f"/carelist/household/{h.pk}/").status_code == 404
    text, _ = pdf_text(town.get(f"/carelist/village/{VILLAGE_A}/list.pdf").content)
    assert "暖心清单" in text and "王秀英" in text
    answer = api_as(organizer).get(f"/api/v1/carelist/rollup/{COUNTY}").json()
    assert answer["total"]["households"] == 9
    assert api_as(make_user("town_officer", TOWN_B)).get(f"/api/v1/carelist/rollup/{TOWN_A}").status_code == 404


def test_a_care_visit_written_offline_is_saved_once_however_often_the_phone_resends_it(
    make_user: Any, web_as: Any, api_as: Any
) -> None:
    """Issue 13 item 3: the care visit is one of the field pages that keep working without a signal."""
    import uuid

    from cunshe.carelist.models import CareVisit

    h = _listed()
    cadre = make_user("village_cadre", VILLAGE_A)
    queued = {"X-Cunshe-Queue": "background"}
    body = {"visited_on": TODAY.isoformat(), "visitors": "党员志愿者李四", "chat": "on", "client_id": str(uuid.uuid4())}
    url = f"/carelist/household/{h.pk}/visit/"
    web = web_as(cadre)
    assert web.post(url, body, headers=queued).status_code == 201
    assert web.post(url, body, headers=queued).status_code == 200  # the resend after the signal came back
    assert CareVisit.objects.filter(household=h).count() == 1
    assert 'data-offline="carelist.visit"' in web.get(url).content.decode()
    api = api_as(cadre)
    again = {"visited_on": TODAY.isoformat(), "visitors": "李四", "meal": True, "client_id": str(uuid.uuid4())}
    assert (
        api.post(f"/api/v1/carelist/household/{h.pk}/visits", again, content_type="application/json").status_code == 201
    )
    assert (
        api.post(f"/api/v1/carelist/household/{h.pk}/visits", again, content_type="application/json").status_code == 200
    )
    assert CareVisit.objects.filter(household=h).count() == 2
    # Another town's cadre cannot send one into this household's list, queued or not.
    other = web_as(make_user("village_cadre", VILLAGE_B))
    refused = other.post(url, {**body, "client_id": str(uuid.uuid4())}, headers=queued)
    assert refused.status_code == 404 and CareVisit.objects.filter(household=h).count() == 2


def test_the_removed_households_page_on(make_user: Any, web_as: Any) -> None:
    # 51 removed on one day: the first removed is on the second page of 50 (the list stopped at 50 silently)
    gone = []
    for n in range(51):
        h = _listed(name=f"移出户{n:03d}")
        gone.append(
            household_remove(actor=SYSTEM, household=h, removed_on=TODAY, reason="迁往外地", expected_version=1)
        )
    web = web_as(make_user("village_cadre", VILLAGE_A))
    page = f"/carelist/village/{VILLAGE_A}/"
    first, second = web.get(page).content.decode(), web.get(page, {"removed": 2}).content.decode()
    assert gone[0].name not in first and gone[1].name in first
    assert gone[0].name in second and gone[1].name not in second


def test_the_kept_rollup_shows_a_new_visit_on_the_next_view(
    kept_summaries: Any, zouping: Any, make_user: Any, web_as: Any
) -> None:
    """The roll-up is kept whole (issue 15): a household listed and visited through the services moves the county's
    change number and the totals show it at once; another town's officer asking for it gets their own town's."""
    client = web_as(make_user("county_organizer", COUNTY))
    done = "<th>1</th><th>1/1</th>"  # the total: one household, this month's visit done of due
    shown_after_a_write(client, f"/carelist/region/{COUNTY}/", lambda: _visit(_listed(on=THIS_MONTH), TODAY), done)
    built_for_them(web_as(make_user("town_officer", TOWN_B)), f"/carelist/region/{TOWN_A}/", "黄山街道 · 暖心清单")


def test_the_kept_village_page_shows_a_new_household_on_the_next_view(
    kept_summaries: Any, zouping: Any, make_user: Any, web_as: Any
) -> None:
    """The village's list is kept whole (issue 15): a household listed through the service shows at once; a cadre of
    another village is refused it as before."""
    client = web_as(make_user("village_cadre", VILLAGE_A))
    shown_after_a_write(client, f"/carelist/village/{VILLAGE_A}/", lambda: _listed(name="孙玉兰"), "孙玉兰")
    assert web_as(make_user("village_cadre", VILLAGE_B)).get(f"/carelist/village/{VILLAGE_A}/").status_code == 404
