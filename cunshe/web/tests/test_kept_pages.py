"""Whole pages kept with holes for the CSRF token and the CSP nonce (web.kept_pages, issue 15): a repeat view renders
no template at all, yet each response carries a token of its own session that passes the CSRF check, a waiting
message is shown once on a page rendered for it, and a change, another reader or another query string is a page of
its own."""

import re
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, RequestFactory, override_settings
from django.utils.csp import LazyNonce

from conftest import COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B
from cunshe.core.actors import SYSTEM
from cunshe.elections.tests.factories import ELECTION_DAY, open_election
from cunshe.records.kept import Kept
from cunshe.termchanges.services import term_change_open
from cunshe.visits.services import coverage_target_set
from cunshe.web.kept_pages import render_kept

PAGE = f"/visits/?under={COUNTY}"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def organizer(zouping: Any, make_user: Any) -> Any:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    return make_user("county_organizer", COUNTY)


def _strict_client(user: Any) -> Client:
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _without_tokens(content: bytes) -> bytes:
    return re.sub(rb'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', rb"\1-", content)


def _party_target(content: bytes) -> str:
    return content.decode().split('党员<br><span class="muted small">目标 ', 1)[1].split("%", 1)[0]


def _post_target(client: Client, percent: int) -> None:
    token = TOKEN.search(client.get(PAGE).content).group(1).decode()  # type: ignore[union-attr]
    fields = {"county": COUNTY, "group": "party_member", "percent": percent, "version_party_member": 0}
    client.post("/visits/targets/", {"csrfmiddlewaretoken": token, **fields})


def test_a_repeat_view_renders_nothing_and_carries_a_token_that_passes_the_check(
    kept_summaries: Any, organizer: Any
) -> None:
    client = _strict_client(organizer)
    first = client.get(PAGE)
    again = client.get(PAGE)
    assert first.status_code == again.status_code == 200
    assert first.templates and not again.templates  # the kept page: no template rendered
    assert _without_tokens(again.content) == _without_tokens(first.content)
    token = TOKEN.search(again.content)
    assert token and b"keptcsrf" not in again.content
    assert token.group(1) != TOKEN.search(first.content).group(1)  # type: ignore[union-attr]  # masked anew
    # the token of the kept page is this session's: the form posts through the CSRF check
    posted = client.post(
        "/visits/targets/",
        {"csrfmiddlewaretoken": token.group(1).decode(), "county": COUNTY, "group": "party_member", "percent": 80},
    )
    assert posted.status_code == 302
    forged = client.post("/visits/targets/", {"csrfmiddlewaretoken": "x" * 64, "county": COUNTY})
    assert forged.status_code == 403


def test_the_message_after_a_write_is_shown_once_with_the_change(kept_summaries: Any, organizer: Any) -> None:
    client = _strict_client(organizer)
    page = client.get(PAGE)
    assert _party_target(page.content) == "100"
    _post_target(client, 80)  # from the kept page, with its token
    shown = client.get(PAGE)
    assert "已保存走访覆盖目标。" in shown.content.decode() and shown.templates  # rendered for its message
    assert _party_target(shown.content) == "80"
    after = client.get(PAGE)
    assert "已保存走访覆盖目标。" not in after.content.decode()
    assert _party_target(after.content) == "80"
    assert not client.get(PAGE).templates  # kept again
    # a refusal records nothing, so the page's key stands still: its message must still be shown, once
    _post_target(client, 70)  # from the kept page, with its token
    refused = client.get(PAGE).content.decode()
    assert '<ul class="messages"><li class="error">' in refused and _party_target(refused.encode()) == "80"
    assert '<ul class="messages">' not in client.get(PAGE).content.decode()


def test_a_change_recorded_elsewhere_shows_on_the_next_view(kept_summaries: Any, organizer: Any, web_as: Any) -> None:
    client = web_as(organizer)
    assert _party_target(client.get(PAGE).content) == "100"
    assert not client.get(PAGE).templates
    with transaction.atomic():
        coverage_target_set(actor=SYSTEM, county_code=COUNTY, group="party_member", percent=90, expected_version=0)
    changed = client.get(PAGE)
    assert changed.templates and _party_target(changed.content) == "90"


def test_a_page_kept_for_one_reader_or_query_is_not_given_to_another(
    kept_summaries: Any, organizer: Any, make_user: Any, web_as: Any
) -> None:
    mine = web_as(organizer)
    mine.get(PAGE)
    assert not mine.get(PAGE).templates
    officer = web_as(make_user("town_officer", TOWN_A))
    theirs = officer.get(PAGE)  # the county is not the officer's: their own answer, not the organizer's page
    assert theirs.templates and theirs.status_code == 200
    assert "黛溪街道 · 走访全覆盖" in theirs.content.decode()
    town = mine.get(f"/visits/?under={TOWN_A}")
    assert town.templates and "黛溪街道 · 走访全覆盖" in town.content.decode()


