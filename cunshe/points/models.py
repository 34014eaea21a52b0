"""信用+积分 (the 2020-07 central notice on points in village governance; seed 003): a county's or a village's rule
book published in versions with an effective date, points earned per rule by a household or a person with evidence
and the operator, an append-only ledger keyed for idempotency (every balance can be recomputed), the quarterly
public listing with its objection window, partner merchants and the village points shop, redemption by a code the
resident shows, expiry first-in first-out, and the merchants' settlement in batches. Points and fen are integers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from cunshe.core.concurrency import Versioned
from cunshe.people.models import Person
from cunshe.records.models import AppendOnly
from cunshe.regions.models import RegionKey


class RuleBook(Versioned):
    """One version of a county's or a village's rule book. Drafts are edited; a published version never changes
    (a change is a new version with a later effective date)."""

    region = RegionKey(verbose_name="制定单位所在区划")
    number = models.PositiveIntegerField("版本号")
    title = models.CharField("名称", max_length=100)
    effective_from = models.DateField("生效日期")
    # How long earned points stay valid (0 = they do not expire); counted from the day they were earned.
    valid_years = models.PositiveSmallIntegerField("有效期(年)", default=3)
    fen_per_point = models.PositiveIntegerField("每分折合(分)", default=100)  # 1 point = 1 yuan by default
    adopted_by = models.CharField("通过方式", max_length=100, blank=True)  # e.g. 村民代表会议 2026-11-20 表决通过
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "积分细则"
        verbose_name_plural = "积分细则"
        ordering = ["region", "-number"]
        constraints = [models.UniqueConstraint(fields=["region", "number"], name="rulebook_unique_number")]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.number} 版）"


class RuleCategory(models.TextChoices):
    SERVICE_HOURS = "service_hours", "志愿服务时长"
    VOLUNTEERING = "volunteering", "志愿公益活动"
    VILLAGE_RULES = "village_rules", "遵守村规民约"
    REQUESTS = "requests", "反映办理民情诉求"
    DEDUCTION = "deduction", "违规扣分"
    OTHER = "other", "其他"


class Rule(models.Model):
    book = models.ForeignKey(RuleBook, verbose_name="细则", on_delete=models.PROTECT, related_name="rules")
    code = models.CharField("条目编号", max_length=10)
    title = models.CharField("条目", max_length=100)
    category = models.CharField("类别", max_length=20, choices=RuleCategory.choices)
    # Points per time, or per hour for service hours (whole minutes are converted down: 90 min at 2/h = 3 points).
    points = models.IntegerField("分值")
    evidence = models.CharField("所需佐证", max_length=200, blank=True)

    class Meta:
        verbose_name = "积分条目"
        verbose_name_plural = "积分条目"
        ordering = ["book", "code"]
        constraints = [
            models.UniqueConstraint(fields=["book", "code"], name="rule_unique_code"),
            models.CheckConstraint(condition=~models.Q(points=0), name="rule_points_nonzero"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class HolderKind(models.TextChoices):
    HOUSEHOLD = "household", "户"
    PERSON = "person", "个人"


class Holder(models.Model):
    """Who holds points: a household (by its head, 户主) or a person."""

    region = RegionKey(verbose_name="村(社区)")
    kind = models.CharField("积分主体", max_length=20, choices=HolderKind.choices)
    person = models.ForeignKey(Person, verbose_name="户主/本人", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=60)  # "张三户" or the person's name, as the board shows it

    class Meta:
        verbose_name = "积分账户"
        verbose_name_plural = "积分账户"
        constraints = [models.UniqueConstraint(fields=["kind", "person"], name="holder_unique")]

    def __str__(self) -> str:
        return self.name


class Balance(models.Model):
    """The running balance, kept in the same transaction as every entry; the CHECK makes a negative balance
    impossible even when two redemptions race (the loser's UPDATE fails and its transaction rolls back)."""

    holder = models.OneToOneField(Holder, on_delete=models.CASCADE, primary_key=True, related_name="balance")
    region = RegionKey(verbose_name="村(社区)")
    points = models.BigIntegerField("余额", default=0)

    class Meta:
        verbose_name = "积分余额"
        verbose_name_plural = "积分余额"
        constraints = [models.CheckConstraint(condition=models.Q(points__gte=0), name="balance_not_negative")]

    def __str__(self) -> str:
        return f"{self.holder_id}: {self.points}"


class EntryKind(models.TextChoices):
    EARN = "earn", "获得"
    DEDUCT = "deduct", "扣减"
    REDEEM = "redeem", "兑换"
    EXPIRE = "expire", "过期"
    CORRECT = "correct", "异议更正"


class EntryQuerySet(models.QuerySet["Entry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("积分流水只能追加，不能修改。")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("积分流水只能追加，不能删除。")


class Entry(models.Model):
    """One line of the ledger. Never changed: a mistake is corrected by a new line. `key` makes a repeated entry
    (a double click, a re-run of the hours sweep, a redemption code entered twice) a no-op."""

    key = models.CharField("幂等键", max_length=100, unique=True)
    holder = models.ForeignKey(Holder, verbose_name="积分账户", on_delete=models.PROTECT, related_name="entries")
    region = RegionKey(verbose_name="村(社区)")
    kind = models.CharField("类型", max_length=10, choices=EntryKind.choices)
    points = models.BigIntegerField("积分")  # signed: earn > 0, everything else < 0 (a deduction may be either)
    rule = models.ForeignKey(Rule, verbose_name="条目", null=True, blank=True, on_delete=models.PROTECT)
    occurred_on = models.DateField("发生日期")
    expires_on = models.DateField("到期日期", null=True, blank=True)  # earnings only
    evidence = models.CharField("佐证", max_length=300, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, blank=True, on_delete=models.PROTECT
    )
    operator_name = models.CharField("经办人姓名", max_length=100)
    created_at = models.DateTimeField("记账时间", auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = "积分流水"
        verbose_name_plural = "积分流水"
        indexes = [
            models.Index(fields=["holder", "occurred_on"], name="entry_holder_day"),
            models.Index(fields=["region", "occurred_on"], name="entry_region_day"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.points:+d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("积分流水只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("积分流水只能追加，不能删除。")


class ListingStatus(models.TextChoices):
    PUBLISHED = "published", "公示中"
    FINAL = "final", "公示结束"


class Listing(Versioned):
    """The quarterly public listing (季度公示) of a village: what each holder earned in the quarter and holds.
    Points of a quarter become redeemable when its listing is final (window over, every objection decided)."""

    region = RegionKey(verbose_name="村(社区)")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    published_on = models.DateField("公示日期")
    objection_until = models.DateField("异议截止")
    status = models.CharField("状态", max_length=20, choices=ListingStatus.choices, default=ListingStatus.PUBLISHED)
    closed_on = models.DateField("公示结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "积分公示"
        verbose_name_plural = "积分公示"
        ordering = ["region", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "quarter"], name="listing_unique_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="listing_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年第 {self.quarter} 季度积分公示"


class ListingLine(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="lines")
    holder = models.ForeignKey(Holder, verbose_name="积分账户", on_delete=models.PROTECT)
    earned = models.BigIntegerField("本季获得")
    spent = models.BigIntegerField("本季减少")  # redeemed, deducted, expired (as a positive number)
    balance = models.BigIntegerField("季末余额")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["listing", "holder"], name="listingline_unique")]

    def __str__(self) -> str:
        return f"{self.listing_id}/{self.holder_id}"


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    UPHELD = "upheld", "异议成立"
    REJECTED = "rejected", "异议不成立"


class Objection(Versioned):
    listing = models.ForeignKey(Listing, verbose_name="公示", on_delete=models.PROTECT, related_name="objections")
    region = RegionKey(verbose_name="村(社区)")
    holder = models.ForeignKey(Holder, verbose_name="涉及账户", on_delete=models.PROTECT)
    raised_by = models.CharField("异议人", max_length=30)
    raised_on = models.DateField("提出日期")
    reason = models.CharField("异议内容", max_length=300)
    status = models.CharField("状态", max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING)
    correction = models.IntegerField("更正积分", default=0)
    decision = models.CharField("处理意见", max_length=300, blank=True)
    decided_on = models.DateField("处理日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"

    def __str__(self) -> str:
        return f"{self.raised_by}: {self.reason[:20]}"


class MerchantKind(models.TextChoices):
    MERCHANT = "merchant", "合作商户"
    SHOP = "shop", "村积分超市"


class Merchant(models.Model):
    region = RegionKey(verbose_name="所在区划")  # a county's partner merchants serve every village under it
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类型", max_length=20, choices=MerchantKind.choices)
    contact = models.CharField("联系人", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    is_active = models.BooleanField("合作中", default=True)
    joined_on = models.DateField("签约日期")

    class Meta:
        verbose_name = "积分商户"
        verbose_name_plural = "积分商户"
        ordering = ["region", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="merchant_unique_name")]

    def __str__(self) -> str:
        return self.name


class MerchantAccount(models.Model):
    """The merchant's own account (a new kind of account beside the region roles): it redeems codes at its
    counter and sees its own redemptions and settlements, nothing else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="merchants")
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="accounts")

    class Meta:
        verbose_name = "商户账号"
        verbose_name_plural = "商户账号"
        constraints = [models.UniqueConstraint(fields=["user", "merchant"], name="merchantaccount_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.merchant_id}"


class RedeemCode(models.Model):
    """A one-time code the resident shows (digits and a QR code): valid for `CODE_MINUTES`, used once."""

    holder = models.ForeignKey(Holder, on_delete=models.CASCADE, related_name="codes")
    region = RegionKey(verbose_name="村(社区)")
    code = models.CharField("兑换码", max_length=12, unique=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)

    class Meta:
        verbose_name = "兑换码"
        verbose_name_plural = "兑换码"

    def __str__(self) -> str:
        return f"{self.holder_id}: {self.code[:3]}…"


class SettlementStatus(models.TextChoices):
    DRAFT = "draft", "待审核"
    APPROVED = "approved", "已审核"
    PAID = "paid", "已支付"


class Settlement(Versioned):
    merchant = models.ForeignKey(Merchant, verbose_name="商户", on_delete=models.PROTECT, related_name="settlements")
    region = RegionKey(verbose_name="所在区划")
    period_start = models.DateField("结算期起")
    period_end = models.DateField("结算期止")
    total_points = models.BigIntegerField("积分合计")
    total_fen = models.BigIntegerField("金额合计(分)")
    count = models.PositiveIntegerField("笔数")
    evidence = models.CharField("佐证", max_length=300, blank=True)
    status = models.CharField("状态", max_length=20, choices=SettlementStatus.choices, default=SettlementStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT
    )
    approved_on = models.DateField("审核日期", null=True, blank=True)
    paid_on = models.DateField("支付日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "商户结算"
        verbose_name_plural = "商户结算"
        ordering = ["-period_end", "-pk"]

    def __str__(self) -> str:
        return f"{self.merchant_id} {self.period_start}~{self.period_end}"


class Redemption(models.Model):
    """What a merchant handed over for points; its ledger line is `entry` (kind 兑换)."""

    merchant = models.ForeignKey(Merchant, verbose_name="商户", on_delete=models.PROTECT, related_name="redemptions")
    holder = models.ForeignKey(Holder, verbose_name="积分账户", on_delete=models.PROTECT)
    region = RegionKey(verbose_name="村(社区)")  # the holder's village
    entry = models.OneToOneField(Entry, on_delete=models.PROTECT)
    code = models.CharField("兑换码", max_length=12, unique=True)
    points = models.PositiveIntegerField("积分")
    fen = models.PositiveBigIntegerField("折合金额(分)")
    goods = models.CharField("兑换物品", max_length=100)
    redeemed_on = models.DateField("兑换日期")
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收银人", null=True, blank=True, on_delete=models.PROTECT
    )
    settlement = models.ForeignKey(
        Settlement, verbose_name="结算批次", null=True, blank=True, on_delete=models.PROTECT, related_name="redemptions"
    )

    class Meta:
        verbose_name = "积分兑换"
        verbose_name_plural = "积分兑换"
        ordering = ["-redeemed_on", "-pk"]
        indexes = [models.Index(fields=["merchant", "redeemed_on"], name="redemption_merchant_day")]

    def __str__(self) -> str:
        return f"{self.merchant_id} {self.points}"
