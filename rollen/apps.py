from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollenConfig(AppConfig):
    name = "rollen"
    verbose_name = _("Roles")
