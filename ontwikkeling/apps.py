from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OntwikkelingConfig(AppConfig):
    name = "ontwikkeling"
    verbose_name = _("Development programme")

    def ready(self):
        from notifications import registry
        from ontwikkeling.notifications import KINDS

        registry.register(*KINDS)

        from ontwikkeling.personal.services import on_employee_anonymised
        from teams.signals import employee_anonymised

        # Anonymising a person deletes their development intentions and notes (issue #20).
        employee_anonymised.connect(
            on_employee_anonymised, dispatch_uid="ontwikkeling.erase_intentions"
        )