def test_nothing_is_kept_under_the_test_settings(organizer: Any, web_as: Any) -> None:
    client = web_as(organizer)
    client.get(PAGE)
    assert client.get(PAGE).templates


@override_settings(
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "context_processors": ["django.template.context_processors.csp"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"t.html": "<script nonce='{{ csp_nonce }}'>", "plain.html": "<p>"},
                    )
                ],
            },
        }
    ]
)
@pytest.mark.django_db
def test_the_nonce_is_filled_per_request_and_made_only_when_the_page_uses_it(kept_summaries: Any) -> None:
    kept: Kept[None] = Kept("test.nonce", None, lambda: None, region_code="371681")
    pages = []
    for _ in range(2):
        request = RequestFactory().get("/t/")
        request._csp_nonce = LazyNonce()  # type: ignore[attr-defined]  # as the CSP middleware does
        request.user = None  # type: ignore[assignment]
        pages.append((render_kept(request, kept, "t.html", {}).content, request._csp_nonce))  # type: ignore[attr-defined]
    (first, nonce1), (second, nonce2) = pages
    request = RequestFactory().get("/t/")
    request._csp_nonce = LazyNonce()  # type: ignore[attr-defined]
    request.user = None  # type: ignore[assignment]
    render_kept(request, Kept("test.plain", None, lambda: None, region_code="371681"), "plain.html", {})
    assert not request._csp_nonce  # type: ignore[attr-defined]  # never made: the header names none
    assert first == f"<script nonce='{nonce1}'>".encode() and second == f"<script nonce='{nonce2}'>".encode()
    assert nonce1 and nonce2 and str(nonce1) != str(nonce2)  # made: the middleware names it in the header


# The pages kept whole that keep no value of their own (their context is built only when they are rendered again).
WHOLE = [
    f"/command/{COUNTY}/",
    "/elections/",
    f"/counts/board/?day={ELECTION_DAY}",
    f"/counts/board/live/?day={ELECTION_DAY}",
    "/requests/",
    "/deadlines/",
    "/handovers/",
    "/reserves/",
    "/negativelist/",
    f"/partywork/region/{COUNTY}/",
    f"/firstyear/region/{COUNTY}/",
    f"/disclosures/region/{COUNTY}/",
    f"/dailychecks/region/{COUNTY}/",
    "/education/",
    "/surveys/",
    "/trainings/",
    f"/decisions/region/{COUNTY}/",
    f"/volunteers/r/{COUNTY}/",
    f"/directory/region/{COUNTY}/",
    f"/regions/{COUNTY}/",
    "/points/",
    "/serviceteams/",
    f"/firstsecretaries/region/{COUNTY}/",
    f"/liaison/region/{COUNTY}/",
    f"/talks/region/{COUNTY}/",
    f"/carelist/region/{COUNTY}/",
    f"/annuallists/region/{COUNTY}/",
    f"/breakthroughs/region/{COUNTY}/",
    "/investigations/",
    "/appraisals/",
    f"/carelist/village/{VILLAGE_A}/",
    f"/annuallists/village/{VILLAGE_A}/",
    f"/breakthroughs/village/{VILLAGE_A}/",
]
SHOW_NO_ELECTIONS = (
    "/requests/",
    "/deadlines/",
    "/handovers/",
    "/reserves/",
    "/negativelist/",
    "/partywork/",
    "/firstyear/",
    "/disclosures/",
    "/dailychecks/",
    "/education/",
    "/surveys/",
    "/trainings/",
    "/decisions/",
    "/volunteers/",
    "/directory/",
    "/regions/",
    "/points/",
    "/serviceteams/",
    "/firstsecretaries/",
    "/liaison/",
    "/talks/",
    "/carelist/",
    "/annuallists/",
    "/breakthroughs/",
    "/investigations/",
    "/appraisals/",
)


@pytest.mark.parametrize("url", WHOLE)
def test_a_whole_kept_page_is_built_again_after_a_change_and_per_reader(
    kept_summaries: Any, organizer: Any, make_user: Any, web_as: Any, url: str
) -> None:
    open_election(village=VILLAGE_A)
    client = web_as(organizer)
    first = client.get(url)
    assert first.status_code == 200 and first.templates
    again = client.get(url)
    assert not again.templates and _without_tokens(again.content) == _without_tokens(first.content)
    with transaction.atomic():
        open_election(village=VILLAGE_B)
    changed = client.get(url)
    assert changed.templates  # the county's chain moved: built again
    if not url.startswith(SHOW_NO_ELECTIONS):
        assert _without_tokens(changed.content) != _without_tokens(first.content)
    other = web_as(make_user("county_organizer", COUNTY)).get(url)
    assert other.templates  # another reader's page is their own
