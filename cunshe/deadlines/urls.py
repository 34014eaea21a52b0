from django.urls import path

from cunshe.deadlines import views

app_name = "deadlines"
urlpatterns = [path("overdue/", views.overdue, name="overdue")]
