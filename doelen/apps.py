from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoelenConfig(AppConfig):
    name = "doelen"
    verbose_name = _("Team goals")

    def ready(self):
        from doelen import nudges, reactions
        from doelen.reminders import KINDS
        from notifications import registry

        registry.register(*KINDS, nudges.KIND, reactions.KIND)
