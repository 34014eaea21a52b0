from django.urls import path

from cunshe.carelist import views

app_name = "carelist"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.rollup, name="rollup"),
    path("region/<str:code>/visits.xlsx", views.visits_xlsx, name="visits_xlsx"),
    path("village/<str:code>/", views.village, name="village"),
    path("village/<str:code>/households/", views.household_new, name="household_new"),
    path("village/<str:code>/import/", views.households_upload, name="import"),
    path("village/<str:code>/households.xlsx", views.households_xlsx, name="households_xlsx"),
    path("village/<str:code>/list.pdf", views.list_pdf, name="list_pdf"),
    path("household/<int:pk>/", views.household, name="household"),
    path("household/<int:pk>/remove/", views.remove, name="remove"),
    path("household/<int:pk>/visit/", views.visit, name="visit"),
]
