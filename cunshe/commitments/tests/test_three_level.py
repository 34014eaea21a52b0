"""Three-level responsibility (三级责任体系, seed 001 运河区): the village's self-check, the town's visits, the county's
checks, cases sent upward, and the county and town tables read from the tally rows."""

from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.access.tests.walk import xlsx_text
from cunshe.commitments.models import CaseSending, SelfCheck, Status, ThreeLevelTally
from cunshe.commitments.responsibility import (
    case_send,
    self_check_add,
    three_level_table,
    town_visit_add,
    town_visit_follow_up,
)
from cunshe.commitments.services import commitment_move, commitment_showcase, inspection_draw
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import ConcurrentEdit, DomainError, NotPermitted
from cunshe.core.months import month_start
from cunshe.records.models import RecordEntry
from cunshe.regions.models import Level, Region

TODAY = timezone.localdate()
MONTH = month_start(TODAY)


def _other_village_of_town_a() -> str:
    return (
        Region.objects.filter(parent_id=TOWN_A, level=Level.VILLAGE)
        .exclude(code=VILLAGE_A)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
        or ""
    )


def _showcase(make_commitment: Any, village: str = VILLAGE_A) -> Any:
    c = make_commitment(village, title="清理废旧坑塘")
    c = commitment_move(
        actor=SYSTEM,
        commitment=c,
        to_status=Status.DONE,
        expected_version=c.version,
        completed_on=TODAY,
        evidence="验收照片",
    )
    return commitment_showcase(actor=SYSTEM, commitment=c, writeup="坑塘变广场", expected_version=c.version)


def test_a_village_checks_itself_once_a_commitment_a_month(cadre: Any, make_commitment: Any) -> None:
    c = make_commitment()
    check = self_check_add(actor=cadre, commitment=c, checked_on=TODAY, progress="已开工", problems="资金未到位")
    assert check.month == MONTH and check.region_id == VILLAGE_A
    assert ThreeLevelTally.objects.get(region_id=VILLAGE_A, month=MONTH).self_checks == 1
    assert RecordEntry.objects.filter(event="commitments.self_checked", region_id=VILLAGE_A).count() == 1
    with pytest.raises(DomainError) as again:
        self_check_add(actor=cadre, commitment=c, checked_on=TODAY, progress="又查一次")
    assert "已自查过" in again.value.field_errors["checked_on"][0]
    with pytest.raises(DomainError) as empty:
        self_check_add(actor=cadre, commitment=c, checked_on=TODAY + timedelta(days=40), progress=" ")
    assert set(empty.value.field_errors) == {"progress", "checked_on"}
    assert SelfCheck.objects.count() == 1 and ThreeLevelTally.objects.get(region_id=VILLAGE_A).self_checks == 1


def test_a_dropped_commitment_is_not_self_checked(cadre: Any, make_commitment: Any) -> None:
    c = make_commitment()
    c = commitment_move(
        actor=SYSTEM, commitment=c, to_status=Status.DROPPED, expected_version=c.version, reason="与上级项目合并"
    )
    with pytest.raises(DomainError):
        self_check_add(actor=cadre, commitment=c, checked_on=TODAY, progress="无")
    assert not SelfCheck.objects.exists()


def test_self_checks_of_another_village_are_refused(make_user: Any, make_commitment: Any) -> None:
    c = make_commitment(VILLAGE_B)
    with pytest.raises(Http404):  # another town's village does not exist for a village cadre of town A
        self_check_add(actor=make_user("village_cadre", VILLAGE_A), commitment=c, checked_on=TODAY, progress="越权")
    with pytest.raises(NotPermitted):  # a supervisor sees the ledger but does not write the village's self-check
        self_check_add(
            actor=make_user("discipline_supervisor", COUNTY), commitment=c, checked_on=TODAY, progress="越权"
        )
    self_check_add(actor=make_user("town_officer", TOWN_B), commitment=c, checked_on=TODAY, progress="已开工")
    assert SelfCheck.objects.count() == 1


