"""Log-in and log-out pages: the password log-in (unless LOCAL_PASSWORDS=0), sign-in with the
organisation's account (portal/oidc.py), its refusal page and the break-glass link
(docs/decisions/0018-sign-in-with-oidc.md)."""

import functools

from django.conf import settings
from django.contrib import admin, auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from mozilla_django_oidc import views as oidc_views

from audit.services import audit_record
from portal import oidc
from teams.models import Employee

BREAK_GLASS_SALT = "zelfsturing.break-glass"


def local_passwords_only(view):
    """404 when local passwords are switched off (LOCAL_PASSWORDS=0)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.ZS_LOCAL_PASSWORDS:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def oidc_only(view):
    """404 unless sign-in with the organisation's account is configured."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.ZS_OIDC_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class LoginView(auth_views.LoginView):
    """The log-in page: the organisation's account when configured, and the password form
    while local passwords are on."""

    def post(self, request, *args, **kwargs):
        if not settings.ZS_LOCAL_PASSWORDS:
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            oidc_enabled=settings.ZS_OIDC_ENABLED,
            local_passwords=settings.ZS_LOCAL_PASSWORDS,
            **kwargs,
        )


class LogoutView(auth_views.LogoutView):
    """Log out here, and at the provider when the person signed in there and it can."""

    def post(self, request, *args, **kwargs):
        provider_url = oidc.provider_logout_url(request)
        response = super().post(request, *args, **kwargs)
        if provider_url != request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL)):
            return HttpResponseRedirect(provider_url)
        return response


@method_decorator([login_not_required, oidc_only], name="dispatch")
class AuthenticateView(oidc_views.OIDCAuthenticationRequestView):
    """Send the browser to the provider (state, nonce and PKCE in the session)."""

    get_settings = staticmethod(oidc.oidc_setting)

    def __init__(self, *args, **kwargs):
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except oidc.ProviderUnavailable:
            request.session[oidc.REFUSED_KEY] = "provider"
            return redirect("oidc_refused")
        return super().get(request)


@method_decorator([login_not_required, oidc_only], name="dispatch")
class CallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with the code."""

    get_settings = staticmethod(oidc.oidc_setting)

    @property
    def failure_url(self):
        return reverse("oidc_refused")

    def get(self, request):
        if request.GET.get("error"):
            request.session[oidc.REFUSED_KEY] = "cancelled"
        return super().get(request)


@login_not_required
@oidc_only
@require_GET
def refused(request):
    """Why a sign-in with the organisation's account did not get in (read once)."""
    reason = request.session.pop(oidc.REFUSED_KEY, "") if hasattr(request, "session") else ""
    return render(request, "registration/oidc_refused.html", {"reason": reason})


@login_not_required
def admin_login(request):
    """The admin's log-in: its password form while local passwords are on, else the portal's
    log-in page (the organisation's account)."""
    if settings.ZS_LOCAL_PASSWORDS:
        return admin.site.login(request)
    return redirect_to_login(request.GET.get("next", reverse("admin:index")))


def break_glass_token(employee: Employee) -> str:
    """A link token for `employee`: signed, timed, and void once it was used (it holds the
    time of the last log-in, which using it changes)."""
    last = employee.last_login.isoformat() if employee.last_login else ""
    return signing.dumps({"u": employee.pk, "l": last}, salt=BREAK_GLASS_SALT)


def _break_glass_employee(token: str) -> Employee | None:
    try:
        data = signing.loads(
            token, salt=BREAK_GLASS_SALT, max_age=settings.ZS_BREAK_GLASS_MINUTES * 60
        )
        employee = Employee.objects.get(pk=data["u"], is_active=True, is_superuser=True)
    except (signing.BadSignature, Employee.DoesNotExist, KeyError, TypeError):
        return None
    last = employee.last_login.isoformat() if employee.last_login else ""
    return employee if data.get("l") == last else None


@login_not_required
def break_glass(request, token: str):
    """The one-time log-in link from `manage.py break_glass_link` for a superuser, when the
    provider is down or local passwords are off. GET asks, POST logs in (a link preview or
    mail scanner does not use it up)."""
    employee = _break_glass_employee(token)
    if employee is not None and request.method == "POST":
        auth.login(request, employee, backend="django.contrib.auth.backends.ModelBackend")
        audit_record(
            actor=employee, action="employee.break_glass", obj=employee, details={"method": "link"}
        )
        return redirect("home")
    if request.method not in {"GET", "POST"}:
        raise Http404
    return render(request, "registration/break_glass.html", {"valid": employee is not None})
