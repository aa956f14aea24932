"""A team's own agreements (werkafspraken): how we plan, decide, stand in for each other.

An agreement's content lives in its versions: every change appends an `AgreementVersion`
(who, when, what), nothing is overwritten. `Agreement.current` points at the latest one and
is kept by the service that appends it (afspraken.services), under the agreement's row lock.
An agreement is retired (with date and who), never deleted."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.dates import validate_reasonable_date
from teams.models import Team

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 300


class AgreementQuerySet(models.QuerySet):
    def current(self):
        """Agreements in force: not retired."""
        return self.filter(retired_on__isnull=True)

    def overdue(self, *, on):
        """Agreements in force whose review date lies before `on`."""
        return self.current().filter(current__review_on__lt=on)


class Agreement(models.Model):
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="agreements"
    )
    current = models.ForeignKey(
        "AgreementVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retired by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    retired_reason = models.CharField(_("reason"), max_length=NOTE_MAX_LENGTH, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("team agreement")
        verbose_name_plural = _("team agreements")
        ordering = ["team", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(retired_by__isnull=False),
                name="agreement_retired_by_someone",
            ),
        ]
        indexes = [models.Index(fields=["team", "retired_on"])]

    def __str__(self):
        return self.current.title if self.current_id and self.current else f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("afspraken:detail", kwargs={"pk": self.pk})

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None


class AgreementVersion(models.Model):
    """What an agreement said from `changed_at` on. Append-only: a change is a new row."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    text = models.TextField(_("agreement"), max_length=TEXT_MAX_LENGTH)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_agreement_versions",
        help_text=_("The team member who keeps an eye on this agreement."),
    )
    agreed_on = models.DateField(_("agreed on"), validators=[validate_reasonable_date])
    review_on = models.DateField(_("review on"), validators=[validate_reasonable_date])
    note = models.CharField(_("what changed"), max_length=NOTE_MAX_LENGTH, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_version_number_unique"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="agreement_title_not_empty"),
            models.CheckConstraint(
                condition=Q(review_on__gte=F("agreed_on")),
                name="agreement_review_after_agreed",
                violation_error_message=_("The review date cannot be before the date agreed."),
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"
