from django.urls import path

from cunshe.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.todo, name="todo"),
    path("overdue/", views.overdue, name="overdue"),
]
