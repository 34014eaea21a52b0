"""Who sees what: staff by region (a county's rule book and partner merchants are read under it); a merchant's own
account (MerchantAccount) sees its merchant, its redemptions and its settlements, nothing else."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from cunshe.access.policy import RegionPolicy, scope_q
from cunshe.core.actors import is_system
from cunshe.core.errors import NotPermitted
from cunshe.points.models import Entry, Holder, Listing, Merchant, Objection, Redemption, RuleBook, Settlement

_VIEW = "points.view"
_CHANGE = "points.change"
NOT_FOUND = "未找到该记录。"

book_policy = RegionPolicy(
    RuleBook, region_path="region", actions={"view": _VIEW, "change": "points.configure"}, seen_from_below=("view",)
)
holder_policy = RegionPolicy(Holder, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
entry_policy = RegionPolicy(Entry, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
listing_policy = RegionPolicy(Listing, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
objection_policy = RegionPolicy(Objection, region_path="region", actions={"view": _VIEW, "change": _CHANGE})
merchant_policy = RegionPolicy(
    Merchant,
    region_path="region",
    actions={"view": _VIEW, "change": "points.configure", "redeem": _CHANGE},
    seen_from_below=("view",),
)
redemption_policy = RegionPolicy(Redemption, region_path="region", actions={"view": _VIEW})
settlement_policy = RegionPolicy(
    Settlement, region_path="region", actions={"view": _VIEW, "change": _CHANGE, "approve": "points.settle"}
)


def merchant_ids_of(user: Any) -> list[int]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_cunshe_merchants", None)
    if cached is None:
        cached = user._cunshe_merchants = list(user.merchants.values_list("merchant_id", flat=True))
    return list(cached)


def _with_merchant[M: Model](policy: RegionPolicy[M], user: Any, qs: QuerySet[M], column: str) -> QuerySet[M]:
    condition: Q | None = scope_q(
        user, policy.capability("view"), "region", from_below="view" in policy.seen_from_below
    )
    mine = merchant_ids_of(user)
    if mine:
        own = Q(**{f"{column}__in": mine})
        condition = own if condition is None else condition | own
    return qs.none() if condition is None else qs.filter(condition)


def merchants_visible(user: Any) -> QuerySet[Merchant]:
    return _with_merchant(merchant_policy, user, Merchant.objects.all(), "pk")


def redemptions_visible(user: Any) -> QuerySet[Redemption]:
    return _with_merchant(
        redemption_policy, user, Redemption.objects.select_related("merchant", "holder"), "merchant_id"
    )


def settlements_visible(user: Any) -> QuerySet[Settlement]:
    return _with_merchant(settlement_policy, user, Settlement.objects.select_related("merchant"), "merchant_id")


def _one[M: Model](qs: QuerySet[M], pk: int) -> M:
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404(NOT_FOUND)
    return obj


def merchant_or_404(user: Any, pk: int) -> Merchant:
    return _one(merchants_visible(user), pk)


def settlement_or_404(user: Any, pk: int) -> Settlement:
    return _one(settlements_visible(user), pk)


def check_redeem(actor: Any, merchant: Merchant) -> None:
    """The merchant's own account, or the village's staff at its points shop (or a town's merchant's counter)."""
    if is_system(actor) or merchant.pk in merchant_ids_of(actor):
        return
    if not merchant_policy.can(actor, "view", merchant):
        raise Http404(NOT_FOUND)
    if not merchant_policy.can_in_region(actor, "redeem", merchant.region_id) or merchant.kind != "shop":
        raise NotPermitted("只有该商户的账号（或积分超市所在村的干部）可以兑换。")
