from django.urls import path

from cunshe.education import views

app_name = "education"
urlpatterns = [
    path("", views.campaigns, name="list"),
    path("new/", views.campaign_new, name="campaign_new"),
    path("campaign/<int:pk>/<str:code>/", views.campaign, name="campaign"),
    path("campaign/<int:pk>/<str:code>/ledger.xlsx", views.ledger, name="ledger"),
    path("campaign/<int:pk>/<str:code>/sheet.pdf", views.sheet, name="sheet"),
    path("task/<int:pk>/done/", views.done, name="done"),
]
