from django.urls import path

from cunshe.disclosures import views

app_name = "disclosures"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.rollup, name="rollup"),
    path("region/<str:code>/ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("schedule/<str:code>/", views.schedule, name="schedule"),
    path("village/<str:code>/", views.village, name="village"),
    path("village/<str:code>/new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/photos/", views.photo_new, name="photo_new"),
    path("photo/<int:pk>/", views.photo, name="photo"),
]

public_patterns = (
    [path("photo/<int:pk>/", views.public_photo, name="photo")],
    "disclosures_public",
)
