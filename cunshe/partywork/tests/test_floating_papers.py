"""One floating member in the API (as their page shows them) and on paper: the registration form (流动党员登记表) and
the card (流动党员活动证), seen by whoever sees the member's page. A card past its date or taken back prints marked
已过期 / 已收回, never as a valid one; a member never carded has no card to print."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.partywork import hooks, rules
from cunshe.partywork.models import FloatingMember
from cunshe.partywork.services import (
    card_issue,
    floating_register,
    group_create,
    member_return,
    report_add,
)
from cunshe.requests.selectors import raised_and_solved_by

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _away(make_person: Any, name: str, *, left: date, carded: bool = True) -> FloatingMember:
    person = make_person(VILLAGE_A, is_party_member=True, party_joined_on=date(2001, 7, 1), name=name)
    m = floating_register(
        actor=SYSTEM,
        person=person,
        whereabouts="微山湖捕捞船队",
        work="捕捞",
        left_on=left,
        expected_back_on=rules.add_months(left, 5),
    )
    if carded:
        card_issue(actor=SYSTEM, member=m, issued_on=left, valid_until=rules.add_months(left, 6))
    return m


def _flat(content: bytes) -> str:
    return pdf_text(content)[0].replace("\n", "").replace(" ", "")


def test_one_member_in_the_api_as_the_page_shows_them(make_person: Any, make_user: Any, api_as: Any) -> None:
    left = TODAY - timedelta(days=20)
    crew = [_away(make_person, f"船员{n}", left=left) for n in range(3)]
    m = crew[0]
    group_create(
        actor=SYSTEM,
        town_code=TOWN_A,
        kind="boat",
        name="鲁微渔 0123 船头党小组",
        whereabouts="微山湖",
        formed_on=TODAY,
        members=crew,
    )
    report_add(actor=SYSTEM, member=m, year=TODAY.year, reported_on=TODAY, content="在船队参加组织生活")
    url = f"/api/v1/partywork/floating/{m.pk}"
    assert api_as(make_user("town_officer", TOWN_B)).get(url).status_code == 404
    api = api_as(make_user("village_cadre", VILLAGE_A))
    got = api.get(url).json()
    card = m.cards.get()
    assert (got["name"], got["whereabouts"], got["work"]) == ("船员0", "微山湖捕捞船队", "捕捞")
    assert got["card"]["number"] == card.number and got["card"]["valid_until"] == f"{card.valid_until:%Y-%m-%d}"
    assert got["card"]["state"] == "" and len(got["cards"]) == 1
    assert [(g["group"], g["kind"], g["left_on"]) for g in got["groups"]] == [("鲁微渔 0123 船头党小组", "boat", None)]
    assert [(r["year"], r["content"]) for r in got["reports"]] == [(TODAY.year, "在船队参加组织生活")]
    assert got["report_overdue"] is False and got["requests_raised"] == 0  # wired to the requests app: none yet
    hooks.set_floating_requests_source(lambda ids: (3, 2))
    try:
        got = api.get(url).json()
        assert (got["requests_raised"], got["requests_solved"]) == (3, 2)
        hooks.set_floating_requests_source(None)
        assert api.get(url).json()["requests_raised"] is None  # not connected, never a made-up zero
    finally:
        hooks.set_floating_requests_source(raised_and_solved_by)


def test_the_registration_form_and_the_card_print_what_they_hold(make_person: Any, make_user: Any, web_as: Any) -> None:
    m = _away(make_person, "李流动", left=TODAY - timedelta(days=20))
    card = m.cards.get()
    report_add(actor=SYSTEM, member=m, year=TODAY.year, reported_on=TODAY, content="在船队参加组织生活")
    cadre = web_as(make_user("village_cadre", VILLAGE_A))
    page = cadre.get(f"/partywork/floating/{m.pk}/").content.decode()
    assert "打印流动党员登记表" in page and "打印流动党员活动证" in page and "通过诉求渠道反映诉求：0 件" in page
    form = cadre.get(f"/partywork/floating/{m.pk}/registration.pdf")
    assert form.status_code == 200 and form["Content-Type"] == "application/pdf"
    text = _flat(form.content)
    for words in ("流动党员登记表", "李流动", "微山湖捕捞船队", card.number, "在船队参加组织生活", "（盖章）"):
        assert words in text, words
    printed = _flat(cadre.get(f"/partywork/floating/{m.pk}/card.pdf").content)
    for words in (
        "流动党员活动证",
        "李流动",
        "所属党组织",
        m.region.name.replace("村委会", ""),
        "外出去向微山湖捕捞船队",
        card.number,
        f"发证日期{card.issued_on:%Y-%m-%d}",
        f"有效期至{card.valid_until:%Y-%m-%d}",
        "发证机关",
        "发证党组织（盖章）",
    ):
        assert words in printed, words
    assert "已过期" not in printed and "已收回" not in printed
    # the same visibility as the member's page: another town does not find either
    other = web_as(make_user("town_officer", TOWN_B))
    assert other.get(f"/partywork/floating/{m.pk}/registration.pdf").status_code == 404
    assert other.get(f"/partywork/floating/{m.pk}/card.pdf").status_code == 404
    # taken back on return: the card prints marked so
    member_return(actor=SYSTEM, member=m, returned_on=TODAY, expected_version=m.version)
    assert f"已收回（{TODAY:%Y-%m-%d}）" in _flat(cadre.get(f"/partywork/floating/{m.pk}/card.pdf").content)


def test_an_expired_card_prints_marked_and_no_card_prints_nothing(
    make_person: Any, make_user: Any, web_as: Any, api_as: Any
) -> None:
    old = _away(make_person, "王过期", left=TODAY - timedelta(days=240))
    card = old.cards.get()
    assert card.valid_until < TODAY
    officer = make_user("town_officer", TOWN_A)
    content = web_as(officer).get(f"/partywork/floating/{old.pk}/card.pdf").content
    printed = _flat(content)
    assert pdf_text(content)[1] == 1  # the card, marked, still one page to cut out
    assert "【已过期】" in printed and f"有效期至{card.valid_until:%Y-%m-%d}" in printed and card.number in printed
    assert api_as(officer).get(f"/api/v1/partywork/floating/{old.pk}").json()["card"] is None
    registered = _flat(web_as(officer).get(f"/partywork/floating/{old.pk}/registration.pdf").content)
    assert "已过期" in registered
    none = _away(make_person, "赵未证", left=TODAY - timedelta(days=5), carded=False)
    back = web_as(officer).get(f"/partywork/floating/{none.pk}/card.pdf")
    assert back.status_code == 302 and back["Location"] == f"/partywork/floating/{none.pk}/"
    refused = api_as(officer).get(f"/api/v1/partywork/floating/{none.pk}/card.pdf")
    assert refused.status_code == 400 and "尚未发放流动党员活动证" in refused.content.decode()
    assert "打印流动党员活动证" not in web_as(officer).get(f"/partywork/floating/{none.pk}/").content.decode()


def test_one_member_reads_in_a_constant_number_of_queries(
    make_person: Any, make_user: Any, api_as: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    person = make_person(VILLAGE_A, is_party_member=True, party_joined_on=date(2001, 7, 1))
    m = floating_register(
        actor=SYSTEM,
        person=person,
        whereabouts="上海",
        left_on=date(TODAY.year - 3, 3, 1),
        cannot_transfer=True,
        cannot_transfer_reason="务工单位无党组织",
    )
    for year in range(TODAY.year - 3, TODAY.year + 1):  # four years: a card and a report each
        issued = max(date(year, 3, 1), m.left_on)
        card_issue(actor=SYSTEM, member=m, issued_on=issued, valid_until=date(year, 12, 31))
        report_add(
            actor=SYSTEM, member=m, year=year, reported_on=min(date(year, 12, 20), TODAY), content=f"{year} 年度报告"
        )
    api, web = api_as(make_user("village_cadre", VILLAGE_A)), web_as(make_user("village_cadre", VILLAGE_A))
    api.get(f"/api/v1/partywork/floating/{m.pk}")  # warm the token's session
    with django_assert_max_num_queries(8):
        got = api.get(f"/api/v1/partywork/floating/{m.pk}").json()
    assert len(got["cards"]) == 4 and len(got["reports"]) == 4
    # latest first: the one held, then each taken back the day the next was issued
    assert [c["state"] for c in got["cards"]] == [
        "",
        *[f"已收回（{y}-03-01）" for y in range(TODAY.year, TODAY.year - 3, -1)],
    ]
    web.get(f"/partywork/floating/{m.pk}/registration.pdf")
    with django_assert_max_num_queries(9):
        text = _flat(web.get(f"/partywork/floating/{m.pk}/registration.pdf").content)
    assert all(f"{y}年度报告" in text for y in range(TODAY.year - 3, TODAY.year + 1))
