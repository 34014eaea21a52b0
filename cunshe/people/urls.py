from django.urls import path

from cunshe.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_new, name="new"),
    path("export/", views.person_export, name="export"),
    path("import/", views.person_import, name="import"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/relations/", views.relation_new, name="relation_new"),
]
