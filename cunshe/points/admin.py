from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.points.models import Entry, Holder, Listing, Merchant, Redemption, RuleBook, Settlement


@admin.register(RuleBook)
class RuleBookAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "number", "effective_from", "published_at"]


@admin.register(Holder)
class HolderAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "kind"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["key", "holder", "kind", "points", "occurred_on"]


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = ["region", "year", "quarter", "status"]


@admin.register(Merchant)
class MerchantAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "kind", "is_active"]


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = ["merchant", "holder", "points", "redeemed_on"]


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ["merchant", "period_start", "period_end", "total_fen", "status"]
