from django.urls import path

from cunshe.offline import views

app_name = "offline"
urlpatterns = [
    # The worker must be served from the root so that its scope covers every page (a worker under /static/ could
    # only control /static/).
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.queue, name="queue"),
    path("offline/state/", views.state, name="state"),
]
