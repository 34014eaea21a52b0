from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
import python_calamine
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from conftest import COUNTY, TOWN_A, VILLAGE_A, VILLAGE_B, pdf_text
from cunshe.core.actors import SYSTEM
from cunshe.core.errors import DomainError, IllegalTransition, NotPermitted
from cunshe.points import documents, ledger
from cunshe.points.models import Balance, Entry, Holder
from cunshe.points.services import (
    available,
    code_issue,
    hours_credit,
    listing_close,
    listing_publish,
    merchant_account_add,
    merchant_create,
    objection_decide,
    objection_raise,
    points_earn,
    points_expire,
    redeem,
    rule_add,
    settlement_approve,
    settlement_create,
    settlement_pay,
    verify,
)
from cunshe.points.tests.helpers import household, published_book, rule
from cunshe.records.models import AppendOnly
from cunshe.serviceteams.services import order_accept, order_complete
from cunshe.serviceteams.tests.helpers import dispatched, plain_account, team_with_members

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
Q3 = date(2026, 8, 10)  # a day of the last quarter already over


def _earn(holder: Holder, book: Any, code: str = "A1", on: date = Q3, key: str = "", evidence: str = "") -> Entry:
    return points_earn(
        actor=SYSTEM,
        holder=holder,
        rule=rule(book, code),
        occurred_on=on,
        evidence=evidence or "活动签到表",
        key=key or f"t:{holder.pk}:{code}:{on}:{Entry.objects.count()}",
    )


def _final_q3(village: str) -> None:
    x = listing_publish(actor=SYSTEM, region_code=village, year=2026, quarter=3, published_on=date(2026, 10, 10))
    listing_close(actor=SYSTEM, listing=x, closed_on=date(2026, 10, 20), expected_version=x.version)


def test_a_published_rule_book_never_changes(make_person: Any) -> None:
    book = published_book(COUNTY)
    with pytest.raises(IllegalTransition):
        rule_add(actor=SYSTEM, book=book, code="Z9", title="新条目", category="other", points=1)
    from cunshe.points.services import book_create

    with pytest.raises(DomainError) as refused:  # a new version must take effect after the current one
        book_create(actor=SYSTEM, region_code=COUNTY, title="第二版", effective_from=date(2021, 6, 1))
    assert "effective_from" in refused.value.field_errors
    holder = household(VILLAGE_A, make_person)
    with pytest.raises(DomainError) as refused:  # before the book took effect
        _earn(holder, book, on=date(2021, 12, 31))
    assert "rule" in refused.value.field_errors
    with pytest.raises(DomainError) as refused:  # the rule asks for evidence
        points_earn(actor=SYSTEM, holder=holder, rule=rule(book, "B1"), occurred_on=Q3, evidence="", key="b1")
    assert "evidence" in refused.value.field_errors


def test_a_repeated_entry_is_a_no_op(make_person: Any) -> None:
    book = published_book(COUNTY)
    holder = household(VILLAGE_A, make_person)
    first = _earn(holder, book, key="page:abc")
    again = _earn(holder, book, key="page:abc")
    assert first.pk == again.pk and Entry.objects.filter(holder=holder).count() == 1
    assert Balance.objects.get(holder=holder).points == 5
    with pytest.raises(DomainError):  # the same key for another fact is refused, not silently merged
        points_earn(
            actor=SYSTEM, holder=holder, rule=rule(book, "A1"), occurred_on=Q3, evidence="x", key="page:abc", times=2
        )
    with pytest.raises(AppendOnly):
        Entry.objects.filter(pk=first.pk).update(points=50)
    with pytest.raises(AppendOnly):
        first.delete()


def test_never_below_zero(make_person: Any) -> None:
    book = published_book(COUNTY)
    holder = household(VILLAGE_A, make_person)
    _earn(holder, book)  # 5
    with pytest.raises(DomainError):  # a deduction of 4 twice: the second would leave -3
        _earn(holder, book, "C1")
        _earn(holder, book, "C1")
    assert Balance.objects.get(holder=holder).points == 1
    # the database refuses it too, whatever raced past the service's check
    with pytest.raises(IntegrityError), transaction.atomic():
        Balance.objects.filter(holder=holder).update(points=-1)


