"""Every write of the points module. Rule books (drafts edited, published versions frozen), holders, the ledger
(`_append`: one locked balance row, an idempotency key, never below zero), the service-hours credit, quarterly
listings with objections, merchants and their accounts, redemption by code, expiry (FIFO) and settlements.
Each service checks the access rule, validates everything first, saves in one transaction and records."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone

from cunshe.core.actors import SYSTEM, Actor, user_of
from cunshe.core.concurrency import bump_version
from cunshe.core.errors import DomainError, IllegalTransition
from cunshe.core.text import clean_text
from cunshe.people.models import Person
from cunshe.points import ledger
from cunshe.points.models import (
    Balance,
    Entry,
    EntryKind,
    Holder,
    HolderKind,
    Listing,
    ListingLine,
    ListingStatus,
    Merchant,
    MerchantAccount,
    MerchantKind,
    Objection,
    ObjectionStatus,
    RedeemCode,
    Redemption,
    Rule,
    RuleBook,
    RuleCategory,
    Settlement,
    SettlementStatus,
)
from cunshe.points.permissions import (
    book_policy,
    check_redeem,
    holder_policy,
    listing_policy,
    merchant_policy,
    objection_policy,
    settlement_policy,
)
from cunshe.records.services import record
from cunshe.regions.models import Level, Region
from cunshe.serviceteams.services import existing_account

CODE_MINUTES = 10  # a redemption code shown on the phone is valid this long
OBJECTION_DAYS = 7  # the listing's default objection window (RULES.md is silent; 7 days as for the voter register)


def _name(actor: Actor) -> str:
    user = user_of(actor)
    return "系统" if user is None else (user.display_name or user.username)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return start, end


# ---- rule books -------------------------------------------------------------------------------------------------


@transaction.atomic
def book_create(
    *,
    actor: Actor,
    region_code: str,
    title: str,
    effective_from: date,
    valid_years: int = 3,
    fen_per_point: int = 100,
    adopted_by: str = "",
    copy_from: RuleBook | None = None,
) -> RuleBook:
    """A new draft version of the county's or the village's rule book (optionally starting from an earlier one)."""
    region = Region.objects.filter(code=region_code, level__in=(Level.COUNTY, Level.VILLAGE)).first()
    if region is None:
        raise DomainError("积分细则由县(市、区)或村(社区)制定。", {"region": ["须为县(市、区)或村(社区)。"]})
    book_policy.check_in_region(actor, "change", region.code)
    errors: dict[str, list[str]] = {}
    title, adopted_by = clean_text(title), clean_text(adopted_by)
    if not title or len(title) > 100:
        errors["title"] = ["请填写名称（不超过 100 字）。"]
    if len(adopted_by) > 100:
        errors["adopted_by"] = ["通过方式不超过 100 字。"]
    if not 0 <= valid_years <= 10:
        errors["valid_years"] = ["有效期为 0（不过期）至 10 年。"]
    if not 1 <= fen_per_point <= 10_000:
        errors["fen_per_point"] = ["每分折合 1 至 10000 分钱。"]
    latest = RuleBook.objects.filter(region=region, published_at__isnull=False).order_by("-number").first()
    if latest is not None and effective_from <= latest.effective_from:
        errors["effective_from"] = [f"生效日期须晚于现行第 {latest.number} 版（{latest.effective_from:%Y-%m-%d}）。"]
    if copy_from is not None and copy_from.region_id != region.code:
        errors["copy_from"] = ["只能以本单位的细则为底稿。"]
    if errors:
        raise DomainError("积分细则有误，未保存。", errors)
    number = (RuleBook.objects.filter(region=region).aggregate(n=Max("number"))["n"] or 0) + 1
    book = RuleBook.objects.create(
        region=region,
        number=number,
        title=title,
        effective_from=effective_from,
        valid_years=valid_years,
        fen_per_point=fen_per_point,
        adopted_by=adopted_by,
    )
    if copy_from is not None:
        Rule.objects.bulk_create(
            Rule(book=book, code=r.code, title=r.title, category=r.category, points=r.points, evidence=r.evidence)
            for r in copy_from.rules.all()
        )
    record(
        actor=actor,
        region_code=region.code,
        event="points.book_created",
        summary=f"{region.name}积分细则第 {number} 版（草稿）：{title}",
        obj=book,
        after={"名称": title, "生效日期": effective_from, "有效期(年)": valid_years, "每分折合(分)": fen_per_point},
    )
    return book


def _draft(book: RuleBook) -> None:
    if book.published_at is not None:
        raise IllegalTransition("已发布的积分细则不能修改；请另立新版本。")


@transaction.atomic
def rule_add(
    *, actor: Actor, book: RuleBook, code: str, title: str, category: str, points: int, evidence: str = ""
) -> Rule:
    book_policy.check(actor, "change", book)
    _draft(book)
    errors: dict[str, list[str]] = {}
    code, title, evidence = clean_text(code), clean_text(title), clean_text(evidence)
    if not code or len(code) > 10:
        errors["code"] = ["请填写条目编号（不超过 10 字）。"]
    elif book.rules.filter(code=code).exists():
        errors["code"] = ["本版已有该编号。"]
    if not title or len(title) > 100:
        errors["title"] = ["请填写条目（不超过 100 字）。"]
    if category not in RuleCategory.values:
        errors["category"] = ["请选择类别。"]
    elif (category == RuleCategory.DEDUCTION) != (points < 0):
        errors["points"] = ["扣分条目分值为负，其他条目分值为正。"]
    if points == 0 or abs(points) > 1000:
        errors["points"] = ["分值须为非零整数，绝对值不超过 1000。"]
    if len(evidence) > 200:
        errors["evidence"] = ["所需佐证不超过 200 字。"]
    if errors:
        raise DomainError("积分条目有误，未保存。", errors)
    rule = Rule.objects.create(book=book, code=code, title=title, category=category, points=points, evidence=evidence)
    record(
        actor=actor,
        region_code=book.region_id,
        event="points.rule_added",
        summary=f"{book}：{code} {title}（{points:+d} 分）",
        obj=rule,
        after={"条目": title, "类别": rule.get_category_display(), "分值": points, "所需佐证": evidence},
    )
    return rule


@transaction.atomic
def book_publish(*, actor: Actor, book: RuleBook, expected_version: int) -> RuleBook:
    book_policy.check(actor, "change", book)
    _draft(book)
    if not book.rules.exists():
        raise DomainError("细则还没有条目，不能发布。", {"rules": ["请先添加条目。"]})
    bump_version(book, expected_version=expected_version)
    book.published_at = timezone.now()
    book.save(update_fields=["published_at"])
    record(
        actor=actor,
        region_code=book.region_id,
        event="points.book_published",
        summary=f"发布{book}，{book.effective_from:%Y-%m-%d} 起施行",
        obj=book,
        after={"状态": "已发布", "生效日期": book.effective_from},
    )
    return book


def book_in_force(village: str, on: date) -> RuleBook | None:
    """The village's own latest published version in force on the day, else the county's."""
    for code in (village, village[:6]):
        book = (
            RuleBook.objects.filter(region_id=code, published_at__isnull=False, effective_from__lte=on)
            .order_by("-effective_from", "-number")
            .first()
        )
        if book is not None:
            return book
    return None


# ---- holders and the ledger -------------------------------------------------------------------------------------


@transaction.atomic
def holder_open(*, actor: Actor, person: Person, kind: str = HolderKind.HOUSEHOLD) -> Holder:
    """The household of which the person is the head (户主), or the person; opening one twice returns it."""
    if kind not in HolderKind.values:
        raise DomainError("请选择积分主体。", {"kind": ["请选择户或个人。"]})
    holder_policy.check_in_region(actor, "change", person.region_id)
    existing = Holder.objects.filter(kind=kind, person=person).first()
    if existing is not None:
        return existing
    name = f"{person.name}户" if kind == HolderKind.HOUSEHOLD else person.name
    holder = Holder.objects.create(region_id=person.region_id, kind=kind, person=person, name=name)
    Balance.objects.create(holder=holder, region_id=holder.region_id, points=0)
    record(
        actor=actor,
        region_code=holder.region_id,
        event="points.holder_opened",
        summary=f"开立积分账户：{name}",
        obj=holder,
        after={"积分主体": holder.get_kind_display(), "名称": name},
    )
    return holder


def _append(
    *,
    actor: Actor,
    holder: Holder,
    kind: str,
    points: int,
    key: str,
    occurred_on: date,
    rule: Rule | None = None,
    expires_on: date | None = None,
    evidence: str = "",
) -> tuple[Entry, bool]:
    """Append one ledger line and move the balance in the same transaction. Returns (entry, created): a key seen
    before is a no-op answering the first entry. The balance row is locked (SELECT … FOR UPDATE; SQLite serialises
    writers) and its CHECK (points >= 0) refuses a balance below zero whatever races past the first check."""
    found = Entry.objects.filter(key=key).first()
    if found is not None:
        if found.holder_id != holder.pk or found.points != points:
            raise DomainError("该业务编号已用于另一笔积分。", {"key": [f"幂等键 {key} 已被使用。"]})
        return found, False
    balance = Balance.objects.select_for_update().get(holder=holder)
    if balance.points + points < 0:
        raise DomainError(
            f"积分不足：{holder.name}现有 {balance.points} 分，本次需 {-points} 分。", {"points": ["积分不足。"]}
        )
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin's key or a negative balance undoes only this
            entry = Entry.objects.create(
                key=key,
                holder=holder,
                region_id=holder.region_id,
                kind=kind,
                points=points,
                rule=rule,
                occurred_on=occurred_on,
                expires_on=expires_on,
                evidence=evidence,
                operator=user_of(actor),
                operator_name=_name(actor),
            )
            Balance.objects.filter(pk=holder.pk).update(points=F("points") + points)
    except IntegrityError as exc:
        twin = Entry.objects.filter(key=key).first()
        if twin is not None and twin.holder_id == holder.pk and twin.points == points:
            return twin, False
        raise DomainError(f"积分不足：{holder.name}的余额不能低于零。", {"points": ["积分不足。"]}) from exc
    return entry, True


@transaction.atomic
def points_earn(
    *,
    actor: Actor,
    holder: Holder,
    rule: Rule,
    occurred_on: date,
    evidence: str,
    key: str,
    times: int = 1,
) -> Entry:
    """Points earned (or deducted) per a rule of the book in force in the holder's village on the day, with the
    evidence the rule asks for. `key` names the fact (e.g. "page:<uuid>" from the form, "hours:<id>"): the same key
    twice is one entry."""
    holder_policy.check(actor, "change", holder)
    evidence, key = clean_text(evidence), clean_text(key)
    errors: dict[str, list[str]] = {}
    book = book_in_force(holder.region_id, occurred_on)
    if book is None or rule.book_id != book.pk:
        errors["rule"] = [f"该条目不属于 {occurred_on:%Y-%m-%d} 施行的积分细则。"]
    if rule.evidence and not evidence:
        errors["evidence"] = [f"该条目须附佐证：{rule.evidence}。"]
    if len(evidence) > 300:
        errors["evidence"] = ["佐证不超过 300 字。"]
    if not key or len(key) > 100:
        errors["key"] = ["缺少业务编号（幂等键）。"]
    if not 1 <= times <= 100:
        errors["times"] = ["次数为 1 至 100。"]
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = ["发生日期不能晚于今天。"]
    if errors:
        raise DomainError("积分登记有误，未保存。", errors)
    assert book is not None
    points = rule.points * times
    earning = points > 0
    entry, created = _append(
        actor=actor,
        holder=holder,
        kind=EntryKind.EARN if earning else EntryKind.DEDUCT,
        points=points,
        key=key,
        occurred_on=occurred_on,
        rule=rule,
        expires_on=add_years(occurred_on, book.valid_years) if earning and book.valid_years else None,
        evidence=evidence,
    )
    if created:
        record(
            actor=actor,
            region_code=holder.region_id,
            event="points.earned" if earning else "points.deducted",
            summary=f"{holder.name}：{rule.code} {rule.title} {points:+d} 分",
            obj=entry,
            after={"积分": points, "条目": f"{rule.code} {rule.title}", "佐证": evidence, "发生日期": occurred_on},
        )
    return entry


def hours_rule(village: str, on: date) -> Rule | None:
    book = book_in_force(village, on)
    return None if book is None else book.rules.filter(category=RuleCategory.SERVICE_HOURS).order_by("code").first()


@dataclass
class HoursCredit:
    credited: int = 0
    points: int = 0
    skipped: int = 0  # no service-hours rule in force, or too few minutes for a point


@transaction.atomic
def hours_credit(*, actor: Actor, region_code: str) -> HoursCredit:
    """Turn the service teams' recorded minutes into points for each member's own account (opened when missing),
    by the service-hours rule in force on the day: whole points, rounded down. Re-running it adds nothing (each
    Hours row has its key "hours:<id>")."""
    from cunshe.serviceteams.models import Hours

    holder_policy.check_in_region(actor, "change", region_code)
    result = HoursCredit()
    done = set(
        Entry.objects.filter(region__startswith=region_code, key__startswith="hours:").values_list("key", flat=True)
    )
    for hours in Hours.objects.filter(region__startswith=region_code).select_related("member__person", "order"):
        key = f"hours:{hours.pk}"
        if key in done:
            continue
        rule = hours_rule(hours.region_id, hours.worked_on)
        points = (rule.points * hours.minutes) // 60 if rule else 0
        if rule is None or points <= 0:
            result.skipped += 1
            continue
        holder = holder_open(actor=actor, person=hours.member.person, kind=HolderKind.PERSON)
        entry = points_earn_hours(actor=actor, holder=holder, rule=rule, hours=hours, points=points, key=key)
        result.credited += 1
        result.points += entry.points
    if result.credited:
        record(
            actor=actor,
            region_code=region_code,
            event="points.hours_credited",
            summary=f"服务时长计入积分：{result.credited} 笔，共 {result.points} 分",
            after={"笔数": result.credited, "积分": result.points},
        )
    return result


def points_earn_hours(*, actor: Actor, holder: Holder, rule: Rule, hours: Any, points: int, key: str) -> Entry:
    book = rule.book
    entry, _ = _append(
        actor=actor,
        holder=holder,
        kind=EntryKind.EARN,
        points=points,
        key=key,
        occurred_on=hours.worked_on,
        rule=rule,
        expires_on=add_years(hours.worked_on, book.valid_years) if book.valid_years else None,
        evidence=f"服务订单 {hours.order.number}，{hours.minutes} 分钟",
    )
    return entry


# The hook for cunshe/requests (wired by the lead): a resolved request credits its reporter per a "requests" rule,
# keyed "requests:<id>" so a re-run changes nothing.
def points_for_request(
    *, actor: Actor, holder: Holder, request_id: int, occurred_on: date, evidence: str
) -> Entry | None:
    book = book_in_force(holder.region_id, occurred_on)
    rule = None if book is None else book.rules.filter(category=RuleCategory.REQUESTS).order_by("code").first()
    if rule is None:
        return None
    return points_earn(
        actor=actor, holder=holder, rule=rule, occurred_on=occurred_on, evidence=evidence, key=f"requests:{request_id}"
    )


def points_for_solved_request(request: Any) -> None:
    """The requests module's solved hook (cunshe.requests.hooks): a resident registered as the one who raised the
    request (`raised_by`) earns the village's "requests" rule when the request is confirmed solved — on the household
    they head if it holds points, else on their own account (opened for it). Anonymous reporters earn nothing: there
    is nobody to credit. Keyed "requests:<id>", so a request solved again after a reopening is credited once."""
    person = request.raised_by
    if person is None:
        return
    on = timezone.localdate(request.answered_at) if request.answered_at else timezone.localdate()
    book = book_in_force(person.region_id, on)
    if book is None or not book.rules.filter(category=RuleCategory.REQUESTS).exists():
        return
    holder = Holder.objects.filter(person=person).order_by("kind").first()  # "household" sorts before "person"
    if holder is None:
        holder = holder_open(actor=SYSTEM, person=person, kind=HolderKind.PERSON)
    points_for_request(
        actor=SYSTEM,
        holder=holder,
        request_id=request.pk,
        occurred_on=on,
        evidence=f"反映的民情诉求 {request.number} 经群众确认已解决",
    )


# ---- expiry -----------------------------------------------------------------------------------------------------


def _lines(holder_ids: list[int]) -> dict[int, list[ledger.Line]]:
    out: dict[int, list[ledger.Line]] = {h: [] for h in holder_ids}
    rows = Entry.objects.filter(holder_id__in=holder_ids).values_list(
        "pk", "holder_id", "kind", "points", "occurred_on", "expires_on", "key"
    )
    for pk, holder_id, kind, points, occurred_on, expires_on, key in rows.iterator(chunk_size=5000):
        lot = int(key.split(":", 1)[1]) if kind == EntryKind.EXPIRE else None
        out[holder_id].append(ledger.Line(pk, kind, points, occurred_on, expires_on, lot))
    return out


@transaction.atomic
def points_expire(*, actor: Actor, region_code: str, on: date) -> int:
    """Expire what is left of every earning past its date (FIFO: spending took the oldest earnings first).
    Returns the points expired; re-running on the same day expires nothing more (key "expire:<earning id>")."""
    holder_policy.check_in_region(actor, "change", region_code)
    holder_ids = list(
        Entry.objects.filter(region__startswith=region_code, kind=EntryKind.EARN, expires_on__lte=on)
        .values_list("holder_id", flat=True)
        .distinct()
    )
    total = 0
    holders = Holder.objects.in_bulk(holder_ids)
    for holder_id, lines in _lines(holder_ids).items():
        for lot, left in ledger.due_to_expire(lines, on):
            expiry = next(x for x in lines if x.pk == lot).expires_on
            assert expiry is not None
            _, created = _append(
                actor=actor,
                holder=holders[holder_id],
                kind=EntryKind.EXPIRE,
                points=-left,
                key=f"expire:{lot}",
                occurred_on=expiry,
                evidence=f"第 {lot} 笔积分到期",
            )
            total += left if created else 0
    if total:
        record(
            actor=actor,
            region_code=region_code,
            event="points.expired",
            summary=f"积分到期清零：共 {total} 分（截至 {on:%Y-%m-%d}）",
            after={"到期积分": total},
        )
    return total


# ---- quarterly listing and objections ---------------------------------------------------------------------------


def listed_until(village: str) -> date | None:
    """The end of the latest quarter whose listing is final: earnings after it are not yet redeemable."""
    last = Listing.objects.filter(region_id=village, status=ListingStatus.FINAL).order_by("-year", "-quarter").first()
    return None if last is None else quarter_bounds(last.year, last.quarter)[1]


def available(holder: Holder) -> int:
    """What the holder may redeem now: the balance less what was earned after the last final listing."""
    balance = Balance.objects.get(holder=holder).points
    until = listed_until(holder.region_id)
    unlisted = Entry.objects.filter(holder=holder, points__gt=0)
    if until is not None:
        unlisted = unlisted.filter(occurred_on__gt=until)
    pending = unlisted.aggregate(s=Sum("points"))["s"] or 0
    return max(0, balance - pending)


def listing_rows(village: str, year: int, quarter: int) -> list[dict[str, Any]]:
    """Per holder: earned in the quarter, spent in it, balance at its end (one grouped query)."""
    start, end = quarter_bounds(year, quarter)
    rows = (
        Entry.objects.filter(region_id=village, occurred_on__lte=end)
        .values("holder_id")
        .annotate(
            earned=Sum("points", filter=Q(occurred_on__gte=start, points__gt=0), default=0),
            spent=Sum("points", filter=Q(occurred_on__gte=start, points__lt=0), default=0),
            balance=Sum("points"),
        )
        .order_by("holder_id")
    )
    return [{**r, "spent": -r["spent"]} for r in rows]


@transaction.atomic
def listing_publish(
    *, actor: Actor, region_code: str, year: int, quarter: int, published_on: date, days: int = OBJECTION_DAYS
) -> Listing:
    if not Region.objects.filter(code=region_code, level=Level.VILLAGE).exists():
        raise DomainError("请选择村(社区)。", {"region": ["须为村(社区)。"]})
    listing_policy.check_in_region(actor, "change", region_code)
    errors: dict[str, list[str]] = {}
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise DomainError("季度有误。", {"quarter": ["季度为 1 至 4。"]})
    _, end = quarter_bounds(year, quarter)
    if published_on <= end:
        errors["published_on"] = [f"季度结束（{end:%Y-%m-%d}）后才能公示。"]
    if not 5 <= days <= 30:
        errors["days"] = ["异议期为 5 至 30 天。"]
    if Listing.objects.filter(region_id=region_code, year=year, quarter=quarter).exists():
        errors["quarter"] = ["该季度已公示。"]
    if errors:
        raise DomainError("公示有误，未保存。", errors)
    listing = Listing.objects.create(
        region_id=region_code,
        year=year,
        quarter=quarter,
        published_on=published_on,
        objection_until=published_on + timedelta(days=days),
    )
    rows = listing_rows(region_code, year, quarter)
    ListingLine.objects.bulk_create(ListingLine(listing=listing, **r) for r in rows)
    record(
        actor=actor,
        region_code=region_code,
        event="points.listing_published",
        summary=f"{listing}：{len(rows)} 户(人)，异议期至 {listing.objection_until:%Y-%m-%d}",
        obj=listing,
        after={"公示日期": published_on, "异议截止": listing.objection_until, "户(人)数": len(rows)},
    )
    return listing


@transaction.atomic
def objection_raise(
    *, actor: Actor, listing: Listing, holder: Holder, raised_by: str, raised_on: date, reason: str
) -> Objection:
    """An objection (申诉) to a line of the listing, taken while the window is open (both ends included)."""
    listing_policy.check(actor, "change", listing)
    errors: dict[str, list[str]] = {}
    raised_by, reason = clean_text(raised_by), clean_text(reason)
    if not raised_by or len(raised_by) > 30:
        errors["raised_by"] = ["请填写异议人（不超过 30 字）。"]
    if not reason or len(reason) > 300:
        errors["reason"] = ["请填写异议内容（不超过 300 字）。"]
    if listing.status != ListingStatus.PUBLISHED or not listing.published_on <= raised_on <= listing.objection_until:
        errors["raised_on"] = [
            f"异议期为 {listing.published_on:%Y-%m-%d} 至 {listing.objection_until:%Y-%m-%d}，已不在异议期内。"
        ]
    if raised_on > timezone.localdate():
        errors["raised_on"] = ["提出日期不能晚于今天。"]
    if not listing.lines.filter(holder=holder).exists():
        errors["holder"] = ["该账户不在本次公示中。"]
    if errors:
        raise DomainError("异议未登记。", errors)
    objection = Objection.objects.create(
        listing=listing,
        region_id=listing.region_id,
        holder=holder,
        raised_by=raised_by,
        raised_on=raised_on,
        reason=reason,
    )
    record(
        actor=actor,
        region_code=listing.region_id,
        event="points.objection_raised",
        summary=f"{listing}：{raised_by}对{holder.name}提出异议",
        obj=objection,
        after={"异议人": raised_by, "异议内容": reason},
    )
    return objection


@transaction.atomic
def objection_decide(
    *,
    actor: Actor,
    objection: Objection,
    upheld: bool,
    decision: str,
    decided_on: date,
    expected_version: int,
    correction: int = 0,
) -> Objection:
    """Decided by the village (with the evidence): upheld with a correction adds a ledger line (key
    "objection:<id>"); rejected changes nothing."""
    objection_policy.check(actor, "change", objection)
    if objection.status != ObjectionStatus.PENDING:
        raise IllegalTransition("该异议已处理。")
    errors: dict[str, list[str]] = {}
    decision = clean_text(decision)
    if not decision or len(decision) > 300:
        errors["decision"] = ["请填写处理意见（不超过 300 字）。"]
    if not upheld and correction:
        errors["correction"] = ["异议不成立时不更正积分。"]
    if abs(correction) > 10_000:
        errors["correction"] = ["更正积分绝对值不超过 10000。"]
    if decided_on < objection.raised_on or decided_on > timezone.localdate():
        errors["decided_on"] = ["处理日期须在提出日期之后、今天之前。"]
    if errors:
        raise DomainError("异议处理有误，未保存。", errors)
    bump_version(objection, expected_version=expected_version)
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
    objection.decision, objection.correction, objection.decided_on = decision, correction, decided_on
    objection.decided_by = user_of(actor)
    objection.save(update_fields=["status", "decision", "correction", "decided_on", "decided_by"])
    if correction:
        _append(
            actor=actor,
            holder=objection.holder,
            kind=EntryKind.CORRECT,
            points=correction,
            key=f"objection:{objection.pk}",
            occurred_on=decided_on,
            expires_on=add_years(decided_on, 3) if correction > 0 else None,
            evidence=f"公示异议处理：{decision}"[:300],
        )
    record(
        actor=actor,
        region_code=objection.region_id,
        event="points.objection_decided",
        summary=f"{objection.holder.name}的异议：{objection.get_status_display()}"
        + (f"，更正 {correction:+d} 分" if correction else ""),
        obj=objection,
        before={"状态": "待处理"},
        after={"状态": objection.get_status_display(), "处理意见": decision, "更正积分": correction},
    )
    return objection


@transaction.atomic
def listing_close(*, actor: Actor, listing: Listing, closed_on: date, expected_version: int) -> Listing:
    """End the listing after its window, once every objection is decided: the quarter's points become redeemable."""
    listing_policy.check(actor, "change", listing)
    if listing.status != ListingStatus.PUBLISHED:
        raise IllegalTransition("该公示已结束。")
    errors: dict[str, list[str]] = {}
    if closed_on <= listing.objection_until:
        errors["closed_on"] = [f"异议期至 {listing.objection_until:%Y-%m-%d}，期满后才能结束公示。"]
    if closed_on > timezone.localdate():
        errors["closed_on"] = ["结束日期不能晚于今天。"]
    pending = listing.objections.filter(status=ObjectionStatus.PENDING).count()
    if pending:
        errors["objections"] = [f"还有 {pending} 件异议未处理。"]
    if errors:
        raise DomainError("公示尚不能结束。", errors)
    bump_version(listing, expected_version=expected_version)
    listing.status, listing.closed_on = ListingStatus.FINAL, closed_on
    listing.save(update_fields=["status", "closed_on"])
    record(
        actor=actor,
        region_code=listing.region_id,
        event="points.listing_closed",
        summary=f"{listing}结束，本季积分可兑换",
        obj=listing,
        before={"状态": "公示中"},
        after={"状态": "公示结束", "结束日期": closed_on},
    )
    return listing


