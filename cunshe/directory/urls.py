from django.urls import path

from cunshe.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/fill/", views.fill, name="fill"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/<int:pk>/", views.entry_change, name="entry_change"),
    path("entries/<int:pk>/consent/", views.consent, name="consent"),
    path("entries/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]

public_patterns = (
    [
        path("<str:code>/", views.public_page, name="region"),
        path("<str:code>/print.pdf", views.public_pdf, name="print"),
        path("<str:code>/ledger.xlsx", views.public_xlsx, name="ledger"),
    ],
    "directory_public",
)
