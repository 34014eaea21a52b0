"""Rendered roll-up tables kept under their value's key (records.Kept, issue 15): a repeat view neither reads the
value nor renders the table, a change a service records shows on the very next request, and a table kept for one
reader is never shown to another (nor to the same account once its grants changed)."""

from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.template import engines

from conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.accounts.models import RoleAssignment
from cunshe.accounts.services import role_assign, role_revoke
from cunshe.core.actors import SYSTEM
from cunshe.readiness.services import assessment_file
from cunshe.records.kept import Kept
from cunshe.regions.models import Region
from cunshe.termchanges.services import term_change_open

# the pages whose table is read only when it has to be rendered again (the others read it for what they show
# beside the table: the commitments roll-up's year, the coverage target form's versions)
LAZY = ["/issueboard/", f"/issueboard/?under={TOWN_A}", "/readiness/", f"/assessments/overview/{COUNTY}/"]
TABLES = [f"/visits/?under={TOWN_A}", f"/readiness/?under={TOWN_A}", f"/issueboard/?under={TOWN_A}"]


@pytest.fixture
def organizer(zouping: Any, make_user: Any) -> Any:
    term_change_open(actor=SYSTEM, county_code=COUNTY, year=2026, opened_on=date(2026, 9, 1))
    return make_user("county_organizer", COUNTY)


@pytest.mark.parametrize("url", LAZY)
def test_a_repeat_view_neither_reads_the_table_nor_renders_it(
    kept_summaries: Any, organizer: Any, web_as: Any, url: str
) -> None:
    client = web_as(organizer)
    first = client.get(url)
    assert "value" in first.context["kept"].__dict__  # built (and kept) for the first view
    # the page itself is kept (web.kept_pages); with a message waiting it is rendered, its fragment still kept
    with mock.patch("cunshe.web.kept_pages.get_messages", return_value=["..."]):
        again = client.get(url)
    assert "value" not in again.context["kept"].__dict__  # the kept fragment: the value was never asked for
    assert again.content.split(b"<main", 1)[1].count(b"<table") == first.content.split(b"<main", 1)[1].count(b"<table")


def test_nothing_is_kept_under_the_test_settings(organizer: Any, web_as: Any) -> None:
    client = web_as(organizer)
    client.get("/readiness/")
    again = client.get("/readiness/")
    assert again.context["kept"].key is None and "value" in again.context["kept"].__dict__


def _total_red(client: Any) -> str:
    page = client.get(f"/readiness/?under={TOWN_A}").content.decode()
    return page.split("<tr><th>合计</th><th>", 1)[1].split("<", 1)[0]


def test_a_filed_assessment_shows_on_the_kept_readiness_table_at_once(
    kept_summaries: Any, organizer: Any, web_as: Any
) -> None:
    client = web_as(organizer)
    assert _total_red(client) == "0"
    assert _total_red(client) == "0"  # kept
    with transaction.atomic():
        assessment_file(
            actor=SYSTEM,
            village_code=VILLAGE_A,
            assessed_on=date(2026, 10, 1),
            stability="fair",
            risk="red",
            note="班子不团结",
        )
    assert _total_red(client) == "1"


@pytest.mark.parametrize("url", TABLES)
def test_a_table_kept_for_one_reader_is_not_shown_to_another(
    kept_summaries: Any, organizer: Any, make_user: Any, web_as: Any, url: str
) -> None:
    mine = Region.objects.get(code=VILLAGE_A).name
    theirs = Region.objects.get(code=VILLAGE_B).name
    first = web_as(organizer).get(url).content.decode()
    assert mine in first and theirs not in first
    # allowed beside denied: a town officer of 黄山街道 asking for 黛溪街道's table gets their own town's
    other = web_as(make_user("town_officer", TOWN_B)).get(url).content.decode()
    assert theirs in other and mine not in other


@pytest.mark.parametrize("url", TABLES)
def test_a_table_kept_before_a_revocation_is_not_shown_after_it(
    kept_summaries: Any, organizer: Any, web_as: Any, url: str
) -> None:
    client = web_as(organizer)
    mine = Region.objects.get(code=VILLAGE_A).name
    assert mine in client.get(url).content.decode()
    assert mine in client.get(url).content.decode()  # kept
    with transaction.atomic():  # the same account, now a town officer of 黄山街道 only
        role_assign(actor=SYSTEM, user=organizer, role="town_officer", region_code=TOWN_B)
        role_revoke(actor=SYSTEM, assignment=RoleAssignment.objects.get(user=organizer, role="county_organizer"))
    page = client.get(url).content.decode()
    assert mine not in page and Region.objects.get(code=VILLAGE_B).name in page


def test_two_readers_of_one_table_keep_it_under_two_keys(kept_summaries: Any, organizer: Any, make_user: Any) -> None:
    other = make_user("county_organizer", COUNTY)
    mine = Kept("t", organizer, lambda: 1, region_code=COUNTY)
    assert mine.key != Kept("t", other, lambda: 1, region_code=COUNTY).key
    assert mine.key != Kept("u", organizer, lambda: 1, region_code=COUNTY).key
    template = engines["django"].from_string(
        '{% load cache %}{% cache kept.seconds "t" kept.key using="summaries" %}{{ kept.value }}{% endcache %}'
    )
    assert template.render({"kept": Kept("t", organizer, lambda: "甲", region_code=COUNTY)}) == "甲"
    assert template.render({"kept": Kept("t", other, lambda: "乙", region_code=COUNTY)}) == "乙"
    assert template.render({"kept": Kept("t", organizer, lambda: "丙", region_code=COUNTY)}) == "甲"  # kept
