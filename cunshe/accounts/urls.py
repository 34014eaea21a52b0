from django.contrib.auth.decorators import login_required
from django.urls import path

from cunshe.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", login_required(views.PasswordChangeView.as_view()), name="password_change"),
    path("manage/", views.account_list, name="manage_list"),
    path("manage/new/", views.account_new, name="manage_new"),
    path("manage/<int:pk>/", views.account_detail, name="manage_detail"),
    path("manage/<int:pk>/password/", views.account_reset_password, name="manage_reset_password"),
    path("manage/<int:pk>/active/", views.account_toggle_active, name="manage_toggle_active"),
    path("manage/<int:pk>/roles/<int:assignment_id>/revoke/", views.assignment_revoke, name="manage_revoke"),
]
