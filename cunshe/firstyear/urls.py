from django.urls import path

from cunshe.firstyear import views

app_name = "firstyear"
urlpatterns = [
    path("", views.index, name="index"),
    path("region/<str:code>/", views.rollup, name="rollup"),
    path("region/<str:code>/ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("region/<str:code>/ledger/import/", views.ledger_upload, name="ledger_import"),
    path("region/<str:code>/report.pdf", views.report, name="report"),
    path("village/<str:code>/", views.village, name="village"),
    path("progress/<int:pk>/done/", views.done, name="done"),
    path("progress/<int:pk>/undo/", views.undo, name="undo"),
    path("progress/<int:pk>/attachment/", views.attachment, name="attachment"),
    path("items/<str:code>/", views.items, name="items"),
    path("items/<str:code>/new/", views.item_new, name="item_new"),
    path("item/<int:pk>/", views.item_edit, name="item_edit"),
]
