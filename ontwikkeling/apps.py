from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OntwikkelingConfig(AppConfig):
    name = "ontwikkeling"
    verbose_name = _("Development programme")

    def ready(self):
        from notifications import registry
        from ontwikkeling.notifications import KINDS

        registry.register(*KINDS)