def test_a_town_visits_its_own_villages_and_follows_up(officer: Any, make_user: Any, zouping: Any) -> None:
    second = _other_village_of_town_a()
    visit = town_visit_add(
        actor=officer,
        town_code=TOWN_A,
        visited_on=TODAY,
        village_codes=[VILLAGE_A, second, VILLAGE_A],
        findings="台账未上墙",
        follow_up="",
    )
    assert visit.villages == sorted([VILLAGE_A, second]) and visit.followed_up_on is None
    with pytest.raises(DomainError) as stray:
        town_visit_add(actor=officer, town_code=TOWN_A, visited_on=TODAY, village_codes=[VILLAGE_B], findings="x")
    assert VILLAGE_B in stray.value.field_errors["villages"][0]
    with pytest.raises(Http404):
        town_visit_add(actor=officer, town_code=TOWN_B, visited_on=TODAY, village_codes=[VILLAGE_B], findings="x")
    with pytest.raises(NotPermitted):  # the county's supervisor reads visits, the town and county record them
        town_visit_add(
            actor=make_user("discipline_supervisor", COUNTY),
            town_code=TOWN_A,
            visited_on=TODAY,
            village_codes=[VILLAGE_A],
            findings="x",
        )
    visit = town_visit_follow_up(
        actor=officer, visit=visit, follow_up="已督促上墙", followed_up_on=TODAY, expected_version=visit.version
    )
    visit = town_visit_follow_up(
        actor=officer, visit=visit, follow_up="复查已整改", followed_up_on=TODAY, expected_version=visit.version
    )
    assert "已督促上墙" in visit.follow_up and "复查已整改" in visit.follow_up  # nothing overwritten
    with pytest.raises(ConcurrentEdit):
        town_visit_follow_up(actor=officer, visit=visit, follow_up="旧页面", followed_up_on=TODAY, expected_version=1)
    assert ThreeLevelTally.objects.get(region_id=TOWN_A, month=MONTH).visits_made == 1
    assert ThreeLevelTally.objects.get(region_id=second, month=MONTH).visited == 1


def test_a_showcase_case_is_sent_several_times_and_each_sending_kept(
    officer: Any, cadre: Any, make_commitment: Any
) -> None:
    plain = make_commitment(title="普通事项")
    with pytest.raises(DomainError) as not_case:
        case_send(actor=officer, commitment=plain, level="county", outlet="县委组织部", sent_on=TODAY, sender="王")
    assert "典型案例" in not_case.value.field_errors["level"][0]
    case = _showcase(make_commitment)
    with pytest.raises(NotPermitted):  # the village does not send its own case upward
        case_send(actor=cadre, commitment=case, level="county", outlet="县委组织部", sent_on=TODAY, sender="王")
    case_send(actor=officer, commitment=case, level="county", outlet="县委组织部", sent_on=TODAY, sender="王芳")
    case_send(actor=officer, commitment=case, level="media", outlet="《滨州日报》", sent_on=TODAY, sender="王芳")
    with pytest.raises(DomainError) as bad:
        case_send(actor=officer, commitment=case, level="moon", outlet="", sent_on=TODAY, sender="")
    assert set(bad.value.field_errors) == {"level", "outlet", "sender"}
    outlets = CaseSending.objects.filter(commitment=case).values_list("outlet", flat=True)
    assert sorted(outlets) == sorted(["县委组织部", "《滨州日报》"])
    assert ThreeLevelTally.objects.get(region_id=VILLAGE_A, month=MONTH).cases_sent == 2
    assert RecordEntry.objects.filter(event="commitments.case_sent").count() == 2