# ---- merchants, codes, redemption -------------------------------------------------------------------------------


@transaction.atomic
def merchant_create(
    *, actor: Actor, region_code: str, name: str, kind: str, joined_on: date, contact: str = "", phone: str = ""
) -> Merchant:
    region = Region.objects.filter(code=region_code, level__in=(Level.COUNTY, Level.TOWN, Level.VILLAGE)).first()
    if region is None:
        raise DomainError("请选择所在区划。", {"region": ["须为县、乡镇或村。"]})
    merchant_policy.check_in_region(actor, "change", region.code)
    errors: dict[str, list[str]] = {}
    name, contact, phone = clean_text(name), clean_text(contact), clean_text(phone)
    if not name or len(name) > 60:
        errors["name"] = ["请填写名称（不超过 60 字）。"]
    elif Merchant.objects.filter(region=region, name=name).exists():
        errors["name"] = ["已有同名商户。"]
    if kind not in MerchantKind.values:
        errors["kind"] = ["请选择类型。"]
    elif kind == MerchantKind.SHOP and region.level != Level.VILLAGE:
        errors["kind"] = ["积分超市设在村(社区)。"]
    if len(contact) > 30 or len(phone) > 20:
        errors["contact"] = ["联系人不超过 30 字，电话不超过 20 字。"]
    if errors:
        raise DomainError("商户信息有误，未保存。", errors)
    merchant = Merchant.objects.create(
        region=region, name=name, kind=kind, contact=contact, phone=phone, joined_on=joined_on
    )
    record(
        actor=actor,
        region_code=region.code,
        event="points.merchant_created",
        summary=f"{region.name}{merchant.get_kind_display()}：{name}",
        obj=merchant,
        after={"名称": name, "类型": merchant.get_kind_display(), "签约日期": joined_on},
    )
    return merchant


