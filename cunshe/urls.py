from django.contrib import admin
from django.urls import include, path

from cunshe.api import api
from cunshe.web.urls import public_patterns

urlpatterns = [
    path("", include("cunshe.web.urls")),
    path("accounts/", include("cunshe.accounts.urls")),
    path("regions/", include("cunshe.regions.urls")),
    path("people/", include("cunshe.people.urls")),
    path("teams/", include("cunshe.teams.urls")),
    path("termchanges/", include("cunshe.termchanges.urls")),
    path("eligibility/", include("cunshe.eligibility.urls")),
    path("assessments/", include("cunshe.assessments.urls")),
    path("reserves/", include("cunshe.reserves.urls")),
    path("negativelist/", include("cunshe.negativelist.urls")),
    path("records/", include("cunshe.records.urls")),
    path("deadlines/", include("cunshe.deadlines.urls")),
    path("public/", include(public_patterns)),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
