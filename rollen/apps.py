from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollenConfig(AppConfig):
    name = "rollen"
    verbose_name = _("Roles")

    def ready(self):
        from notifications import registry
        from rollen import notices
        from rollen.services import on_membership_ended
        from teams.signals import membership_ended

        registry.register(notices.KIND)

        # A role is held only while a member: ending a membership anywhere ends the roles
        # held in that team on the same date (teams must not import rollen).
        membership_ended.connect(on_membership_ended, dispatch_uid="rollen.end_roles")
