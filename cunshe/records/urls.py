from django.urls import path

from cunshe.records import views

app_name = "records"
urlpatterns = [path("<str:code>/", views.book, name="book")]
