from django.urls import path

from cunshe.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.todo, name="todo"),
    path("overdue/", views.overdue, name="overdue"),
    path("holidays/", views.holidays_page, name="holidays"),
    path("holidays/load/", views.holidays_load, name="holidays_load"),
]
