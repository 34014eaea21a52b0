from django.urls import path

from cunshe.serviceteams import views

app_name = "serviceteams"
urlpatterns = [
    path("", views.index, name="index"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("teams/<int:pk>/members/", views.member_new, name="member_new"),
    path("teams/<int:pk>/offers/", views.offer_new, name="offer_new"),
    path("teams/<int:pk>/accounts/", views.account_new, name="account_new"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<int:pk>/", views.need, name="need"),
    path("needs/<int:pk>/order/", views.need_order, name="need_order"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order, name="order"),
    path("orders/<int:pk>/dispatch/", views.dispatch, name="dispatch"),
    path("orders/<int:pk>/accept/", views.accept, name="accept"),
    path("orders/<int:pk>/decline/", views.decline, name="decline"),
    path("orders/<int:pk>/complete/", views.complete, name="complete"),
    path("orders/<int:pk>/cancel/", views.cancel, name="cancel"),
]
