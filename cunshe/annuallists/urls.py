from django.urls import path

from cunshe.annuallists import views

app_name = "annuallists"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.rollup, name="rollup"),
    path("region/<str:code>/lists.xlsx", views.rollup_xlsx, name="rollup_xlsx"),
    path("village/<str:code>/", views.village, name="village"),
    path("village/<str:code>/round/", views.round_new, name="round_open"),
    path("village/<str:code>/visit/", views.visit, name="visit"),
    path("village/<str:code>/draft/", views.draft, name="draft"),
    path("list/<int:pk>/", views.detail, name="list"),
    path("list/<int:pk>/items/", views.item_new, name="item_new"),
    path("list/<int:pk>/goals/", views.goal_new, name="goal_new"),
    path("list/<int:pk>/submit/", views.submit, name="submit"),
    path("list/<int:pk>/review/", views.review, name="review"),
    path("list/<int:pk>/pledge/", views.pledge, name="pledge"),
    path("list/<int:pk>/list.pdf", views.list_pdf, name="list_pdf"),
    path("list/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("item/<int:pk>/progress/", views.progress, name="progress"),
]
