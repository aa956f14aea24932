from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that compose the apps: start page, team page, personal data, demo data."""

    name = "portal"
    verbose_name = _("Zelfsturing portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(_say_logged_out, dispatch_uid="portal-logged-out-message")


def _say_logged_out(sender, request, user, **kwargs):
    """After logging out the log-in page says so (the messages cookie outlives the session)."""
    from django.contrib import messages

    if request is not None and hasattr(request, "_messages"):
        messages.success(request, _("You are logged out."))
