"""Reads of the points module, always from the scoped querysets of permissions.py."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cunshe.points.models import Entry, Holder, Listing, ListingLine, Objection, RuleBook
from cunshe.points.permissions import book_policy, holder_policy, listing_policy


def books_visible(user: Any) -> QuerySet[RuleBook]:
    return book_policy.visible_to(user).select_related("region").order_by("region_id", "-number")


def holders_visible(user: Any) -> QuerySet[Holder]:
    return holder_policy.visible_to(user).select_related("region", "balance").order_by("region_id", "name", "pk")


def listings_visible(user: Any) -> QuerySet[Listing]:
    return listing_policy.visible_to(user).select_related("region").order_by("region_id", "-year", "-quarter")


def entries_of(holder: Holder) -> QuerySet[Entry]:
    return holder.entries.select_related("rule").order_by("-occurred_on", "-pk")


def lines_of(listing: Listing) -> list[ListingLine]:
    return list(listing.lines.select_related("holder").order_by("-balance", "holder__name"))


def objections_of(listing: Listing) -> list[Objection]:
    return list(listing.objections.select_related("holder").order_by("raised_on", "pk"))
