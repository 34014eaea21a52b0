from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from conftest import TOWN_A, TOWN_B, VILLAGE_A, VILLAGE_B
from cunshe.access.tests.walk import Rule, World, pk, version
from cunshe.core.actors import SYSTEM
from cunshe.points.models import (
    Entry,
    Holder,
    Listing,
    Merchant,
    MerchantAccount,
    Objection,
    Redemption,
    RuleBook,
    Settlement,
)
from cunshe.points.services import (
    book_create,
    code_issue,
    listing_close,
    listing_publish,
    merchant_create,
    objection_raise,
    points_earn,
    redeem,
    rule_add,
    settlement_approve,
    settlement_create,
)
from cunshe.points.tests.helpers import published_book, rule
from cunshe.serviceteams.tests.helpers import plain_account

VILLAGES = {"a": VILLAGE_A, "b": VILLAGE_B}
TOWNS = {"a": TOWN_A, "b": TOWN_B}
Q1 = date(2026, 2, 10)


def setup(world: World, make_person: Any, **_: Any) -> None:
    from cunshe.points.services import holder_open

    today = timezone.localdate()
    county = RuleBook.objects.filter(region_id=VILLAGE_A[:6], published_at__isnull=False).first()
    county = county or published_book(VILLAGE_A[:6])
    for side, village in VILLAGES.items():
        holder = holder_open(actor=SYSTEM, person=make_person(village, name=f"积分{side}甲"))
        points_earn(
            actor=SYSTEM,
            holder=holder,
            rule=rule(county, "B1"),
            occurred_on=Q1,
            evidence="检查记录",
            key=f"walk:{side}:1",
        )
        points_earn(
            actor=SYSTEM,
            holder=holder,
            rule=rule(county, "A1"),
            occurred_on=date(2026, 8, 1),
            evidence="签到表",
            key=f"walk:{side}:2",
        )
        q1 = listing_publish(actor=SYSTEM, region_code=village, year=2026, quarter=1, published_on=date(2026, 4, 2))
        listing_close(actor=SYSTEM, listing=q1, closed_on=date(2026, 4, 20), expected_version=q1.version)
        q2 = listing_publish(actor=SYSTEM, region_code=village, year=2026, quarter=2, published_on=date(2026, 7, 2))
        q3 = listing_publish(
            actor=SYSTEM, region_code=village, year=2026, quarter=3, published_on=today - timedelta(10), days=5
        )
        objection = objection_raise(
            actor=SYSTEM,
            listing=q3,
            holder=holder,
            raised_by=f"异议人{side}",
            raised_on=today - timedelta(8),
            reason="漏记",
        )
        draft = book_create(
            actor=SYSTEM, region_code=village, title=f"村规积分细则{side}", effective_from=date(2027, 1, 1)
        )
        rule_add(actor=SYSTEM, book=draft, code="V1", title="参加村民议事", category="other", points=2)
        shop = merchant_create(
            actor=SYSTEM, region_code=village, name=f"积分超市{side}", kind="shop", joined_on=date(2026, 1, 1)
        )
        for n in (1, 2, 3):
            redeem(
                actor=SYSTEM,
                merchant=shop,
                code=code_issue(actor=SYSTEM, holder=holder).code,
                points=1,
                goods=f"物品{n}",
            )
        rows = list(Redemption.objects.filter(merchant=shop).order_by("pk"))
        Redemption.objects.filter(pk=rows[0].pk).update(redeemed_on=today - timedelta(20))
        Redemption.objects.filter(pk=rows[1].pk).update(redeemed_on=today - timedelta(10))
        Redemption.objects.filter(pk=rows[2].pk).update(redeemed_on=today - timedelta(3))
        draft_batch = settlement_create(
            actor=SYSTEM, merchant=shop, period_start=today - timedelta(25), period_end=today - timedelta(15)
        )
        approved = settlement_create(
            actor=SYSTEM, merchant=shop, period_start=today - timedelta(14), period_end=today - timedelta(5)
        )
        approved = settlement_approve(actor=SYSTEM, settlement=approved, expected_version=approved.version)
        world.extra |= {
            f"pt_holder_{side}": holder,
            f"pt_q2_{side}": q2,
            f"pt_q3_{side}": q3,
            f"pt_obj_{side}": objection,
            f"pt_draft_{side}": draft,
            f"pt_shop_{side}": shop,
            f"pt_batch_{side}": draft_batch,
            f"pt_approved_{side}": approved,
            f"pt_person_{side}": make_person(village),
            f"pt_account_{side}": plain_account(village, "merchant"),
        }


