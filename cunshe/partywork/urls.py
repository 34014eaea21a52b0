from django.urls import path

from cunshe.partywork import views

app_name = "partywork"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/branches/", views.branch_new, name="branch_new"),
    path("region/<str:code>/ledger.xlsx", views.ledger, name="ledger"),
    path("region/<str:code>/ratings/<int:year>/<int:quarter>/sheet.pdf", views.rating_sheet, name="rating_sheet"),
    path("region/<str:code>/ratings/<int:year>/<int:quarter>/results.xlsx", views.results, name="results"),
    path("branch/<str:code>/", views.branch, name="branch"),
    path("branch/<str:code>/meetings/", views.meeting_new, name="meeting_new"),
    path("meeting/<int:pk>/", views.meeting, name="meeting"),
    path("meeting/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meeting/<int:pk>/sign/", views.sign, name="sign"),
    path("meeting/<int:pk>/addendum/", views.addendum, name="addendum"),
    path("meeting/<int:pk>/minutes.pdf", views.minutes, name="minutes"),
    path("region/<str:code>/posts/", views.posts, name="posts"),
    path("branch/<str:code>/posts/", views.post_new, name="post_new"),
    path("post/<int:pk>/", views.post, name="post"),
    path("post/<int:pk>/rate/", views.post_rating, name="post_rate"),
    path("post/<int:pk>/end/", views.post_end, name="post_end"),
    path("region/<str:code>/floating/", views.floating, name="floating"),
    path("region/<str:code>/floating.xlsx", views.floating_ledger, name="floating_ledger"),
    path("branch/<str:code>/floating/", views.floating_new, name="floating_new"),
    path("floating/<int:pk>/", views.member, name="member"),
    path("floating/<int:pk>/cards/", views.card_new, name="card_new"),
    path("floating/<int:pk>/reports/", views.report_new, name="report_new"),
    path("floating/<int:pk>/return/", views.member_back, name="member_return"),
    path("region/<str:code>/groups/", views.groups, name="groups"),
    path("town/<str:code>/groups/", views.group_new, name="group_new"),
    path("group/<int:pk>/", views.group, name="group"),
    path("group/<int:pk>/members/", views.group_join, name="group_join"),
    path("group/<int:pk>/members/<int:member_pk>/leave/", views.group_leave, name="group_leave"),
    path("group/<int:pk>/leader/", views.group_leader, name="group_leader"),
    path("group/<int:pk>/dissolve/", views.group_end, name="group_dissolve"),
]
