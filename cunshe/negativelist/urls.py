from django.urls import path

from cunshe.negativelist import views

app_name = "negativelist"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("people/<int:person_pk>/new/", views.entry_new, name="new"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/state/", views.entry_move, name="move"),
]