@transaction.atomic
def merchant_account_add(*, actor: Actor, merchant: Merchant, username: str) -> MerchantAccount:
    merchant_policy.check(actor, "change", merchant)
    user = existing_account(username)
    if user.role_assignments.filter(is_active=True).exists():
        raise DomainError("工作人员账号不能兼作商户账号。", {"username": ["请为商户单独开设账号。"]})
    account, created = MerchantAccount.objects.get_or_create(user=user, merchant=merchant)
    if created:
        record(
            actor=actor,
            region_code=merchant.region_id,
            event="points.merchant_account_added",
            summary=f"{merchant.name}：商户账号 {user.username}",
            obj=merchant,
            after={"账号": user.username},
        )
    return account


@transaction.atomic
def code_issue(*, actor: Actor, holder: Holder) -> RedeemCode:
    """A one-time code for the resident to show at the counter (QR on the page, digits beside it)."""
    holder_policy.check(actor, "change", holder)
    now = timezone.now()
    while True:
        code = f"{secrets.randbelow(10**10):010d}"
        if not RedeemCode.objects.filter(code=code).exists():
            break
    issued = RedeemCode.objects.create(
        holder=holder, region_id=holder.region_id, code=code, expires_at=now + timedelta(minutes=CODE_MINUTES)
    )
    record(
        actor=actor,
        region_code=holder.region_id,
        event="points.code_issued",
        summary=f"{holder.name}：生成兑换码（{CODE_MINUTES} 分钟内有效）",
        obj=holder,
    )
    return issued


