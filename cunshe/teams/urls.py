from django.urls import path

from cunshe.teams import views

app_name = "teams"
urlpatterns = [
    path("<str:code>/", views.team, name="team"),
    path("<str:code>/appoint/", views.appoint, name="appoint"),
    path("members/<int:pk>/end/", views.end, name="end"),
]
