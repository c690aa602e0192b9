from django.contrib.auth import views as auth_views
from django.urls import path

from fourfirsts.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.account_list, name="account_list"),
    path("users/new/", views.account_create, name="account_create"),
    path("users/bulk/", views.account_bulk, name="account_bulk"),
    path("users/<int:pk>/", views.account_detail, name="account_detail"),
    path("users/<int:pk>/reset/", views.account_reset, name="account_reset"),
    path("users/<int:pk>/active/", views.account_active, name="account_active"),
    path("users/<int:pk>/role/", views.account_role, name="account_role"),
    path("users/<int:pk>/full-data/", views.account_full_data, name="account_full_data"),
    path("roles/", views.role_list, name="role_list"),
    path("security-log/", views.security_log, name="security_log"),
]
