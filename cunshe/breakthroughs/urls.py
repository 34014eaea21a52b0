from django.urls import path

from cunshe.breakthroughs import views

app_name = "breakthroughs"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/ledger.xlsx", views.ledger, name="ledger"),
    path("tasks/<str:code>/", views.tasks, name="tasks"),
    path("tasks/<str:code>/new/", views.task_new, name="task_new"),
    path("village/<str:code>/", views.village, name="village"),
    path("village/<str:code>/propose/", views.propose, name="propose"),
    path("project/<int:pk>/", views.project, name="project"),
    path("project/<int:pk>/sheet.pdf", views.project_sheet, name="project_sheet"),
    path("project/<int:pk>/approve/", views.approve, name="approve"),
    path("project/<int:pk>/report/", views.report, name="report"),
    path("project/<int:pk>/finish/", views.finish, name="finish"),
    path("project/<int:pk>/rate/", views.rate, name="rate"),
    path("milestone/<int:pk>/done/", views.milestone, name="milestone"),
    path("photo/<int:pk>/", views.photo, name="photo"),
]
