from django.urls import path

from cunshe.command import views

app_name = "command"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.board_page, name="board"),
    path("<str:code>/wall-chart.pdf", views.wall_chart, name="wall_chart"),
]
