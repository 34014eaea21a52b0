from django.urls import path

from cunshe.counts import views

app_name = "counts"
urlpatterns = [
    path("board/", views.board_page, name="board"),
    path("board/live/", views.board_live, name="board_live"),
    path("return/", views.return_download, name="return"),
    path("elections/<int:pk>/", views.election_counts, name="election"),
    path("elections/<int:pk>/enter/", views.sheet_enter_page, name="enter"),
    path("elections/<int:pk>/further/", views.further_round_page, name="further"),
    path("elections/<int:pk>/account-person/", views.account_person_page, name="account_person"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("sheets/<int:pk>/settle/", views.sheet_settle_page, name="settle"),
    path("sheets/<int:pk>/clear/", views.sheet_clear_page, name="clear"),
    path("sheets/<int:pk>/scan/", views.scan_upload, name="scan_upload"),
    path("sheets/<int:pk>/sign-off/", views.sheet_sign_off_page, name="sign_off"),
    path("sheets/<int:pk>/correct/", views.sheet_correct_page, name="correct"),
    path("scans/<int:pk>/", views.scan_file, name="scan"),
]
