from django.urls import path

from cunshe.liaison import views

app_name = "liaison"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/counts.xlsx", views.counts_xlsx, name="counts_xlsx"),
    path("region/<str:code>/assignments.xlsx", views.assignments_xlsx, name="assignments_xlsx"),
    path("region/<str:code>/service.pdf", views.service_pdf, name="service_pdf"),
    path("region/<str:code>/import/", views.import_view, name="import"),
    path("region/<str:code>/ratings/", views.ratings, name="ratings"),
    path("ratings/new/", views.rating_new, name="rating_new"),
    path("assignments/new/", views.assignment_new, name="assignment_new"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("assignments/<int:pk>/end/", views.end, name="end"),
    path("assignments/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("assignments/<int:pk>/service-day/", views.service_day, name="service_day"),
    path("assignments/<int:pk>/talk/", views.talk, name="talk"),
    path("assignments/<int:pk>/matter/", views.matter, name="matter"),
    path("matters/<int:pk>/resolve/", views.resolve, name="resolve"),
]
