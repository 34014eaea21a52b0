"""Issue 14 (odd input): text typed into any page is stored without control characters or direction overrides, as
the API stores it; a password is used exactly as typed."""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import COUNTY, PASSWORD, TOWN_A, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.issueboard.models import Issue
from cunshe.issueboard.services import issue_raise
from cunshe.termchanges.services import term_change_open


def test_a_page_form_stores_text_without_controls_or_direction_overrides(
    zouping: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    officer = make_user("town_officer", TOWN_A)
    issue = issue_raise(
        actor=officer, village_code=VILLAGE_A, title="路灯损坏", owner="村主任", due_on=date(2026, 12, 31)
    )
    page = web_as(officer).post(
        f"/issueboard/issues/{issue.pk}/assign/",
        {"owner": "\u202e副书记\x07\x00", "due_on": "2026-12-31", "version": issue.version},
    )
    assert page.status_code == 302
    assert Issue.objects.get(pk=issue.pk).owner == "副书记"
    # the API stores the same text the same way
    issue.refresh_from_db()
    api = api_as(officer).post(
        f"/api/v1/issueboard/issues/{issue.pk}/assign",
        {"owner": "\u202e包村干部\x1b", "due_on": "2026-12-31", "version": issue.version},
        content_type="application/json",
    )
    assert api.status_code == 200, api.content
    assert Issue.objects.get(pk=issue.pk).owner == "包村干部"


def test_a_password_is_not_cleaned(client: Any, make_user: Any) -> None:
    cadre = make_user("village_cadre", VILLAGE_A)
    typed = PASSWORD + "\x07"
    assert client.post("/accounts/login/", {"username": cadre.username, "password": typed}).status_code != 302
    assert client.post("/accounts/login/", {"username": cadre.username, "password": PASSWORD}).status_code == 302


def test_a_filter_with_a_nul_byte_is_read_without_it(zouping: Any, make_user: Any, web_as: Any, api_as: Any) -> None:
    """PostgreSQL refuses text holding NUL (the fuzzer's ?kind=%00 on the elections list was a 500 there); SQLite
    took it. Either way the filter is read as if the control characters were not typed."""
    organizer = make_user("county_organizer", COUNTY)
    api = api_as(organizer).get("/api/v1/elections", {"kind": "village\x00", "under": f"{COUNTY}\x07"})
    assert api.status_code == 200, api.content
    page = web_as(organizer).get("/issueboard/", {"under": f"{TOWN_A}\x00"})
    assert page.status_code == 200
    assert page.wsgi_request.GET["under"] == TOWN_A
