from django.urls import path

from cunshe.commitments import views

app_name = "commitments"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export/", views.ledger_download, name="export"),
    path("import/", views.ledger_upload, name="import"),
    path("rollup/<str:code>/", views.rollup, name="rollup"),
    path("cases/", views.cases, name="cases"),
    path("cases/export/", views.cases_download, name="cases_export"),
    path("villages/<str:code>/", views.village, name="village"),
    path("villages/<str:code>/new/", views.commitment_new, name="new"),
    path("villages/<str:code>/letters/<int:year>/", views.letter, name="letter"),
    path("villages/<str:code>/letters/<int:year>/sign/", views.letter_sign, name="letter_sign"),
    path("rules/<str:code>/", views.rules, name="rules"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("inspections/villages/<int:pk>/findings/", views.finding_new, name="finding_new"),
    path("findings/<int:pk>/rectify/", views.rectify, name="rectify"),
    path("progress/<int:pk>/photo/", views.photo, name="photo"),
    path("threelevel/<str:code>/", views.three_level, name="three_level"),
    path("threelevel/<str:code>/export/", views.three_level_download, name="three_level_export"),
    path("threelevel/<str:code>/print.pdf", views.three_level_pdf, name="three_level_pdf"),
    path("townvisits/", views.town_visits, name="town_visits"),
    path("townvisits/new/", views.town_visit_new, name="town_visit_new"),
    path("townvisits/<int:pk>/", views.town_visit, name="town_visit"),
    path("townvisits/<int:pk>/follow-up/", views.town_visit_follow_up_view, name="town_visit_follow_up"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/visits/", views.link_visits, name="link_visits"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/showcase/", views.showcase, name="showcase"),
    path("<int:pk>/selfcheck/", views.self_check, name="self_check"),
    path("<int:pk>/send/", views.case_send_view, name="case_send"),
]

public_patterns = (
    [
        path("<str:code>/", views.public_village, name="village"),
        path("<str:code>/poster/", views.public_poster, name="poster"),
    ],
    "commitments_public",
)
