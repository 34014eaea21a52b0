from django.urls import path

from cunshe.handovers import views

app_name = "handovers"
urlpatterns = [
    path("", views.handover_list, name="list"),
    path("export/", views.handover_export, name="export"),
    path("new/<str:code>/", views.handover_new, name="new"),
    path("units/new/<str:code>/", views.unit_new, name="unit_new"),
    path("<int:pk>/", views.handover_detail, name="detail"),
    path("<int:pk>/freeze/", views.freeze, name="freeze"),
    path("<int:pk>/finance-notices/<str:kind>.pdf", views.freeze_notice, name="freeze_notice"),
    path("<int:pk>/inquiries/", views.inquiry_new, name="inquiry_new"),
    path("<int:pk>/conduct/", views.conduct, name="conduct"),
    path("leftovers/<int:pk>/answer/", views.inquiry_reply, name="inquiry_answer"),
    path("people/<int:pk>/conduct/", views.person_conduct, name="person_conduct"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/letter.pdf", views.letter, name="letter"),
    path("<int:pk>/leaving-notice.pdf", views.leaving_notice, name="leaving_notice"),
    path("<int:pk>/notice.pdf", views.handover_notice, name="notice"),
    path("<int:pk>/leftovers/", views.leftover_new, name="leftover_new"),
    path("<int:pk>/care/", views.care, name="care"),
    path("items/<int:pk>/", views.item_edit, name="item"),
    path("items/<int:pk>/scans/", views.scan_upload, name="scan_upload"),
    path("scans/<int:pk>/", views.scan_file, name="scan"),
    path("leftovers/<int:pk>/", views.leftover_detail, name="leftover"),
    path("leftovers/<int:pk>/progress/", views.leftover_progress, name="leftover_progress"),
    path("leftovers/<int:pk>/accountability/", views.leftover_accountability, name="leftover_accountability"),
    path("leftovers/<int:pk>/status/", views.leftover_status, name="leftover_status"),
    path("settings/<str:code>/", views.county_settings, name="settings"),
    path("settings/<str:code>/templates/", views.template_upload, name="template_upload"),
    path("templates/<int:pk>.xlsx", views.template_download, name="template"),
]
