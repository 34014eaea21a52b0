from django.urls import path

from cunshe.dailychecks import views

app_name = "dailychecks"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.rollup, name="rollup"),
    path("region/<str:code>/indicators.xlsx", views.indicators_xlsx, name="indicators_xlsx"),
    path("region/<str:code>/month.pdf", views.region_month_pdf, name="region_month_pdf"),
    path("village/<str:code>/", views.village, name="village"),
    path("village/<str:code>/cadre/<int:person_id>/month.pdf", views.cadre_month_pdf, name="cadre_month_pdf"),
    path("village/<str:code>/check/<int:person_id>/", views.check, name="check_form"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("results/<int:pk>/close/", views.close, name="close"),
    path("county/<str:code>/checklist/", views.checklist, name="checklist"),
    path("county/<str:code>/checklist/publish/", views.checklist_new, name="checklist_new"),
    path("county/<str:code>/measures/", views.measures, name="measures"),
    path("county/<str:code>/measures/new/", views.measure_new, name="measure_new"),
    path("measures/<int:pk>/", views.measure, name="measure"),
    path("measures/<int:pk>/progress/", views.measure_progress, name="measure_progress"),
    path("measures/<int:pk>/move/", views.move, name="move"),
]