def test_the_county_and_town_tables_read_the_tallies(organizer: Any, officer: Any, make_commitment: Any) -> None:
    second = _other_village_of_town_a()
    self_check_add(actor=SYSTEM, commitment=make_commitment(), checked_on=TODAY, progress="推进中")
    self_check_add(actor=SYSTEM, commitment=make_commitment(title="修路"), checked_on=TODAY, progress="推进中")
    self_check_add(actor=SYSTEM, commitment=make_commitment(VILLAGE_B), checked_on=TODAY, progress="推进中")
    town_visit_add(actor=officer, town_code=TOWN_A, visited_on=TODAY, village_codes=[VILLAGE_A, second], findings="无")
    town_visit_add(actor=officer, town_code=TOWN_A, visited_on=TODAY, village_codes=[VILLAGE_A], findings="复查")
    inspection = inspection_draw(
        actor=organizer, county_code=COUNTY, title="县级抽查", mode="count", amount=20, drawn_on=TODAY, seed=5
    )
    drawn_in_a = inspection.villages.filter(region_id__startswith=TOWN_A).count()
    county = three_level_table(Region.objects.get(code=COUNTY), TODAY)
    assert county.checks == 1
    town_a = next(r for r in county.rows if r.code == TOWN_A)
    villages_in_a = Region.objects.filter(parent_id=TOWN_A, level=Level.VILLAGE).count()
    assert (town_a.villages, town_a.self_checked, town_a.self_checks) == (villages_in_a, 1, 2)
    assert (town_a.visits, town_a.visited, town_a.checked) == (2, 2, drawn_in_a)
    assert len(town_a.missing) == villages_in_a - 1
    assert county.total.self_checked == 2 and county.total.visits == 2 and county.total.checked == 20
    town = three_level_table(Region.objects.get(code=TOWN_A), TODAY)
    row_a = next(r for r in town.rows if r.code == VILLAGE_A)
    assert (row_a.self_checked, row_a.self_checks, row_a.visits) == (1, 2, 2)
    assert town.total.visits == 2 and town.checks == 1
    last_month = three_level_table(Region.objects.get(code=COUNTY), MONTH - timedelta(days=1))
    assert last_month.total.self_checks == 0 and last_month.checks == 0


