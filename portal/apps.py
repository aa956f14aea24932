from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The pages that compose the apps: start page, team page, personal data, demo data."""

    name = "portal"
    verbose_name = _("Zelfsturing portal")
