from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The reminder log, claim-and-send-once, the retry policy and the registry of kinds.

    Below doelen and ontwikkeling: it imports neither. They register their kinds of e-mail
    in their own AppConfig.ready() (notifications.registry)."""

    name = "notifications"
    verbose_name = _("Reminder e-mails")
