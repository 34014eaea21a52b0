from django.urls import path

from cunshe.talks import views

app_name = "talks"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/talks.xlsx", views.ledger, name="ledger"),
    path("new/", views.talk_new, name="talk_new"),
    path("<int:pk>/", views.talk, name="talk"),
    path("<int:pk>/record.pdf", views.talk_print, name="talk_print"),
    path("<int:pk>/follow-ups/", views.followup_new, name="followup_new"),
    path("follow-ups/<int:pk>/done/", views.followup_finish, name="followup_done"),
]
