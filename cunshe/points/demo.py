"""信用+积分 in the demo county (today: the build day): 邹平市's rule book in force since 2026-07-01; every household of
黛溪街道's first six villages earned points in the third quarter, listed on 2026-10-10 (one objection upheld, one
rejected) and final on 10-20; November's points (volunteering, village rules, the service teams' hours); partner
merchants and a village points shop where households redeemed their listed points in November; the 惠民超市's
November batch settled (approved and paid today). The merchant's cashier signs in as shangjia."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from cunshe.accounts.models import User
from cunshe.core.actors import SYSTEM
from cunshe.demo.county import demo_account
from cunshe.people.models import Person
from cunshe.points.models import Balance, Holder, HolderKind, RuleBook
from cunshe.points.services import (
    available,
    book_create,
    book_publish,
    code_issue,
    holder_open,
    hours_credit,
    listing_close,
    listing_publish,
    merchant_account_add,
    merchant_create,
    objection_decide,
    objection_raise,
    points_earn,
    redeem,
    rule_add,
    settlement_approve,
    settlement_create,
    settlement_pay,
)
from cunshe.regions.models import Level, Region

COUNTY = "371681"
TOWN_A = "371681001"
MERCHANT_ACCOUNT = "shangjia"
RULES = [
    ("A1", "参加志愿服务活动", "volunteering", 5, "活动签到表"),
    ("A2", "志愿服务时长（每小时）", "service_hours", 2, ""),
    ("A3", "反映民情诉求并办结", "requests", 2, ""),
    ("B1", "美丽庭院（月度检查达标）", "village_rules", 10, "村两委检查记录或照片"),
    ("B2", "移风易俗，红白事简办", "village_rules", 10, "红白理事会记录"),
    ("B3", "参加村民会议或村民议事", "village_rules", 2, "会议签到"),
    ("C1", "乱堆乱放经劝阻不改", "deduction", -4, "村两委认定记录"),
]
GOODS = ["洗衣粉两袋", "食用油一桶", "大米十斤", "酱油醋一套", "毛巾两条", "挂面五斤", "牙膏牙刷一套"]


def _book() -> RuleBook:
    book = book_create(
        actor=SYSTEM,
        region_code=COUNTY,
        title="邹平市村级信用+积分评定细则（试行）",
        effective_from=date(2026, 7, 1),
        valid_years=3,
        fen_per_point=100,
        adopted_by="市委组织部、市民政局 2026-06-20 印发，各村村民代表会议通过",
    )
    for code, title, category, points, evidence in RULES:
        rule_add(actor=SYSTEM, book=book, code=code, title=title, category=category, points=points, evidence=evidence)
    return book_publish(actor=SYSTEM, book=book, expected_version=book.version)


def build_demo(*, seed: int) -> None:
    today = timezone.localdate()
    if today < date(2026, 12, 4) or RuleBook.objects.filter(region_id=COUNTY).exists():
        return
    rng = random.Random(seed)
    book = _book()
    rules = {r.code: r for r in book.rules.all()}
    officer = User.objects.filter(username="daixi").first() or SYSTEM
    villages = list(Region.objects.filter(parent_id=TOWN_A, level=Level.VILLAGE).order_by("code")[:6])
    holders: dict[str, list[Holder]] = {}
    for village in villages:
        people = Person.objects.filter(region_id=village.code).order_by("pk")[:12]
        holders[village.code] = [holder_open(actor=SYSTEM, person=p, kind=HolderKind.HOUSEHOLD) for p in people]
    n = 0

    def earn(holder: Holder, code: str, day: date) -> None:
        nonlocal n
        n += 1
        points_earn(
            actor=SYSTEM,
            holder=holder,
            rule=rules[code],
            occurred_on=day,
            evidence=rules[code].evidence and f"{rules[code].evidence}（{day:%m月%d日}）",
            key=f"demo:{n}",
        )

    # the third quarter
    for village in villages:
        for holder in holders[village.code]:
            for _ in range(rng.randint(2, 4)):
                earn(
                    holder,
                    rng.choice(("A1", "B1", "B1", "B2", "B3")),
                    date(2026, 7, 1) + timedelta(days=rng.randrange(0, 92)),
                )
    for index, village in enumerate(villages):
        listing = listing_publish(
            actor=SYSTEM, region_code=village.code, year=2026, quarter=3, published_on=date(2026, 10, 10)
        )
        if index == 0 and len(holders[village.code]) > 2:
            upheld = objection_raise(
                actor=SYSTEM,
                listing=listing,
                holder=holders[village.code][1],
                raised_by=holders[village.code][1].person.name,
                raised_on=date(2026, 10, 12),
                reason="9月参加秋收志愿服务未计分",
            )
            objection_decide(
                actor=SYSTEM,
                objection=upheld,
                upheld=True,
                correction=5,
                decision="经核对活动签到表属实，补记 5 分",
                decided_on=date(2026, 10, 15),
                expected_version=upheld.version,
            )
            rejected = objection_raise(
                actor=SYSTEM,
                listing=listing,
                holder=holders[village.code][2],
                raised_by="邻居",
                raised_on=date(2026, 10, 14),
                reason="认为美丽庭院评分偏高",
            )
            objection_decide(
                actor=SYSTEM,
                objection=rejected,
                upheld=False,
                decision="经复查检查记录和照片，评分无误",
                decided_on=date(2026, 10, 16),
                expected_version=rejected.version,
            )
        listing_close(actor=SYSTEM, listing=listing, closed_on=date(2026, 10, 20), expected_version=listing.version)
    # November
    for village in villages:
        for holder in holders[village.code]:
            for _ in range(rng.randint(1, 4)):
                earn(
                    holder,
                    rng.choice(("A1", "A1", "B1", "B3", "B3")),
                    date(2026, 11, 5) + timedelta(days=rng.randrange(0, 29)),
                )
            if rng.random() < 0.08 and Balance.objects.get(holder=holder).points >= 4:
                earn(holder, "C1", date(2026, 11, 5) + timedelta(days=rng.randrange(0, 29)))
    hours_credit(actor=SYSTEM, region_code=TOWN_A)
    # merchants and redemptions of the listed points
    market = merchant_create(
        actor=SYSTEM,
        region_code=TOWN_A,
        name="黛溪惠民超市",
        kind="merchant",
        joined_on=date(2026, 7, 1),
        contact="刘经理",
        phone="0543-4321001",
    )
    grain = merchant_create(
        actor=SYSTEM, region_code=TOWN_A, name="鲁中粮油店", kind="merchant", joined_on=date(2026, 7, 1)
    )
    shop = merchant_create(
        actor=SYSTEM,
        region_code=villages[0].code,
        name=f"{villages[0].short_name}积分超市",
        kind="shop",
        joined_on=date(2026, 8, 1),
    )
    cashier, _ = demo_account(username=MERCHANT_ACCOUNT, display_name="惠民超市 收银员", region_code=TOWN_A)
    merchant_account_add(actor=SYSTEM, merchant=market, username=cashier.username)
    for village in villages:
        for holder in rng.sample(holders[village.code], k=min(4, len(holders[village.code]))):
            can = available(holder)
            if can < 5:
                continue
            where = rng.choice((market, market, grain, shop)) if village == villages[0] else rng.choice((market, grain))
            redeem(
                actor=SYSTEM,
                merchant=where,
                code=code_issue(actor=SYSTEM, holder=holder).code,
                points=rng.randint(5, min(can, 30)),
                goods=rng.choice(GOODS),
                on=date(2026, 11, 8) + timedelta(days=rng.randrange(0, 21)),
            )
    batch = settlement_create(
        actor=SYSTEM,
        merchant=market,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        evidence="11月兑换小票及居民签字单",
    )
    batch = settlement_approve(actor=officer, settlement=batch, expected_version=batch.version)
    settlement_pay(
        actor=officer,
        settlement=batch,
        paid_on=today,
        evidence="街道财政所转账 流水号 3716810012026120300018",
        expected_version=batch.version,
    )
