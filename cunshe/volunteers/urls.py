from django.urls import path

from cunshe.volunteers import views

app_name = "volunteers"
urlpatterns = [
    path("", views.index, name="index"),
    path("r/<str:code>/", views.rollup, name="rollup"),
    path("r/<str:code>/rollup.xlsx", views.rollup_xlsx, name="rollup_xlsx"),
    path("r/<str:code>/roster.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path("r/<str:code>/import/", views.roster_import_view, name="roster_import"),
    path("v/<str:code>/", views.village, name="village"),
    path("v/<str:code>/teams/", views.team_new, name="team_new"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("teams/<int:pk>/roster.pdf", views.team_roster_pdf, name="team_roster_pdf"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/", views.member_new, name="member_new"),
    path("teams/<int:pk>/activities/", views.activity_new, name="activity_new"),
    path("members/<int:pk>/leave/", views.member_leave_view, name="member_leave"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path("activities/<int:pk>/points/", views.activity_points, name="activity_points"),
]
