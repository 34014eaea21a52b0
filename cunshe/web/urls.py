from django.urls import path

from cunshe.web import views

app_name = "web"
urlpatterns = [
    path("", views.root, name="root"),
    path("home/", views.home, name="home"),
]

public_patterns = (
    [
        path("", views.public_index, name="index"),
        path("regions/<str:code>/", views.public_region, name="region"),
    ],
    "public",
)
