from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
import python_calamine
from django.utils import timezone

from conftest import TOWN_A, VILLAGE_A, VILLAGE_B, api_client, pdf_text, web_client
from cunshe.core.actors import SYSTEM
from cunshe.requests.models import Request, Status
from cunshe.requests.services import request_assign, request_close
from cunshe.requests.tests.helpers import categories, file_request, village_team

pytestmark = pytest.mark.django_db


def test_a_resident_files_on_the_phone_page_and_answers_by_the_link(client: Any, zouping: Any) -> None:
    categories()
    page = client.get(f"/public/requests/{VILLAGE_A}/")
    assert page.status_code == 200 and "道路破损" in page.content.decode() and "邻里纠纷" in page.content.decode()
    refused = client.post(f"/public/requests/{VILLAGE_A}/", {"category": "road", "title": "", "description": ""})
    assert refused.status_code == 400 and not Request.objects.exists()
    robot = client.post(
        f"/public/requests/{VILLAGE_A}/", {"category": "road", "title": "x", "description": "y", "website": "spam"}
    )
    assert robot.status_code == 200 and not Request.objects.exists()  # the honeypot: nothing saved
    done = client.post(
        f"/public/requests/{VILLAGE_A}/", {"category": "road", "title": "路灯不亮", "description": "村西三盏不亮"}
    )
    r = Request.objects.get()
    assert done.status_code == 200 and f"/public/requests/track/{r.token}/" in done.content.decode()
    track = client.get(f"/public/requests/track/{r.token}/")
    assert "路灯不亮" in track.content.decode() and "您的评价" not in track.content.decode()
    r = request_assign(actor=SYSTEM, request=r, team_id=village_team(VILLAGE_A).pk, expected_version=1)
    request_close(actor=SYSTEM, request=r, note="已更换灯泡", expected_version=r.version)
    assert "您的评价" in client.get(f"/public/requests/track/{r.token}/").content.decode()
    client.post(f"/public/requests/track/{r.token}/", {"solved": "no", "satisfaction": "1"})
    r.refresh_from_db()
    assert r.status == Status.REOPENED and r.reopen_count == 1
    assert client.get("/public/requests/track/no-such-token-at-all-here/").status_code == 404


def test_the_api_files_and_answers_without_an_account(client: Any, zouping: Any) -> None:
    categories()
    filed = client.post(
        f"/api/v1/requests/public/{VILLAGE_A}",
        {"category": "road", "title": "路面破损", "description": "坑洼"},
        content_type="application/json",
    )
    assert filed.status_code == 201
    token = filed.json()["token"]
    shown = client.get(f"/api/v1/requests/track/{token}").json()
    assert shown["status"] == "submitted" and shown["progress"][0]["what"] == "受理"
    early = client.post(f"/api/v1/requests/track/{token}/answer", {"solved": True}, content_type="application/json")
    assert early.status_code == 400 and "办结后" in early.json()["message"]


def test_reports_sum_the_rollups_in_constant_queries(
    zouping: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    officer = make_user("town_officer", TOWN_A)
    organizer = make_user("county_organizer", "371681")
    for n in range(3):
        r = file_request(VILLAGE_A, title=f"诉求{n}")
    r = request_assign(actor=SYSTEM, request=r, team_id=village_team(VILLAGE_A).pk, expected_version=1)
    request_close(actor=SYSTEM, request=r, note="已处理", expected_version=r.version)
    file_request(VILLAGE_B)
    town = web_client(officer)
    with django_assert_max_num_queries(12):
        page = town.get(f"/requests/report/{TOWN_A}/daily/")
    text = page.content.decode()
    assert page.status_code == 200 and "西范村委会" in text
    assert api_client(officer).get("/api/v1/requests/report/371681/daily").status_code == 404  # not their region
    county = api_client(organizer).get("/api/v1/requests/report/371681/daily").json()
    assert county["total"]["received"] == 4 and {r["code"] for r in county["rows"]} >= {TOWN_A, "371681002"}
    from cunshe.regions.models import Region
    from cunshe.requests.selectors import daily_report, weekly_review

    report = daily_report(organizer, Region.objects.get(code="371681"), timezone.localdate())
    by_town = {row.code: row.values for row in report.rows}
    assert by_town[TOWN_A]["received"] == 3 and by_town[TOWN_A]["open"] == 2 and by_town[TOWN_A]["closed"] == 1
    assert by_town["371681002"]["received"] == 1 and report.total.values["received"] == 4
    week = weekly_review(officer, Region.objects.get(code=TOWN_A), timezone.localdate())
    assert week.total.values["received"] == 3 and all(c.region_id.startswith(TOWN_A) for c in week.cases)
    pdf = town.get(f"/requests/report/{TOWN_A}/weekly.pdf")
    words, _ = pdf_text(pdf.content)
    assert "民情周会审" in words and "西范村委会" in words
    xlsx = town.get(f"/requests/report/{TOWN_A}/daily.xlsx")
    rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(xlsx.content)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["区域代码", "区域", "受理"] and rows[-1][1] == "合计" and str(rows[-1][2]) in ("3", "3.0")


def test_the_list_is_scoped_and_pinned(zouping: Any, make_user: Any, django_assert_max_num_queries: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    for n in range(6):
        file_request(VILLAGE_A, title=f"甲村诉求{n}")
    file_request(VILLAGE_B, title="乙村诉求")
    client = web_client(officer)
    with django_assert_max_num_queries(14):
        page = client.get("/requests/")
    text = page.content.decode()
    assert "甲村诉求5" in text and "乙村诉求" not in text


def test_the_poster_prints_the_village_link(zouping: Any, make_user: Any) -> None:
    officer = make_user("town_officer", TOWN_A)
    pdf = web_client(officer).get(f"/requests/poster/{VILLAGE_A}.pdf")
    words, pages = pdf_text(pdf.content)
    assert pages == 1 and "扫码反映诉求" in words and f"/public/requests/{VILLAGE_A}/" in words
    assert web_client(officer).get(f"/requests/poster/{VILLAGE_B}.pdf").status_code == 404