def test_points_are_redeemable_only_after_the_quarterly_listing(make_person: Any, make_user: Any) -> None:
    book = published_book(COUNTY)
    holder = household(VILLAGE_A, make_person)
    _earn(holder, book)
    shop = merchant_create(
        actor=SYSTEM, region_code=VILLAGE_A, name="西范村积分超市", kind="shop", joined_on=date(2026, 1, 1)
    )
    assert available(holder) == 0
    code = code_issue(actor=SYSTEM, holder=holder)
    with pytest.raises(DomainError) as refused:
        redeem(actor=SYSTEM, merchant=shop, code=code.code, points=5, goods="洗衣粉")
    assert "未公示" in refused.value.message
    _final_q3(VILLAGE_A)
    assert available(holder) == 5
    with pytest.raises(DomainError):  # more than the balance
        redeem(actor=SYSTEM, merchant=shop, code=code.code, points=6, goods="洗衣粉")
    done = redeem(actor=SYSTEM, merchant=shop, code=code.code, points=5, goods="洗衣粉")
    assert redeem(actor=SYSTEM, merchant=shop, code=code.code, points=5, goods="洗衣粉").pk == done.pk  # no-op
    assert Balance.objects.get(holder=holder).points == 0 and done.fen == 500
    with pytest.raises(DomainError):  # a used code
        redeem(actor=SYSTEM, merchant=shop, code=code.code, points=1, goods="盐")


def test_the_objection_window(make_person: Any) -> None:
    book = published_book(COUNTY)
    holder = household(VILLAGE_A, make_person)
    _earn(holder, book)
    x = listing_publish(actor=SYSTEM, region_code=VILLAGE_A, year=2026, quarter=3, published_on=date(2026, 10, 10))
    assert x.objection_until == date(2026, 10, 17)
    with pytest.raises(DomainError):  # before the quarter ends, no listing
        listing_publish(actor=SYSTEM, region_code=VILLAGE_A, year=2026, quarter=4, published_on=date(2026, 12, 1))
    with pytest.raises(DomainError) as refused:  # the day after the window
        objection_raise(
            actor=SYSTEM,
            listing=x,
            holder=holder,
            raised_by="张某",
            raised_on=date(2026, 10, 18),
            reason="漏记一次志愿服务",
        )
    assert "raised_on" in refused.value.field_errors
    objection = objection_raise(
        actor=SYSTEM,
        listing=x,
        holder=holder,
        raised_by="张某",
        raised_on=date(2026, 10, 17),
        reason="漏记一次志愿服务",
    )  # the last day counts
    with pytest.raises(DomainError) as refused:  # inside the window, and one objection undecided
        listing_close(actor=SYSTEM, listing=x, closed_on=date(2026, 10, 17), expected_version=x.version)
    assert set(refused.value.field_errors) == {"closed_on", "objections"}
    objection_decide(
        actor=SYSTEM,
        objection=objection,
        upheld=True,
        decision="经核实确有漏记",
        correction=5,
        decided_on=date(2026, 10, 19),
        expected_version=objection.version,
    )
    assert Balance.objects.get(holder=holder).points == 10
    with pytest.raises(IllegalTransition):
        objection_decide(
            actor=SYSTEM,
            objection=objection,
            upheld=False,
            decision="再议",
            decided_on=date(2026, 10, 19),
            expected_version=objection.version,
        )
    listing_close(actor=SYSTEM, listing=x, closed_on=date(2026, 10, 20), expected_version=x.version)
    assert available(holder) == 5  # the correction of 10-19 falls after Q3: listed next quarter


def test_expiry_first_in_first_out(make_person: Any) -> None:
    book = published_book(COUNTY, valid_years=3)
    holder = household(VILLAGE_A, make_person)
    _earn(holder, book, "B1", on=date(2022, 3, 1))  # 10, expires 2025-03-01
    _earn(holder, book, "A1", on=date(2023, 5, 1))  # 5, expires 2026-05-01
    _earn(holder, book, "C1", on=date(2024, 1, 1))  # -4 taken from the oldest lot
    assert points_expire(actor=SYSTEM, region_code=VILLAGE_A, on=date(2025, 2, 28)) == 0
    assert points_expire(actor=SYSTEM, region_code=VILLAGE_A, on=date(2025, 3, 1)) == 6  # 10 - 4
    assert points_expire(actor=SYSTEM, region_code=VILLAGE_A, on=date(2025, 3, 1)) == 0  # again: nothing
    assert Balance.objects.get(holder=holder).points == 5
    assert points_expire(actor=SYSTEM, region_code=VILLAGE_A, on=TODAY) == 5
    assert Balance.objects.get(holder=holder).points == 0
    assert verify(VILLAGE_A) == (1, [])


