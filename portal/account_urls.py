"""The pages under /account/: Django's log-in and password pages (the password ones gone when
LOCAL_PASSWORDS=0), sign-in with the organisation's account and the break-glass link."""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal import signin_views as views

_password = views.local_passwords_only

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        _password(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password_change/done/",
        _password(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        _password(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        _password(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        _password(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        _password(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("organisatie/", views.AuthenticateView.as_view(), name="oidc_authenticate"),
    path("organisatie/terug/", views.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("organisatie/geweigerd/", views.refused, name="oidc_refused"),
    path("noodtoegang/<str:token>/", views.break_glass, name="break_glass"),
]