def _pair(key: str, name: str = "pk") -> dict[str, Any]:
    return {"a": pk(f"{key}_a", name), "b": pk(f"{key}_b", name)}


def _code(side: str) -> Any:
    return lambda w: {"code": VILLAGES[side]}


def _entries_b(w: World) -> bool:
    return Entry.objects.filter(holder=w.extra["pt_holder_b"]).count() == 5  # 2 earned, 3 redeemed


def _rules_b(w: World) -> bool:
    return w.extra["pt_draft_b"].rules.count() == 1


def _draft_b(w: World) -> bool:
    return RuleBook.objects.get(pk=w.extra["pt_draft_b"].pk).published_at is None


def _no_book_b(w: World) -> bool:
    return not RuleBook.objects.filter(title="新细则").exists()


def _no_merchant_b(w: World) -> bool:
    return not Merchant.objects.filter(name="新商户").exists()


def _no_holder_b(w: World) -> bool:
    return not Holder.objects.filter(person=w.extra["pt_person_b"]).exists()


def _no_listing_b(w: World) -> bool:
    return not Listing.objects.filter(region_id=VILLAGE_B, quarter=4, year=2025).exists()


def _q2_b_open(w: World) -> bool:
    return Listing.objects.get(pk=w.extra["pt_q2_b"].pk).status == "published"


def _objections_b(w: World) -> bool:
    return Objection.objects.filter(listing=w.extra["pt_q3_b"]).count() == 1


def _obj_b_pending(w: World) -> bool:
    return Objection.objects.get(pk=w.extra["pt_obj_b"].pk).status == "pending"


def _accounts_b(w: World) -> bool:
    return not MerchantAccount.objects.filter(merchant=w.extra["pt_shop_b"]).exists()


def _redemptions_b(w: World) -> bool:
    return Redemption.objects.filter(merchant=w.extra["pt_shop_b"]).count() == 3


def _batches_b(w: World) -> bool:
    return Settlement.objects.filter(merchant=w.extra["pt_shop_b"]).count() == 2


def _batch_b(status: str, key: str) -> Any:
    return lambda w: Settlement.objects.get(pk=w.extra[key].pk).status == status


def _redeem(side: str) -> Any:
    return lambda w: {
        "code": code_issue(actor=SYSTEM, holder=w.extra[f"pt_holder_{side}"]).code,
        "points": 1,
        "goods": "酱油",
    }


def _earn(side: str) -> Any:
    def body(w: World) -> dict[str, Any]:
        book = RuleBook.objects.get(region_id=VILLAGE_A[:6], published_at__isnull=False)
        return {
            "rule": rule(book, "A1").pk,
            "rule_id": rule(book, "A1").pk,
            "occurred_on": "2026-11-10",
            "times": 1,
            "evidence": "签到表",
            "key": f"walk:{side}:new",
        }

    return body


def _today(offset: int = 0) -> str:
    return (timezone.localdate() - timedelta(days=offset)).isoformat()


BOOK = {"title": "新细则", "effective_from": "2027-06-01", "valid_years": 3, "fen_per_point": 100, "adopted_by": ""}
RULE = {"code": "V9", "title": "新条目", "category": "other", "points": 1, "evidence": ""}
MERCHANT = {"name": "新商户", "kind": "merchant", "joined_on": "2026-11-01", "contact": "", "phone": ""}
LISTING = {"year": 2025, "quarter": 4, "published_on": "2026-01-10", "days": 7}
DECIDE = {"upheld": "0", "correction": 0, "decision": "经核实无误", "decided_on": _today()}
DECIDE_API = {"upheld": False, "correction": 0, "decision": "经核实无误", "decided_on": _today()}


def _region(side: str, body: dict[str, Any], where: dict[str, str] = VILLAGES) -> Any:
    return lambda w: {**body, "region": where[side]}


def _objection(side: str, api: bool) -> Any:
    field = "holder_id" if api else "holder"
    return lambda w: {
        field: w.extra[f"pt_holder_{side}"].pk,
        "raised_by": "某村民",
        "raised_on": _today(7),
        "reason": "分值有误",
    }


def _settle(w: World) -> dict[str, Any]:
    return {"period_start": _today(4), "period_end": _today(1), "evidence": ""}