def test_fifo_arithmetic() -> None:
    d = date(2020, 1, 1)
    lines = [
        ledger.Line(1, "earn", 10, d, date(2021, 1, 1)),
        ledger.Line(2, "earn", 10, d + timedelta(days=1), date(2021, 1, 2)),
        ledger.Line(3, "redeem", -15, d + timedelta(days=2), None),
    ]
    assert ledger.due_to_expire(lines, date(2021, 1, 2)) == [(2, 5)]
    assert ledger.problems(lines, 5) == []
    assert ledger.problems(lines, 4) == ["余额 4 与流水合计 5 不符"]
    assert ledger.problems([ledger.Line(1, "redeem", -1, d, None)], -1)[0].startswith("第 1 笔后余额为负")


def test_verify_finds_a_balance_that_disagrees(make_person: Any) -> None:
    book = published_book(COUNTY)
    holder = household(VILLAGE_A, make_person)
    _earn(holder, book)
    assert verify(VILLAGE_A) == (1, [])
    Balance.objects.filter(holder=holder).update(points=50)
    checked, problems = verify(VILLAGE_A)
    assert checked == 1 and "余额 50 与流水合计 5 不符" in problems[0]


def test_service_hours_earn_points_once(make_person: Any) -> None:
    published_book(COUNTY)
    team, members, account = team_with_members(VILLAGE_A, make_person)
    order = dispatched(team, wanted_on=Q3)
    order = order_accept(actor=account, order=order, expected_version=order.version)
    order_complete(
        actor=account,
        order=order,
        completed_on=Q3,
        minutes={members[0].pk: 90, members[1].pk: 20},
        expected_version=order.version,
    )
    result = hours_credit(actor=SYSTEM, region_code=VILLAGE_A)
    assert (result.credited, result.points, result.skipped) == (1, 3, 1)  # 90 min at 2/h = 3; 20 min < 1 point
    assert hours_credit(actor=SYSTEM, region_code=VILLAGE_A).credited == 0
    holder = Holder.objects.get(person=members[0].person, kind="person")
    assert Balance.objects.get(holder=holder).points == 3


def test_merchant_accounts_see_and_redeem_only_their_own(make_person: Any, make_user: Any, api_as: Any) -> None:
    book = published_book(COUNTY)
    holder = household(VILLAGE_A, make_person, name="张三")
    _earn(holder, book, "B1")
    _final_q3(VILLAGE_A)
    mine = merchant_create(
        actor=SYSTEM, region_code=TOWN_A, name="黛溪惠民超市", kind="merchant", joined_on=date(2026, 1, 1)
    )
    other = merchant_create(
        actor=SYSTEM, region_code=TOWN_A, name="黛溪粮油店", kind="merchant", joined_on=date(2026, 1, 1)
    )
    cashier, stranger = plain_account(TOWN_A, "shop"), plain_account(TOWN_A, "shop")
    merchant_account_add(actor=SYSTEM, merchant=mine, username=cashier.username)
    merchant_account_add(actor=SYSTEM, merchant=other, username=stranger.username)
    with pytest.raises(DomainError):  # staff accounts are not merchant accounts
        merchant_account_add(actor=SYSTEM, merchant=mine, username=make_user("village_cadre", VILLAGE_A).username)
    code = code_issue(actor=SYSTEM, holder=holder).code
    client = api_as(cashier)
    url = f"/api/v1/points/merchants/{mine.pk}/redeem"
    assert (
        api_as(stranger)
        .post(url, {"code": code, "points": 3, "goods": "大米"}, content_type="application/json")
        .status_code
        == 404
    )
    done = client.post(url, {"code": code, "points": 3, "goods": "大米"}, content_type="application/json")
    assert done.status_code == 201 and done.json()["fen"] == 300
    assert (
        client.post(url, {"code": code, "points": 3, "goods": "大米"}, content_type="application/json").json()["id"]
        == done.json()["id"]
    )
    assert [r["id"] for r in client.get("/api/v1/points/redemptions").json()["items"]] == [done.json()["id"]]
    assert api_as(stranger).get("/api/v1/points/redemptions").json()["items"] == []
    assert client.get(f"/api/v1/points/holders/{holder.pk}").status_code == 404  # nothing else
    outsider = make_user("village_cadre", VILLAGE_B)
    with pytest.raises(Http404):
        redeem(actor=outsider, merchant=mine, code=code, points=1, goods="盐")


