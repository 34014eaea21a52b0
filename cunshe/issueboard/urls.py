from django.urls import path

from cunshe.issueboard import views

app_name = "issueboard"
urlpatterns = [
    path("", views.board_page, name="board"),
    path("export/", views.export, name="export"),
    path("chart.pdf", views.wall_chart, name="wall_chart"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/assign/", views.assign, name="assign"),
    path("issues/<int:pk>/status/", views.move, name="move"),
    path("<str:code>/", views.village, name="village"),
    path("<str:code>/issues/", views.raise_issue, name="raise"),
    path("<str:code>/flag/", views.flag, name="flag"),
]
