from django.urls import path

from cunshe.investigations import views

app_name = "investigations"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("teams/<int:pk>/members/", views.member_new, name="member_new"),
    path("teams/<int:pk>/villages/", views.coverage_new, name="coverage_new"),
    path("teams/<int:pk>/logs/", views.log_new, name="log_new"),
    path("coverages/<int:pk>/end/", views.coverage_close, name="coverage_end"),
    path("villages/<str:code>/", views.village, name="village"),
    path("villages/<str:code>/print/", views.village_print, name="village_print"),
    path("items/<int:pk>/start/", views.item_start_view, name="item_start"),
    path("items/<int:pk>/find/", views.item_find_view, name="item_find"),
    path("items/<int:pk>/clear/", views.item_clear_view, name="item_clear"),
]
