from django.urls import path

from cunshe.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.export, name="export"),
    path("targets/", views.target_set, name="target_set"),
    path("import/", views.plan_import, name="import"),
    path("plan/<int:pk>/", views.target, name="target"),
    path("<str:code>/", views.village, name="village"),
    path("<str:code>/plan.xlsx", views.plan_export, name="plan_export"),
    path("<str:code>/tasks.pdf", views.task_sheet, name="task_sheet"),
    path("<str:code>/generate/", views.generate, name="generate"),
    path("<str:code>/groups/", views.group_member, name="group_member"),
]
