from django.urls import path

from cunshe.points import views

app_name = "points"
urlpatterns = [
    path("", views.index, name="index"),
    path("books/new/", views.book_new, name="book_new"),
    path("books/<int:pk>/", views.book, name="book"),
    path("books/<int:pk>/rules/", views.rule_new, name="rule_new"),
    path("books/<int:pk>/publish/", views.book_publish_view, name="book_publish"),
    path("holders/new/", views.holder_new, name="holder_new"),
    path("holders/<int:pk>/", views.holder, name="holder"),
    path("holders/<int:pk>/earn/", views.earn, name="earn"),
    path("holders/<int:pk>/code/", views.code, name="code"),
    path("hours-credit/", views.credit, name="credit"),
    path("expire/", views.expire, name="expire"),
    path("villages/<str:code>/ledger.xlsx", views.ledger, name="ledger"),
    path("verify/", views.verify_page, name="verify"),
    path("listings/new/", views.listing_new, name="listing_new"),
    path("listings/<int:pk>/", views.listing, name="listing"),
    path("listings/<int:pk>/board.pdf", views.board, name="board"),
    path("listings/<int:pk>/objections/", views.objection_new, name="objection_new"),
    path("listings/<int:pk>/close/", views.close, name="close"),
    path("objections/<int:pk>/decide/", views.decide, name="decide"),
    path("merchants/new/", views.merchant_new, name="merchant_new"),
    path("merchants/<int:pk>/", views.merchant, name="merchant"),
    path("merchants/<int:pk>/redeem/", views.redeem_view, name="redeem"),
    path("merchants/<int:pk>/accounts/", views.merchant_account, name="merchant_account"),
    path("merchants/<int:pk>/settlements/", views.settlement_new, name="settlement_new"),
    path("settlements/<int:pk>/", views.settlement, name="settlement"),
    path("settlements/<int:pk>/approve/", views.approve, name="approve"),
    path("settlements/<int:pk>/pay/", views.pay, name="pay"),
    path("settlements/<int:pk>/sheet.pdf", views.settlement_pdf, name="settlement_pdf"),
    path("settlements/<int:pk>/redemptions.xlsx", views.settlement_xlsx, name="settlement_xlsx"),
]

public_patterns = ([path("<str:code>/", views.public, name="village")], "points_public")