def _pay(key: str) -> Any:
    return version(key, paid_on=_today(), evidence="转账流水 001")


WEB_RULES = {
    "points:index": Rule("scoped", marker_a=lambda w: "积分a甲户", marker_b=lambda w: "积分b甲户"),
    "points:book_new": Rule(
        "scoped",
        method="POST",
        body_a=_region("a", BOOK),
        body_b=_region("b", BOOK),
        b_unchanged=_no_book_b,
        refused_status=302,
    ),
    "points:book": Rule("scoped", **_pair("pt_draft")),
    "points:rule_new": Rule(
        "scoped", method="POST", **_pair("pt_draft"), body_a=lambda w: RULE, body_b=lambda w: RULE, b_unchanged=_rules_b
    ),
    "points:book_publish": Rule(
        "scoped",
        method="POST",
        **_pair("pt_draft"),
        body_a=version("pt_draft_a"),
        body_b=version("pt_draft_b"),
        b_unchanged=_draft_b,
    ),
    "points:holder_new": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {"village": VILLAGE_A, "person": w.extra["pt_person_a"].pk, "kind": "household"},
        body_b=lambda w: {"village": VILLAGE_B, "person": w.extra["pt_person_b"].pk, "kind": "household"},
        b_unchanged=_no_holder_b,
    ),
    "points:holder": Rule("scoped", **_pair("pt_holder")),
    "points:earn": Rule(
        "scoped", method="POST", **_pair("pt_holder"), body_a=_earn("a"), body_b=_earn("b"), b_unchanged=_entries_b
    ),
    "points:code": Rule("scoped", method="POST", **_pair("pt_holder"), b_unchanged=_entries_b),
    "points:credit": Rule(
        "scoped",
        method="POST",
        body_a=_region("a", {}),
        body_b=_region("b", {}),
        b_unchanged=_entries_b,
        refused_status=302,
    ),
    "points:expire": Rule(
        "scoped",
        method="POST",
        body_a=_region("a", {}),
        body_b=_region("b", {}),
        b_unchanged=_entries_b,
        refused_status=302,
    ),
    "points:ledger": Rule("scoped", a=_code("a"), b=_code("b"), as_text=lambda c: ""),
    "points:verify": Rule(
        "scoped",
        query_a=f"?region={VILLAGE_A}",
        query_b=f"?region={VILLAGE_B}",
        marker_a=lambda w: "西范",
        marker_b=lambda w: "黄山",
    ),
    "points:listing_new": Rule(
        "scoped",
        method="POST",
        body_a=_region("a", LISTING),
        body_b=_region("b", LISTING),
        b_unchanged=_no_listing_b,
        refused_status=302,
    ),
    "points:listing": Rule("scoped", **_pair("pt_q3")),
    "points:board": Rule("scoped", **_pair("pt_q3"), as_text=lambda c: ""),
    "points:objection_new": Rule(
        "scoped",
        method="POST",
        **_pair("pt_q3"),
        body_a=_objection("a", False),
        body_b=_objection("b", False),
        b_unchanged=_objections_b,
    ),
    "points:close": Rule(
        "scoped",
        method="POST",
        **_pair("pt_q2"),
        body_a=version("pt_q2_a", closed_on=_today()),
        body_b=version("pt_q2_b", closed_on=_today()),
        b_unchanged=_q2_b_open,
    ),
    "points:decide": Rule(
        "scoped",
        method="POST",
        **_pair("pt_obj"),
        body_a=version("pt_obj_a", **DECIDE),
        body_b=version("pt_obj_b", **DECIDE),
        b_unchanged=_obj_b_pending,
    ),
    "points:merchant_new": Rule(
        "scoped",
        method="POST",
        body_a=_region("a", MERCHANT, TOWNS),
        body_b=_region("b", MERCHANT, TOWNS),
        b_unchanged=_no_merchant_b,
        refused_status=302,
    ),
    "points:merchant": Rule("scoped", **_pair("pt_shop")),
    "points:redeem": Rule(
        "scoped",
        method="POST",
        **_pair("pt_shop"),
        body_a=_redeem("a"),
        body_b=_redeem("b"),
        b_unchanged=_redemptions_b,
    ),
    "points:merchant_account": Rule(
        "scoped",
        method="POST",
        **_pair("pt_shop"),
        body_a=lambda w: {"username": w.extra["pt_account_a"].username},
        body_b=lambda w: {"username": w.extra["pt_account_b"].username},
        b_unchanged=_accounts_b,
    ),
    "points:settlement_new": Rule(
        "scoped", method="POST", **_pair("pt_shop"), body_a=_settle, body_b=_settle, b_unchanged=_batches_b
    ),
    "points:settlement": Rule("scoped", **_pair("pt_batch")),
    "points:approve": Rule(
        "scoped",
        method="POST",
        **_pair("pt_batch"),
        body_a=version("pt_batch_a"),
        body_b=version("pt_batch_b"),
        b_unchanged=_batch_b("draft", "pt_batch_b"),
    ),
    "points:pay": Rule(
        "scoped",
        method="POST",
        **_pair("pt_approved"),
        body_a=_pay("pt_approved_a"),
        body_b=_pay("pt_approved_b"),
        b_unchanged=_batch_b("approved", "pt_approved_b"),
    ),
    "points:settlement_pdf": Rule("scoped", **_pair("pt_batch"), as_text=lambda c: ""),
    "points:settlement_xlsx": Rule("scoped", **_pair("pt_batch"), as_text=lambda c: ""),
    "points_public:village": Rule("public", b=_code("b")),
}

