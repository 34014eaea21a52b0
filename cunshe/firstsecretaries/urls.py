from django.urls import path

from cunshe.firstsecretaries import views

app_name = "firstsecretaries"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("postings/new/", views.posting_new, name="posting_new"),
    path("postings/<int:pk>/", views.posting, name="posting"),
    path("postings/<int:pk>/change/", views.posting_change, name="posting_change"),
    path("postings/<int:pk>/end/", views.posting_leave, name="posting_end"),
    path("postings/<int:pk>/person/", views.posting_person, name="posting_person"),
    path("postings/<int:pk>/log/", views.log_new, name="log_new"),
    path("reports/<int:pk>/print.pdf", views.report_print, name="report_print"),
    path("reports/<int:pk>/submit/", views.submit, name="submit"),
    path("reports/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("reports/<int:pk>/return/", views.send_back, name="return"),
]
