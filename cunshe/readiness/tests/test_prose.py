"""Issue 14 (item 4): every value a person reads is Chinese prose: a desired post by its name, never its code, on
the village page and in the record book."""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import COUNTY, VILLAGE_A
from cunshe.eligibility.services import exclusion_rules_install_defaults
from cunshe.readiness.services import intent_record
from cunshe.readiness.tests.test_intent_sheet import _cadre
from cunshe.records.templatetags.records import prose_of


def test_a_desired_post_reads_as_its_name(term_change: Any, officer: Any, make_person: Any, web_as: Any) -> None:
    runs = _cadre(make_person, VILLAGE_A, "竞选乙")
    intent_record(
        actor=officer, member=runs, intention="run_for", desired_post="director", surveyed_on=date(2026, 10, 1)
    )
    intent_record(
        actor=officer, member=runs, intention="run_for", desired_post="secretary", surveyed_on=date(2026, 10, 2),
        expected_version=1,
    )  # fmt: skip
    page = web_as(officer).get(f"/readiness/{VILLAGE_A}/").content.decode()
    assert "愿意竞选其他职务（书记）" in page and "（secretary）" not in page
    book = web_as(officer).get(f"/records/{VILLAGE_A}/").content.decode()
    assert "意向职务：主任 → 书记" in book and "：director" not in book and "（director）" not in book


def test_the_record_book_shows_lists_dates_and_yes_no_as_prose(zouping: Any, make_user: Any, web_as: Any) -> None:
    organizer = make_user("county_organizer", COUNTY)
    exclusion_rules_install_defaults(actor=organizer, county_code=COUNTY)
    book = web_as(organizer).get(f"/records/{COUNTY}/").content.decode()
    assert "规则：1. 政治上两面、2. 受过刑事处罚或涉黑涉恶、3." in book and "[&#x27;" not in book and "['" not in book
    assert prose_of(["赵庆晓", "王五"]) == "赵庆晓、王五"
    assert (
        prose_of("2026-12-13") == "2026年12月13日" and prose_of("2026-12-13T16:00:00+08:00") == "2026年12月13日 16:00"
    )
    assert prose_of(True) == "是" and prose_of(None) == "（空）" and prose_of({"甲": 1}) == "甲：1"
