"""Service-account tokens for the reporting API and their daily use counters."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    TEAMS = "teams:read", _("teams:read: teams and memberships")
    ROLES = "roles:read", _("roles:read: role assignments")
    GOALS = "goals:read", _("goals:read: objectives, team goals and check-ins")
    GOAL_COMMENTS = "goals:read-comments", _("goals:read-comments: comments of check-ins")
    SCAN = "scan:read", _("scan:read: published team scan results")


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A service account's token. Only the sha256 of the secret is kept: the secret is shown
    once, when the token is created (api.services.create_token)."""

    name = models.CharField(
        _("name"), max_length=120, help_text=_("Which system uses it, for example Power BI P&O.")
    )
    key_prefix = models.CharField(_("start of the key"), max_length=12, editable=False)
    key_hash = models.CharField(_("hash of the key"), max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ApiTokenUse(models.Model):
    """How many requests a token made on a day: the aggregate audit of API use."""

    token = models.ForeignKey(
        ApiToken, verbose_name=_("token"), on_delete=models.CASCADE, related_name="uses"
    )
    day = models.DateField(_("day"))
    requests = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("API use per day")
        verbose_name_plural = _("API use per day")
        ordering = ["-day", "token"]
        constraints = [
            models.UniqueConstraint(fields=["token", "day"], name="api_token_use_once_per_day")
        ]

    def __str__(self):
        return f"{self.token} {self.day}: {self.requests}"
