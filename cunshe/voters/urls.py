from django.urls import path

from cunshe.voters import views

app_name = "voters"

urlpatterns = [
    path("<int:pk>/", views.register_page, name="register"),
    path("<int:pk>/build/", views.register_build_view, name="build"),
    path("<int:pk>/publish/", views.register_publish_view, name="publish"),
    path("<int:pk>/add/", views.voter_add_view, name="add"),
    path("<int:pk>/amend/", views.register_amend_view, name="amend"),
    path("<int:pk>/objections/", views.objection_file_view, name="objection_file"),
    path("objections/<int:pk>/decide/", views.objection_decide_view, name="objection_decide"),
    path("<int:pk>/import/", views.register_import_view, name="import"),
    path("<int:pk>/print/", views.register_print, name="print"),
    path("<int:pk>/export/", views.register_excel, name="export"),
]