@transaction.atomic
def redeem(
    *, actor: Actor, merchant: Merchant, code: str, points: int, goods: str, on: date | None = None
) -> Redemption:
    """The merchant enters the code the resident shows and the points: never more than the holder may redeem (the
    listed balance), never below zero. Entering the same code again is a no-op answering the first redemption.
    `on` is the day of a paper slip a village shop without a phone enters later (the system actor only: the demo,
    imports); at the counter it is always today."""
    check_redeem(actor, merchant)
    day = timezone.localdate()
    if on is not None and actor is SYSTEM and on <= day:
        day = on
    code, goods = clean_text(code).replace(" ", ""), clean_text(goods)
    done = Redemption.objects.filter(code=code).select_related("holder").first()
    if done is not None:
        if done.merchant_id == merchant.pk and done.points == points:
            return done
        raise DomainError("该兑换码已使用。", {"code": ["该兑换码已使用。"]})
    errors: dict[str, list[str]] = {}
    issued = RedeemCode.objects.select_for_update().filter(code=code).select_related("holder").first()
    now = timezone.now()
    if issued is None or issued.used_at is not None or issued.expires_at < now:
        errors["code"] = ["兑换码无效或已过期，请居民重新出示。"]
    elif not issued.region_id.startswith(merchant.region_id) or not merchant.is_active:
        errors["code"] = ["该居民不在本商户服务范围内。"]
    if not 1 <= points <= 100_000:
        errors["points"] = ["兑换积分须为正整数。"]
    if not goods or len(goods) > 100:
        errors["goods"] = ["请填写兑换物品（不超过 100 字）。"]
    if errors:
        raise DomainError("兑换未完成。", errors)
    assert issued is not None
    holder = issued.holder
    book = book_in_force(holder.region_id, day)
    can = available(holder)
    if points > can:
        raise DomainError(
            f"可兑换积分不足：{holder.name}现可兑换 {can} 分（未公示的积分须公示期满后兑换）。",
            {"points": ["积分不足。"]},
        )
    entry, _ = _append(
        actor=actor,
        holder=holder,
        kind=EntryKind.REDEEM,
        points=-points,
        key=f"redeem:{code}",
        occurred_on=day,
        evidence=f"{merchant.name}：{goods}",
    )
    RedeemCode.objects.filter(pk=issued.pk).update(used_at=now)
    redemption = Redemption.objects.create(
        merchant=merchant,
        holder=holder,
        region_id=holder.region_id,
        entry=entry,
        code=code,
        points=points,
        fen=points * (book.fen_per_point if book else 100),
        goods=goods,
        redeemed_on=entry.occurred_on,
        operator=user_of(actor),
    )
    record(
        actor=actor,
        region_code=holder.region_id,
        event="points.redeemed",
        summary=f"{holder.name}在{merchant.name}兑换 {points} 分：{goods}",
        obj=redemption,
        after={"商户": merchant.name, "积分": points, "兑换物品": goods},
    )
    return redemption


