from django.urls import path

from cunshe.reserves import views

app_name = "reserves"
urlpatterns = [
    path("", views.reserve_index, name="list"),
    path("pool/", views.pool, name="pool"),
    path("pool/export/", views.pool_export, name="pool_export"),
    path("list/export/", views.reserves_download, name="export"),
    path("list/import/", views.reserves_upload, name="import"),
    path("list/import/template/", views.import_template, name="import_template"),
    path("village/<str:code>/", views.village, name="village"),
    path("village/<str:code>/add/", views.add, name="add"),
    path("village/<str:code>/pool/", views.pool_add, name="pool_add"),
    path("village/<str:code>/notice.pdf", views.notice_print, name="notice_print"),
    path("<int:pk>/evaluation-form.pdf", views.evaluation_form_print, name="evaluation_form_print"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:step>/", views.step, name="step"),
]