def test_settlement_in_batches_with_approval(make_person: Any, make_user: Any) -> None:
    book = published_book(COUNTY)
    shop = merchant_create(
        actor=SYSTEM, region_code=VILLAGE_A, name="西范村积分超市", kind="shop", joined_on=date(2026, 1, 1)
    )
    holders = [household(VILLAGE_A, make_person) for _ in range(2)]
    for h in holders:
        _earn(h, book, "B1")
    _final_q3(VILLAGE_A)
    for h, n in zip(holders, (7, 3), strict=True):
        redeem(actor=SYSTEM, merchant=shop, code=code_issue(actor=SYSTEM, holder=h).code, points=n, goods="食用油")
    with pytest.raises(DomainError):  # the period must be over
        settlement_create(actor=SYSTEM, merchant=shop, period_start=TODAY - timedelta(days=30), period_end=TODAY)
    yesterday = TODAY - timedelta(days=1)
    # redemptions are dated today, so a batch ending yesterday is empty
    with pytest.raises(DomainError):
        settlement_create(
            actor=SYSTEM, merchant=shop, period_start=yesterday - timedelta(days=30), period_end=yesterday
        )
    from cunshe.points.models import Redemption

    Redemption.objects.update(redeemed_on=yesterday)  # as if redeemed yesterday (bookkeeping table, not the ledger)
    batch = settlement_create(
        actor=SYSTEM,
        merchant=shop,
        period_start=yesterday - timedelta(days=30),
        period_end=yesterday,
        evidence="兑换小票 2 张",
    )
    assert (batch.count, batch.total_points, batch.total_fen) == (2, 10, 1000)
    cadre, officer = make_user("village_cadre", VILLAGE_A), make_user("town_officer", TOWN_A)
    with pytest.raises(NotPermitted):
        settlement_approve(actor=cadre, settlement=batch, expected_version=batch.version)
    with pytest.raises(IllegalTransition):
        settlement_pay(actor=officer, settlement=batch, paid_on=TODAY, evidence="转账", expected_version=batch.version)
    batch = settlement_approve(actor=officer, settlement=batch, expected_version=batch.version)
    batch = settlement_pay(
        actor=officer,
        settlement=batch,
        paid_on=TODAY,
        evidence="银行转账流水 2026120500012",
        expected_version=batch.version,
    )
    assert batch.status == "paid" and batch.paid_on == TODAY
    text, _ = pdf_text(documents.settlement_pdf(batch))
    assert "西范村积分超市积分兑换结算单" in text and "10.00" in text and "已支付" in text
    rows = python_calamine.CalamineWorkbook.from_filelike(BytesIO(documents.settlement_xlsx(batch)))
    assert len(rows.get_sheet_by_index(0).to_python()) == 3


def test_listing_board_and_public_page(
    make_person: Any, client: Any, make_user: Any, web_as: Any, django_assert_max_num_queries: Any
) -> None:
    book = published_book(COUNTY)
    for n in range(3):
        _earn(household(VILLAGE_A, make_person, name=f"公示户{n}"), book)
    x = listing_publish(actor=SYSTEM, region_code=VILLAGE_A, year=2026, quarter=3, published_on=date(2026, 10, 10))
    from cunshe.points import selectors

    text, _ = pdf_text(documents.listing_pdf(x, selectors.lines_of(x), []))
    assert "2026年第3季度信用积分公示" in text and "公示户1户" in text
    page = client.get(f"/public/points/{VILLAGE_A}/")
    assert page.status_code == 200 and "公示户2户" in page.content.decode()
    assert client.get(f"/public/points/{VILLAGE_B}/").content.decode().count("公示户") == 0
    # the village's public page leads there; a village without a listing shows no such section
    village_page = client.get(f"/public/regions/{VILLAGE_A}/").content.decode()
    assert (
        "2026 年第 3 季度：公示中，异议截止" in village_page and f'href="/public/points/{VILLAGE_A}/"' in village_page
    )
    assert "信用积分公示" not in client.get(f"/public/regions/{VILLAGE_B}/").content.decode()
    staff = web_as(make_user("town_officer", TOWN_A))
    with django_assert_max_num_queries(18):  # a constant count: each of the page's lists pages (and counts itself)
        assert staff.get("/points/").status_code == 200
    assert web_as(make_user("village_cadre", VILLAGE_B)).get(f"/points/listings/{x.pk}/").status_code == 404
