from django.urls import path

from cunshe.elections import views

app_name = "elections"

urlpatterns = [
    path("", views.election_list, name="list"),
    path("new/", views.election_new, name="new"),
    path("rules/", views.rules_index, name="rules"),
    path("<int:pk>/", views.election_detail, name="detail"),
    path("<int:pk>/correct/", views.election_correct, name="correct"),
    path("<int:pk>/rounds/new/", views.round_new, name="round_new"),
    path("<int:pk>/committee/", views.committee_add, name="committee_add"),
    path("committee/<int:pk>/withdraw/", views.committee_withdraw, name="committee_withdraw"),
]
