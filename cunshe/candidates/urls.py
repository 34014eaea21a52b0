from django.urls import path

from cunshe.candidates import views

app_name = "candidates"

urlpatterns = [
    path("election/<int:pk>/", views.election_board, name="board"),
    path("election/<int:pk>/nominations/", views.nominations, name="nominations"),
    path("election/<int:pk>/recommendations/", views.recommendations, name="recommendations"),
    path("election/<int:pk>/determine/", views.determine, name="determine"),
    path("election/<int:pk>/approve/", views.approve, name="approve"),
    path("election/<int:pk>/publish/", views.publish, name="publish"),
    path("election/<int:pk>/poster.pdf", views.poster, name="poster"),
    path("election/<int:pk>/meetings/", views.meeting_record, name="meeting"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/letter/", views.letter, name="letter"),
]
