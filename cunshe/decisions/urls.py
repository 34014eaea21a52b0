from django.urls import path

from cunshe.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.region, name="region"),
    path("rules/<str:code>/", views.rules, name="rules"),
    path("village/<str:code>/new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/meeting/", views.meeting, name="meeting"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/sheets.pdf", views.sheets, name="sheets"),
]
