from django.contrib import admin

from cunshe.core.admin import ReadOnlyAdmin
from cunshe.serviceteams.models import Hours, Need, Offer, Order, ServiceTeam


@admin.register(ServiceTeam)
class ServiceTeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "kind"]


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["team", "category", "weekdays", "starts_at", "ends_at"]


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    list_display = ["resident", "region", "category", "wanted_on", "status"]


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "region", "team", "status"]


@admin.register(Hours)
class HoursAdmin(ReadOnlyAdmin):
    list_display = ["order", "member", "minutes", "worked_on"]
