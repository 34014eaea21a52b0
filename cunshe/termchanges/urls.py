from django.urls import path

from cunshe.termchanges import views

app_name = "termchanges"
urlpatterns = [
    path("", views.term_change_list, name="list"),
    path("new/", views.term_change_new, name="new"),
    path("<int:pk>/", views.term_change_detail, name="detail"),
    path("<int:pk>/status/", views.term_change_move, name="move"),
    path("milestones/<int:pk>/", views.milestone_edit, name="milestone"),
]
