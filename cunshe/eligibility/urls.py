from django.urls import path

from cunshe.eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("rules/", views.rule_list, name="rules"),
    path("rules/defaults/", views.install_defaults, name="install_defaults"),
    path("rules/new/", views.rule_add, name="rule_add"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
]
