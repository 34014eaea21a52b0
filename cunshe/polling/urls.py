from django.urls import path

from cunshe.polling import views

app_name = "polling"
urlpatterns = [
    path("elections/<int:pk>/", views.election_polling, name="election"),
    path("elections/<int:pk>/stations/", views.station_new, name="station_new"),
    path("elections/<int:pk>/proxies/", views.proxy_new, name="proxy_new"),
    path("elections/<int:pk>/publish/", views.publish, name="publish"),
    path("elections/<int:pk>/open/", views.open_poll, name="open"),
    path("elections/<int:pk>/ballots.pdf", views.ballots, name="ballots"),
    path("elections/<int:pk>/voter-cards.pdf", views.voter_cards, name="voter_cards"),
    path("elections/<int:pk>/mobile-list.pdf", views.mobile_list, name="mobile_list"),
    path("elections/<int:pk>/proxy-list.pdf", views.proxy_list, name="proxy_list"),
    path("stations/<int:pk>/staff/", views.staff_new, name="staff_new"),
    path("stations/<int:pk>/mobile-voters/", views.mobile_new, name="mobile_new"),
    path("stations/<int:pk>/count-sheet.pdf", views.count_sheet, name="count_sheet"),
    path("staff/<int:pk>/remove/", views.staff_delete, name="staff_remove"),
]