def test_the_pages_record_and_show_the_three_levels(
    officer: Any, make_commitment: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    client = web_as(officer)
    c = make_commitment()
    answer = client.post(
        reverse("commitments:self_check", kwargs={"pk": c.pk}),
        {"checked_on": TODAY.isoformat(), "progress": "已开工", "problems": ""},
        follow=True,
    )
    assert "自查" in answer.content.decode() and SelfCheck.objects.filter(commitment=c).exists()
    twice = client.post(
        reverse("commitments:self_check", kwargs={"pk": c.pk}),
        {"checked_on": TODAY.isoformat(), "progress": "再查"},
        follow=True,
    )
    assert "已自查过" in twice.content.decode() and SelfCheck.objects.filter(commitment=c).count() == 1
    page = client.post(
        reverse("commitments:town_visit_new"),
        {"town": TOWN_A, "visited_on": TODAY.isoformat(), "villages": VILLAGE_B, "findings": "越界"},
    )
    assert page.status_code == 200 and "不是本乡镇(街道)的村(社区)" in page.content.decode()
    made = client.post(
        reverse("commitments:town_visit_new"),
        {"town": TOWN_A, "visited_on": TODAY.isoformat(), "villages": VILLAGE_A, "findings": "台账未上墙"},
    )
    assert made.status_code == 302
    url = reverse("commitments:three_level", kwargs={"code": TOWN_A})
    client.get(url)
    with django_assert_max_num_queries(16) as few:
        html = client.get(url).content.decode()
    assert "已自查" in html
    for n in range(5):
        self_check_add(actor=SYSTEM, commitment=make_commitment(title=f"事项{n}"), checked_on=TODAY, progress="推进")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    sheet = xlsx_text(client.get(reverse("commitments:three_level_export", kwargs={"code": TOWN_A})).content)
    assert "西范村" in sheet and "已自查村数" in sheet and "县级抽查" in sheet
    assert client.get(reverse("commitments:three_level", kwargs={"code": COUNTY})).status_code == 404
    assert client.get(reverse("commitments:three_level", kwargs={"code": VILLAGE_A})).status_code == 404


def test_the_api_offers_every_operation(officer: Any, make_commitment: Any, api_as: Any) -> None:
    api = api_as(officer)
    c = make_commitment()
    made = api.post(
        f"/api/v1/commitments/{c.pk}/selfchecks",
        {"checked_on": TODAY.isoformat(), "progress": "已开工"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["month"] == f"{TODAY:%Y-%m}"
    again = api.post(
        f"/api/v1/commitments/{c.pk}/selfchecks",
        {"checked_on": TODAY.isoformat(), "progress": "又查"},
        content_type="application/json",
    )
    assert again.status_code == 400
    visit = api.post(
        "/api/v1/commitments/townvisits",
        {"town": TOWN_A, "visited_on": TODAY.isoformat(), "villages": [VILLAGE_A], "findings": "台账未上墙"},
        content_type="application/json",
    ).json()
    followed = api.post(
        f"/api/v1/commitments/townvisits/{visit['id']}/follow-up",
        {"follow_up": "已上墙", "followed_up_on": TODAY.isoformat(), "version": visit["version"]},
        content_type="application/json",
    )
    assert followed.status_code == 200 and "已上墙" in followed.json()["follow_up"]
    case = _showcase(make_commitment)
    sent = api.post(
        f"/api/v1/commitments/{case.pk}/sendings",
        {"level": "province", "outlet": "省委组织部", "sent_on": TODAY.isoformat(), "sender": "王芳"},
        content_type="application/json",
    )
    assert sent.status_code == 201 and sent.json()["level_label"] == "省"
    table = api.get(f"/api/v1/commitments/threelevel/{TOWN_A}").json()
    assert table["total"]["self_checked"] == 1 and table["total"]["visits"] == 1 and table["total"]["cases_sent"] == 1
    assert api.get(f"/api/v1/commitments/threelevel/{TOWN_A}?month=2026-13").status_code == 400
    assert api.get(f"/api/v1/commitments/threelevel/{TOWN_B}").status_code == 404


def test_the_three_level_table_printed_per_town_and_county(
    organizer: Any, officer: Any, make_user: Any, make_commitment: Any, web_as: Any, api_as: Any
) -> None:
    self_check_add(actor=SYSTEM, commitment=make_commitment(), checked_on=TODAY, progress="推进中")
    town_visit_add(actor=officer, town_code=TOWN_A, visited_on=TODAY, village_codes=[VILLAGE_A], findings="无")
    month = f"{TODAY:%Y-%m}"
    response = web_as(officer).get(f"/commitments/threelevel/{TOWN_A}/print.pdf?month={month}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text, _ = pdf_text(response.content)
    village = Region.objects.get(code=VILLAGE_A).name
    for expected in (
        "黛溪街道“开门一件事”三级责任落实情况表",
        village,
        "督导次数",
        "黛溪街道合计",
        "乡镇(街道)党(工)委负责人（签字）",
    ):
        assert expected in text, expected
    county = pdf_text(
        api_as(organizer).get(f"/api/v1/commitments/threelevel/{COUNTY}/print.pdf?month={month}").content
    )[0]
    assert "黛溪街道" in county and "县级抽查 0 次" in county and "县委组织部负责人（签字）" in county
    # the town's officer may not open the county's table, nor the other town's officer this one
    assert web_as(officer).get(f"/commitments/threelevel/{COUNTY}/print.pdf").status_code == 404
    other = make_user("town_officer", TOWN_B)
    assert api_as(other).get(f"/api/v1/commitments/threelevel/{TOWN_A}/print.pdf").status_code == 404
