from django.urls import path

from cunshe.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.index, name="index"),
    path("overview/<str:code>/", views.overview, name="overview"),
    path("overview/<str:code>/export/", views.overview_export, name="overview_export"),
    path("weights/<str:code>/", views.weights, name="weights"),
    path("village/<str:code>/", views.village, name="village"),
    path("village/<str:code>/open/", views.open_assessment, name="open"),
    path("rates/<str:code>/", views.rates, name="rates"),
    path("rates/<str:code>/support/", views.support, name="support"),
    path("rates/<str:code>/export/", views.rates_download, name="rates_export"),
    path("polls/<int:pk>/totals/", views.totals, name="totals"),
    path("polls/<int:pk>/ballot/", views.ballot, name="ballot"),
    path("polls/<int:pk>/ballots.pdf", views.ballots_print, name="ballots_print"),
    path("polls/<int:pk>/count-sheet.pdf", views.count_sheet_print, name="count_sheet_print"),
    path("<int:pk>/status/", views.move, name="move"),
    path("<int:pk>/export/", views.export, name="export"),
]
