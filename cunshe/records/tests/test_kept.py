"""Roll-up tables kept while the county's record book stands still (records.kept, issue 15): the same page without
its table's queries, and the change a service records shows on the very next request."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import COUNTY, TOWN_A, VILLAGE_A
from cunshe.core.actors import SYSTEM
from cunshe.issueboard.services import issue_raise
from cunshe.records.kept import change_number
from cunshe.records.models import RecordChain
from cunshe.records.services import record
from cunshe.termchanges.services import term_change_open

ROLLUPS = [
    f"/commitments/rollup/{COUNTY}/",
    f"/assessments/overview/{COUNTY}/",
    "/visits/",
    "/issueboard/",
    f"/issueboard/?under={TOWN_A}",
    "/readiness/",
    f"/readiness/?under={TOWN_A}",
    # the lists, kept rendered under the reader's regions and the query string
    "/commitments/",
    "/commitments/?kind=first&page=1",
    "/people/",
    "/people/?q=村民",
    "/termchanges/",
]


TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|nonce="|X-CSRFToken": ")[^"]+')


def _get(client: Any, url: str, **extra: Any) -> tuple[str, int]:
    """The page with its per-request tokens masked, and its number of queries."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return TOKENS.sub(r"\1*", response.content.decode()), len(queries.captured_queries)


@pytest.fixture
def organizer(zouping: Any, make_user: Any) -> Any:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    return make_user("county_organizer", COUNTY)


@pytest.mark.parametrize("url", ROLLUPS)
def test_a_page_is_kept_until_its_regions_record_a_change(
    kept_summaries: Any, organizer: Any, web_as: Any, url: str
) -> None:
    client = web_as(organizer)
    client.get("/home/")  # the shell's grants and unread count kept already: only the table is left to keep
    cold, cold_queries = _get(client, url)
    kept, kept_queries = _get(client, url)
    assert kept == cold and kept_queries < cold_queries
    with transaction.atomic():
        record(actor=SYSTEM, region_code=VILLAGE_A, event="records.test_changed", summary="测试变更")
    assert _get(client, url)[1] > kept_queries  # built again (less the change number, read with the session)


def test_a_raised_issue_shows_on_the_kept_board_at_once(kept_summaries: Any, organizer: Any, web_as: Any) -> None:
    client = web_as(organizer)

    def total_open() -> str:
        page = client.get(f"/issueboard/?under={TOWN_A}").content.decode()
        return page.split("<tr><th>合计</th><th>", 1)[1].split("<", 1)[0]

    assert total_open() == "0"
    assert total_open() == "0"
    with transaction.atomic():
        issue_raise(
            actor=SYSTEM,
            village_code=VILLAGE_A,
            title="路灯损坏",
            owner="村主任",
            due_on=timezone.localdate() + timedelta(days=30),
        )
    assert total_open() == "1"


def test_the_change_number_of_a_county_leaves_out_the_other_counties(zouping: Any) -> None:
    # the heads alone, as they would be: the sums are what this test reads, not the entries
    RecordChain.objects.all().delete()
    RecordChain.objects.create(chain="371681", last_seq=7)
    RecordChain.objects.create(chain="370481", last_seq=100)  # another county of the province
    RecordChain.objects.create(chain="37", last_seq=2)  # a province-wide import
    RecordChain.objects.create(chain="00", last_seq=1)  # the national one
    assert change_number(COUNTY) == change_number(TOWN_A) == change_number(VILLAGE_A) == 10
    assert change_number("37") == change_number() == 110


@pytest.mark.django_db
def test_a_value_kept_on_the_day_outlasts_the_minute_and_one_kept_on_the_minute_does_not(
    kept_summaries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table that reads dates only is kept across minutes (no rebuild each minute: issue 15's p99) and built again
    when the day turns in Asia/Shanghai; the home page's to-do summary, whose deadlines have a time of day, still
    follows the minute."""
    from cunshe.records import kept as kept_module
    from cunshe.records.kept import kept

    builds = {"day": 0, "minute": 0}

    def build(clock: str) -> Any:
        def counted() -> int:
            builds[clock] += 1
            return builds[clock]

        return counted

    minute, today = kept_module.current_minute(), kept_module.current_day()
    assert kept("t", None, build("day")) == kept("t2", None, build("minute"), clock="minute") == 1
    monkeypatch.setattr(kept_module, "current_minute", lambda: minute + 1)
    assert kept("t", None, build("day")) == 1
    assert kept("t2", None, build("minute"), clock="minute") == 2
    monkeypatch.setattr(kept_module, "current_day", lambda: today + 1)
    assert kept("t", None, build("day")) == 2


def test_the_minute_a_kept_value_lasts_is_the_clocks(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils import timezone

    from cunshe.records import kept

    at = timezone.now().replace(second=59, microsecond=900_000)
    monkeypatch.setattr(timezone, "now", lambda: at)
    minute = kept.current_minute()
    monkeypatch.setattr(timezone, "now", lambda: at + timedelta(seconds=0.2))
    assert kept.current_minute() == minute + 1
