from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZelfsturingConfig(AppConfig):
    name = "zelfsturing"
    verbose_name = _("Zelfsturing portal")
