from django.urls import path

from cunshe.readiness import views

app_name = "readiness"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.export, name="export"),
    path("intents/export/", views.intents_download, name="intents_export"),
    path("intents/import/", views.intents_upload, name="intents_import"),
    path("template/<str:code>/", views.template, name="template"),
    path("template/tasks/<int:pk>/edit/", views.template_task_edit, name="template_task_edit"),
    path("template/tasks/<int:pk>/active/", views.template_task_active, name="template_task_active"),
    path("plan/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plan/<int:pk>/done/", views.plan_done, name="plan_done"),
    path("tasks/<int:pk>/status/", views.task_status, name="task_status"),
    path("<str:code>/", views.village, name="village"),
    path("<str:code>/file.pdf", views.village_file, name="village_file"),
    path("<str:code>/assess/", views.assess, name="assess"),
    path("<str:code>/plan/", views.plan, name="plan"),
    path("<str:code>/workplan/", views.work_plan, name="work_plan"),
    path("<str:code>/intents/", views.intent, name="intent"),
    path("<str:code>/rehearsal/", views.rehearsal_page, name="rehearsal"),
]
