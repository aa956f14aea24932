"""Personal development in one's roles (issue #20): an employee's development intentions
per role and their progress notes. Private to the employee unless they share an intention
(docs/decisions/0022-persoonlijke-ontwikkeling.md). No `__str__` here holds what someone
wrote, so an admin page that lists related objects (a delete confirmation) or the audit log
(`object_repr`) can never show it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rollen.models import Role

# "A few" intentions per role: more at once is a wish list, not a plan.
MAX_CURRENT_PER_ROLE = 3


class Sharing(models.TextChoices):
    PRIVATE = "private", _("Only me")
    MANAGERS = "managers", _("Me and my manager")
    TEAM = "team", _("Me, my team and my manager")


class IntentionStatus(models.TextChoices):
    CURRENT = "current", _("current")
    COMPLETED = "completed", _("completed")
    ARCHIVED = "archived", _("archived")


class DevelopmentIntention(models.Model):
    """What an employee wants to grow in, in one of the four roles: what, how, by when."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="development_intentions",
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="+"
    )
    aim = models.CharField(_("what I want to grow in"), max_length=300)
    approach = models.TextField(_("how I go about it"), max_length=2000, blank=True)
    target_date = models.DateField(_("by when"), null=True, blank=True)
    sharing = models.CharField(
        _("shared with"), max_length=10, choices=Sharing.choices, default=Sharing.PRIVATE
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IntentionStatus.choices,
        default=IntentionStatus.CURRENT,
    )
    created_at = models.DateTimeField(_("written on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("development intention")
        verbose_name_plural = _("development intentions")
        ordering = ["role__order", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sharing__in=Sharing.values), name="intention_sharing_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=IntentionStatus.values), name="intention_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status=IntentionStatus.CURRENT, closed_at__isnull=True)
                | (~Q(status=IntentionStatus.CURRENT) & Q(closed_at__isnull=False)),
                name="intention_closed_when_not_current",
            ),
            models.CheckConstraint(condition=~Q(aim=""), name="intention_aim_not_empty"),
        ]
        indexes = [models.Index(fields=["employee", "status"])]

    def __str__(self):
        return gettext("Development intention %(number)s") % {"number": self.pk}

    @property
    def is_current(self) -> bool:
        return self.status == IntentionStatus.CURRENT


class IntentionNote(models.Model):
    """A short, dated progress note on an intention. Appended, never changed."""

    intention = models.ForeignKey(
        DevelopmentIntention,
        verbose_name=_("development intention"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    text = models.TextField(_("progress note"), max_length=1000)
    created_at = models.DateTimeField(_("written on"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="note_text_not_empty")]

    def __str__(self):
        return gettext("Progress note %(number)s") % {"number": self.pk}
