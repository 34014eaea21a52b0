from django.urls import path, re_path

from cunshe.requests import open311, public, settings_views, views

app_name = "requests"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("import/", views.import_view, name="import"),
    path("import/<str:code>/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/photos/", views.photo_new, name="photo_new"),
    path("photo/<int:pk>/", views.photo, name="photo"),
    path("poster/<str:code>.pdf", views.poster, name="poster"),
    path("report/<str:code>/daily/", views.daily, name="daily"),
    path("report/<str:code>/daily.xlsx", views.daily_xlsx, name="daily_xlsx"),
    path("report/<str:code>/daily.pdf", views.daily_pdf, name="daily_pdf"),
    path("report/<str:code>/weekly/", views.weekly, name="weekly"),
    path("report/<str:code>/weekly.xlsx", views.weekly_xlsx, name="weekly_xlsx"),
    path("report/<str:code>/weekly.pdf", views.weekly_pdf, name="weekly_pdf"),
    path("settings/<str:code>/", settings_views.settings, name="settings"),
    path("settings/<str:code>/limits/", settings_views.limit_new, name="limit_new"),
    path("settings/<str:code>/categories/new/", settings_views.category_new, name="category_new"),
    path("settings/category/<int:pk>/", settings_views.category_edit, name="category_edit"),
    path("settings/category/<int:pk>/retire/", settings_views.category_stop, name="category_retire"),
    path("settings/<str:code>/templates/new/", settings_views.template_new, name="template_new"),
    path("settings/template/<int:pk>/", settings_views.template_edit, name="template_edit"),
    path("settings/template/<int:pk>/active/", settings_views.template_active, name="template_active"),
]

public_patterns = (
    [
        path("<str:code>/", public.file, name="file"),
        path("track/<str:token>/", public.track, name="track"),
    ],
    "requests_public",
)

open311_patterns = (
    [
        re_path(r"^services\.(?P<fmt>json|xml)$", open311.services, name="services"),
        re_path(r"^requests\.(?P<fmt>json|xml)$", open311.service_requests, name="requests"),
        re_path(r"^requests/(?P<pk>[0-9]+)\.(?P<fmt>json|xml)$", open311.request_one, name="request"),
    ],
    "open311",
)
