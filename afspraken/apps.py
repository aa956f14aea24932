from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AfsprakenConfig(AppConfig):
    name = "afspraken"
    verbose_name = _("Team agreements")

    def ready(self):
        from afspraken.reminders import KINDS
        from notifications import registry

        registry.register(*KINDS)
