"""API lists kept as the JSON they were sent as, and lists kept rendered (their queries: test_kept.py; records.kept,
issue 15): a change a service records in the reader's regions shows on the very next request, an answer kept for
one reader or query string is never given for another, and a request reads the change number once however many
kept values it shows, but again after a write of its own."""

from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from conftest import COUNTY, VILLAGE_A, VILLAGE_B, new_person
from cunshe.commitments.services import commitment_create
from cunshe.core.actors import SYSTEM
from cunshe.records.kept import KeptPerRequest, change_number
from cunshe.records.services import record
from cunshe.records.tests.test_kept import _get
from cunshe.termchanges.services import term_change_open

API_LISTS = ["/api/v1/commitments?limit=200", "/api/v1/people"]


def _commitment(title: str, village: str = VILLAGE_A) -> None:
    with transaction.atomic():
        commitment_create(
            actor=SYSTEM,
            village_code=village,
            year=2026,
            category="提升改善村容村貌",
            title=title,
            content="清理院内杂物，更新公开栏",
            target="四面一栏整洁",
            deadline=date(2026, 12, 31),
            responsible_post="村党组织书记",
        )


@pytest.fixture
def organizer(zouping: Any, make_user: Any) -> Any:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    new_person(VILLAGE_A)
    return make_user("county_organizer", COUNTY)


@pytest.mark.parametrize("url", API_LISTS)
def test_an_api_list_is_kept_until_its_regions_record_a_change(
    kept_summaries: Any, organizer: Any, api_as: Any, url: str
) -> None:
    client = api_as(organizer)
    cold, _ = _get(client, url)  # the grants are read (and kept) as well
    kept, kept_queries = _get(client, url)
    assert kept == cold
    with transaction.atomic():
        record(actor=SYSTEM, region_code=VILLAGE_A, event="records.test_changed", summary="测试变更")
    again, again_queries = _get(client, url)
    assert again == cold and again_queries > kept_queries  # the list read again
    assert _get(client, url)[1] == kept_queries


def test_a_new_commitment_shows_on_the_kept_ledger_and_its_api_at_once(
    kept_summaries: Any, organizer: Any, web_as: Any, api_as: Any
) -> None:
    web, api = web_as(organizer), api_as(organizer)
    for _ in range(2):  # kept on the second view
        assert "修缮村道" not in _get(web, "/commitments/")[0]
        assert "修缮村道" not in _get(web, "/commitments/", headers={"HX-Request": "true"})[0]
        assert "修缮村道" not in _get(api, "/api/v1/commitments?limit=200")[0]
    _commitment("修缮村道")
    assert "修缮村道" in _get(web, "/commitments/")[0]
    assert "修缮村道" in _get(web, "/commitments/", headers={"HX-Request": "true"})[0]
    assert "修缮村道" in _get(api, "/api/v1/commitments?limit=200")[0]


def test_a_new_person_shows_on_the_kept_people_list_and_its_api_at_once(
    kept_summaries: Any, organizer: Any, web_as: Any, api_as: Any
) -> None:
    web, api = web_as(organizer), api_as(organizer)
    for _ in range(2):
        assert "新来村民" not in _get(web, "/people/")[0]
        assert "新来村民" not in _get(api, "/api/v1/people")[0]
    with transaction.atomic():
        new_person(VILLAGE_A, name="新来村民")
    assert "新来村民" in _get(web, "/people/")[0]
    assert "新来村民" in _get(api, "/api/v1/people")[0]


def test_a_list_kept_for_one_query_string_is_not_shown_for_another(
    kept_summaries: Any, organizer: Any, web_as: Any
) -> None:
    _commitment("修缮村道")
    _commitment("安装路灯")
    client = web_as(organizer)
    assert "安装路灯" not in _get(client, "/commitments/?q=修缮")[0]
    found = _get(client, "/commitments/?q=路灯")[0]
    assert "安装路灯" in found and "修缮村道" not in found


def test_a_list_kept_for_one_reader_is_not_given_to_another(
    kept_summaries: Any, organizer: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    _commitment("修缮村道", VILLAGE_A)
    _commitment("安装路灯", VILLAGE_B)
    # allowed beside denied: the county sees both villages, a town officer of 黄山街道 only its own
    officer = make_user("town_officer", VILLAGE_B[:9])
    for url in ("/commitments/", "/api/v1/commitments?limit=200"):
        client = web_as if url.startswith("/commitments") else api_as
        mine = _get(client(organizer), url)[0]
        assert "修缮村道" in mine and "安装路灯" in mine
        theirs = _get(client(officer), url)[0]
        assert "安装路灯" in theirs and "修缮村道" not in theirs


def test_a_request_reads_the_change_number_once_and_again_after_its_own_write(zouping: Any) -> None:
    seen: list[int] = []

    def view(request: Any) -> None:
        seen.extend([change_number(COUNTY), change_number(COUNTY)])
        with transaction.atomic():
            record(actor=SYSTEM, region_code=VILLAGE_A, event="records.test_changed", summary="测试变更")
        seen.append(change_number(COUNTY))

    with CaptureQueriesContext(connection) as queries:
        KeptPerRequest(view)(None)
    asked = [q for q in queries.captured_queries if "SUM(last_seq)" in q["sql"]]
    assert len(asked) == 2  # once before the write, once after it
    assert seen[0] == seen[1] and seen[2] == seen[0] + 1
    # outside a request nothing is kept: every call asks
    with CaptureQueriesContext(connection) as queries:
        change_number(COUNTY), change_number(COUNTY)
    assert len(queries.captured_queries) == 2