# ---- settlement -------------------------------------------------------------------------------------------------


@transaction.atomic
def settlement_create(
    *, actor: Actor, merchant: Merchant, period_start: date, period_end: date, evidence: str = ""
) -> Settlement:
    """A batch of the merchant's unsettled redemptions in the period, with its totals (points and fen)."""
    settlement_policy.check_in_region(actor, "change", merchant.region_id)
    errors: dict[str, list[str]] = {}
    evidence = clean_text(evidence)
    if period_start > period_end:
        errors["period_end"] = ["结算期止须不早于结算期起。"]
    if period_end >= timezone.localdate():
        errors["period_end"] = ["结算期须已结束（止于昨天或更早）。"]
    if len(evidence) > 300:
        errors["evidence"] = ["佐证不超过 300 字。"]
    rows = Redemption.objects.select_for_update().filter(
        merchant=merchant, settlement__isnull=True, redeemed_on__range=(period_start, period_end)
    )
    ids = list(rows.values_list("pk", flat=True))
    if not errors and not ids:
        errors["period_start"] = ["该期间没有未结算的兑换。"]
    if errors:
        raise DomainError("结算批次有误，未保存。", errors)
    totals = Redemption.objects.filter(pk__in=ids).aggregate(p=Sum("points"), f=Sum("fen"))
    settlement = Settlement.objects.create(
        merchant=merchant,
        region_id=merchant.region_id,
        period_start=period_start,
        period_end=period_end,
        total_points=totals["p"],
        total_fen=totals["f"],
        count=len(ids),
        evidence=evidence,
    )
    Redemption.objects.filter(pk__in=ids).update(settlement=settlement)
    record(
        actor=actor,
        region_code=merchant.region_id,
        event="points.settlement_created",
        summary=f"{merchant.name}结算 {period_start:%Y-%m-%d}至{period_end:%Y-%m-%d}：{len(ids)} 笔，"
        f"{totals['p']} 分，{yuan(totals['f'])} 元",
        obj=settlement,
        after={"笔数": len(ids), "积分合计": totals["p"], "金额(元)": yuan(totals["f"])},
    )
    return settlement


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


