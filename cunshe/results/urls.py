from django.urls import path

from cunshe.results import views

app_name = "results"
urlpatterns = [
    path("<int:pk>/", views.result, name="result"),
    path("<int:pk>/certify/", views.certify, name="certify"),
    path("<int:pk>/void/", views.void, name="void"),
    path("<int:pk>/party-vote/", views.party_vote, name="party_vote"),
    path("<int:pk>/party-approve/", views.party_approve, name="party_approve"),
    path("<int:pk>/handover/", views.handover, name="handover"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report"),
    path("<int:pk>/certificates.pdf", views.certificates_pdf, name="certificates"),
]

public_patterns = (
    [
        path("<str:code>/", views.public_village, name="village"),
        path("<str:code>/poster/", views.public_poster, name="poster"),
    ],
    "results_public",
)
