from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The read-only reporting API for service accounts (issue #19). It reads the apps as
    the dashboards do; nothing imports it."""

    name = "api"
    verbose_name = _("Reporting API")
    default_auto_field = "django.db.models.BigAutoField"