@transaction.atomic
def settlement_approve(*, actor: Actor, settlement: Settlement, expected_version: int) -> Settlement:
    settlement_policy.check(actor, "approve", settlement)
    if settlement.status != SettlementStatus.DRAFT:
        raise IllegalTransition("该结算批次已审核。")
    bump_version(settlement, expected_version=expected_version)
    settlement.status, settlement.approved_by = SettlementStatus.APPROVED, user_of(actor)
    settlement.approved_on = timezone.localdate()
    settlement.save(update_fields=["status", "approved_by", "approved_on"])
    record(
        actor=actor,
        region_code=settlement.region_id,
        event="points.settlement_approved",
        summary=f"审核通过{settlement.merchant.name}结算：{yuan(settlement.total_fen)} 元",
        obj=settlement,
        before={"状态": "待审核"},
        after={"状态": "已审核"},
    )
    return settlement


@transaction.atomic
def settlement_pay(
    *, actor: Actor, settlement: Settlement, paid_on: date, evidence: str, expected_version: int
) -> Settlement:
    settlement_policy.check(actor, "approve", settlement)
    if settlement.status != SettlementStatus.APPROVED:
        raise IllegalTransition("结算批次须先审核才能登记支付。")
    evidence = clean_text(evidence)
    errors: dict[str, list[str]] = {}
    if not evidence or len(evidence) > 300:
        errors["evidence"] = ["请填写支付凭证（如转账流水号，不超过 300 字）。"]
    if (settlement.approved_on and paid_on < settlement.approved_on) or paid_on > timezone.localdate():
        errors["paid_on"] = ["支付日期须在审核之后、今天之前。"]
    if errors:
        raise DomainError("支付登记有误，未保存。", errors)
    bump_version(settlement, expected_version=expected_version)
    settlement.status, settlement.paid_on = SettlementStatus.PAID, paid_on
    settlement.evidence = f"{settlement.evidence}；{evidence}".strip("；")[:300]
    settlement.save(update_fields=["status", "paid_on", "evidence"])
    record(
        actor=actor,
        region_code=settlement.region_id,
        event="points.settlement_paid",
        summary=f"{settlement.merchant.name}结算已支付：{yuan(settlement.total_fen)} 元（{paid_on:%Y-%m-%d}）",
        obj=settlement,
        before={"状态": "已审核"},
        after={"状态": "已支付", "支付日期": paid_on, "凭证": evidence},
    )
    return settlement


# ---- verification -----------------------------------------------------------------------------------------------


def verify(region_code: str = "") -> tuple[int, list[str]]:
    """Recompute every holder's balance from the ledger: (holders checked, problems found)."""
    holders = Holder.objects.filter(region__startswith=region_code).select_related("balance")
    checked, found = 0, []
    ids = list(holders.values_list("pk", flat=True))
    stored = dict(Balance.objects.filter(holder_id__in=ids).values_list("holder_id", "points"))
    names = dict(holders.values_list("pk", "name"))
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        for holder_id, lines in _lines(chunk).items():
            checked += 1
            found += [f"{names[holder_id]}（{holder_id}）：{p}" for p in ledger.problems(lines, stored.get(holder_id))]
    return checked, found
