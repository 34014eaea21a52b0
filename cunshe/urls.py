from django.contrib import admin
from django.urls import include, path

from cunshe.api import api
from cunshe.commitments.urls import public_patterns as commitments_public_patterns
from cunshe.directory.urls import public_patterns as directory_public_patterns
from cunshe.disclosures.urls import public_patterns as disclosures_public_patterns
from cunshe.points.urls import public_patterns as points_public_patterns
from cunshe.requests.urls import open311_patterns
from cunshe.requests.urls import public_patterns as requests_public_patterns
from cunshe.results.urls import public_patterns as results_public_patterns
from cunshe.surveys.urls import public_patterns as surveys_public_patterns
from cunshe.web.urls import public_patterns

urlpatterns = [
    path("", include("cunshe.web.urls")),
    path("", include("cunshe.offline.urls")),
    path("accounts/", include("cunshe.accounts.urls")),
    path("regions/", include("cunshe.regions.urls")),
    path("people/", include("cunshe.people.urls")),
    path("teams/", include("cunshe.teams.urls")),
    path("termchanges/", include("cunshe.termchanges.urls")),
    path("eligibility/", include("cunshe.eligibility.urls")),
    path("handovers/", include("cunshe.handovers.urls")),
    path("commitments/", include("cunshe.commitments.urls")),
    path("command/", include("cunshe.command.urls")),
    path("reviews/", include("cunshe.reviews.urls")),
    path("visits/", include("cunshe.visits.urls")),
    path("issueboard/", include("cunshe.issueboard.urls")),
    path("readiness/", include("cunshe.readiness.urls")),
    path("assessments/", include("cunshe.assessments.urls")),
    path("reserves/", include("cunshe.reserves.urls")),
    path("negativelist/", include("cunshe.negativelist.urls")),
    path("elections/", include("cunshe.elections.urls")),
    path("counts/", include("cunshe.counts.urls")),
    path("results/", include("cunshe.results.urls")),
    path("firstyear/", include("cunshe.firstyear.urls")),
    path("trainings/", include("cunshe.trainings.urls")),
    path("decisions/", include("cunshe.decisions.urls")),
    path("disclosures/", include("cunshe.disclosures.urls")),
    path("partywork/", include("cunshe.partywork.urls")),
    path("surveys/", include("cunshe.surveys.urls")),
    path("serviceteams/", include("cunshe.serviceteams.urls")),
    path("investigations/", include("cunshe.investigations.urls")),
    path("volunteers/", include("cunshe.volunteers.urls")),
    path("points/", include("cunshe.points.urls")),
    path("carelist/", include("cunshe.carelist.urls")),
    path("annuallists/", include("cunshe.annuallists.urls")),
    path("breakthroughs/", include("cunshe.breakthroughs.urls")),
    path("education/", include("cunshe.education.urls")),
    path("firstsecretaries/", include("cunshe.firstsecretaries.urls")),
    path("liaison/", include("cunshe.liaison.urls")),
    path("talks/", include("cunshe.talks.urls")),
    path("directory/", include("cunshe.directory.urls")),
    path("appraisals/", include("cunshe.appraisals.urls")),
    path("requests/", include("cunshe.requests.urls")),
    path("dailychecks/", include("cunshe.dailychecks.urls")),
    path("voters/", include("cunshe.voters.urls")),
    path("candidates/", include("cunshe.candidates.urls")),
    path("polling/", include("cunshe.polling.urls")),
    path("records/", include("cunshe.records.urls")),
    path("deadlines/", include("cunshe.deadlines.urls")),
    path("notifications/", include("cunshe.notifications.urls")),
    path("public/commitments/", include(commitments_public_patterns)),
    path("public/results/", include(results_public_patterns)),
    path("public/disclosures/", include(disclosures_public_patterns)),
    path("public/surveys/", include(surveys_public_patterns)),
    path("public/points/", include(points_public_patterns)),
    path("public/directory/", include(directory_public_patterns)),
    path("public/requests/", include(requests_public_patterns)),
    path("open311/v2/", include(open311_patterns)),
    path("public/", include(public_patterns)),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# Chinese error pages, and the API's JSON error shape under /api/ (cunshe/web/errors.py)
handler400 = "cunshe.web.errors.bad_request"
handler403 = "cunshe.web.errors.permission_denied"
handler404 = "cunshe.web.errors.page_not_found"
handler500 = "cunshe.web.errors.server_error"