_API = "/api/v1/points"
API_RULES = {
    f"GET {_API}/books": Rule("scoped", marker_a=lambda w: "村规积分细则a", marker_b=lambda w: "村规积分细则b"),
    f"POST {_API}/books": Rule(
        "scoped", method="POST", body_a=_region("a", BOOK), body_b=_region("b", BOOK), b_unchanged=_no_book_b
    ),
    f"GET {_API}/books/{{book_id}}": Rule("scoped", **_pair("pt_draft", "book_id")),
    f"POST {_API}/books/{{book_id}}/rules": Rule(
        "scoped",
        method="POST",
        **_pair("pt_draft", "book_id"),
        body_a=lambda w: RULE,
        body_b=lambda w: RULE,
        b_unchanged=_rules_b,
    ),
    f"POST {_API}/books/{{book_id}}/publish": Rule(
        "scoped",
        method="POST",
        **_pair("pt_draft", "book_id"),
        body_a=version("pt_draft_a"),
        body_b=version("pt_draft_b"),
        b_unchanged=_draft_b,
    ),
    f"GET {_API}/holders": Rule("scoped", marker_a=lambda w: "积分a甲户", marker_b=lambda w: "积分b甲户"),
    f"POST {_API}/holders": Rule(
        "scoped",
        method="POST",
        body_a=lambda w: {"person_id": w.extra["pt_person_a"].pk},
        body_b=lambda w: {"person_id": w.extra["pt_person_b"].pk},
        b_unchanged=_no_holder_b,
    ),
    f"GET {_API}/holders/{{holder_id}}": Rule("scoped", **_pair("pt_holder", "holder_id")),
    f"GET {_API}/holders/{{holder_id}}/entries": Rule("scoped", **_pair("pt_holder", "holder_id")),
    f"POST {_API}/holders/{{holder_id}}/entries": Rule(
        "scoped",
        method="POST",
        **_pair("pt_holder", "holder_id"),
        body_a=_earn("a"),
        body_b=_earn("b"),
        b_unchanged=_entries_b,
    ),
    f"POST {_API}/holders/{{holder_id}}/code": Rule(
        "scoped", method="POST", **_pair("pt_holder", "holder_id"), b_unchanged=_entries_b
    ),
    f"POST {_API}/hours-credit": Rule(
        "scoped", method="POST", body_a=_region("a", {}), body_b=_region("b", {}), b_unchanged=_entries_b
    ),
    f"POST {_API}/expire": Rule(
        "scoped", method="POST", body_a=_region("a", {}), body_b=_region("b", {}), b_unchanged=_entries_b
    ),
    f"GET {_API}/villages/{{code}}/ledger.xlsx": Rule("scoped", a=_code("a"), b=_code("b"), as_text=lambda c: ""),
    f"GET {_API}/verify": Rule(
        "scoped",
        query_a=f"?region={VILLAGE_A}",
        query_b=f"?region={VILLAGE_B}",
        marker_a=lambda w: '"holders"',
        marker_b=lambda w: '"holders"',
    ),
    f"GET {_API}/listings": Rule("scoped", marker_a=lambda w: VILLAGE_A, marker_b=lambda w: VILLAGE_B),
    f"POST {_API}/listings": Rule(
        "scoped", method="POST", body_a=_region("a", LISTING), body_b=_region("b", LISTING), b_unchanged=_no_listing_b
    ),
    f"GET {_API}/listings/{{listing_id}}": Rule("scoped", **_pair("pt_q3", "listing_id")),
    f"GET {_API}/listings/{{listing_id}}/board.pdf": Rule(
        "scoped", **_pair("pt_q3", "listing_id"), as_text=lambda c: ""
    ),
    f"POST {_API}/listings/{{listing_id}}/objections": Rule(
        "scoped",
        method="POST",
        **_pair("pt_q3", "listing_id"),
        body_a=_objection("a", True),
        body_b=_objection("b", True),
        b_unchanged=_objections_b,
    ),
    f"POST {_API}/objections/{{objection_id}}/decide": Rule(
        "scoped",
        method="POST",
        **_pair("pt_obj", "objection_id"),
        body_a=version("pt_obj_a", **DECIDE_API),
        body_b=version("pt_obj_b", **DECIDE_API),
        b_unchanged=_obj_b_pending,
    ),
    f"POST {_API}/listings/{{listing_id}}/close": Rule(
        "scoped",
        method="POST",
        **_pair("pt_q2", "listing_id"),
        body_a=version("pt_q2_a", closed_on=_today()),
        body_b=version("pt_q2_b", closed_on=_today()),
        b_unchanged=_q2_b_open,
    ),
    f"GET {_API}/public/{{code}}": Rule("public", b=_code("b")),
    f"GET {_API}/merchants": Rule("scoped", marker_a=lambda w: "积分超市a", marker_b=lambda w: "积分超市b"),
    f"POST {_API}/merchants": Rule(
        "scoped",
        method="POST",
        body_a=_region("a", MERCHANT, TOWNS),
        body_b=_region("b", MERCHANT, TOWNS),
        b_unchanged=_no_merchant_b,
    ),
    f"POST {_API}/merchants/{{merchant_id}}/accounts": Rule(
        "scoped",
        method="POST",
        **_pair("pt_shop", "merchant_id"),
        body_a=lambda w: {"username": w.extra["pt_account_a"].username},
        body_b=lambda w: {"username": w.extra["pt_account_b"].username},
        b_unchanged=_accounts_b,
    ),
    f"POST {_API}/merchants/{{merchant_id}}/redeem": Rule(
        "scoped",
        method="POST",
        **_pair("pt_shop", "merchant_id"),
        body_a=_redeem("a"),
        body_b=_redeem("b"),
        b_unchanged=_redemptions_b,
    ),
    f"GET {_API}/redemptions": Rule("scoped", marker_a=lambda w: "积分a甲户", marker_b=lambda w: "积分b甲户"),
    f"POST {_API}/merchants/{{merchant_id}}/settlements": Rule(
        "scoped",
        method="POST",
        **_pair("pt_shop", "merchant_id"),
        body_a=_settle,
        body_b=_settle,
        b_unchanged=_batches_b,
    ),
    f"GET {_API}/settlements": Rule("scoped", marker_a=lambda w: "积分超市a", marker_b=lambda w: "积分超市b"),
    f"GET {_API}/settlements/{{settlement_id}}": Rule("scoped", **_pair("pt_batch", "settlement_id")),
    f"POST {_API}/settlements/{{settlement_id}}/approve": Rule(
        "scoped",
        method="POST",
        **_pair("pt_batch", "settlement_id"),
        body_a=version("pt_batch_a"),
        body_b=version("pt_batch_b"),
        b_unchanged=_batch_b("draft", "pt_batch_b"),
    ),
    f"POST {_API}/settlements/{{settlement_id}}/pay": Rule(
        "scoped",
        method="POST",
        **_pair("pt_approved", "settlement_id"),
        body_a=_pay("pt_approved_a"),
        body_b=_pay("pt_approved_b"),
        b_unchanged=_batch_b("approved", "pt_approved_b"),
    ),
    f"GET {_API}/settlements/{{settlement_id}}/sheet.pdf": Rule(
        "scoped", **_pair("pt_batch", "settlement_id"), as_text=lambda c: ""
    ),
    f"GET {_API}/settlements/{{settlement_id}}/redemptions.xlsx": Rule(
        "scoped", **_pair("pt_batch", "settlement_id"), as_text=lambda c: ""
    ),
}
