from django.urls import path

from cunshe.trainings import views

app_name = "trainings"
urlpatterns = [
    path("", views.course_list, name="list"),
    path("new/", views.course_new, name="course_new"),
    path("course/<int:pk>/", views.course, name="course"),
    path("course/<int:pk>/sessions/", views.session_new, name="session_new"),
    path("session/<int:pk>/", views.session, name="session"),
    path("session/<int:pk>/sheet.xlsx", views.sheet, name="sheet"),
    path("session/<int:pk>/import/", views.import_view, name="import"),
    path("session/<int:pk>/poster.pdf", views.poster, name="poster"),
    path("session/<int:pk>/new-code/", views.new_code, name="new_code"),
    path("attendance/<int:pk>/", views.mark, name="mark"),
    path("attendance/<int:pk>/follow-up/", views.followup, name="followup"),
    path("signin/<str:code>/", views.signin_page, name="signin"),
]
