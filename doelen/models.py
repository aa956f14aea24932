import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.bilingual import BilingualNameAndDescription
from common.dates import EARLIEST, LATEST, MESSAGE, validate_reasonable_date

# Confidence and GoalStatus are imported from here by the rest of the code.
from doelen.choices import Confidence, GoalPhase, GoalStatus  # noqa: F401
from doelen.lifecycle import goal_phase
from doelen.measure import (
    MILESTONE_START,
    MILESTONE_TARGET,
    PERCENTAGE_MAX,
    PERCENTAGE_MIN,
    MeasureType,
    normalise_measure,
)
from doelen.querysets import GoalQuerySet
from rollen.models import Role
from teams.models import Team


class OrganisationObjective(BilingualNameAndDescription, models.Model):
    """One of the merger's five objectives that team goals serve (docs/architecture.md)."""

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation objective")
        verbose_name_plural = _("organisation objectives")
        ordering = ["order", "slug"]

    def __str__(self):
        return self.name


VALUE_MAX_DIGITS = 14
VALUE_DECIMALS = 2


class Goal(models.Model):
    """A team goal. Its progress follows from its latest check-in."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="goals"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    measure_type = models.CharField(
        _("how progress is measured"),
        max_length=12,
        choices=MeasureType.choices,
        default=MeasureType.PERCENTAGE,
    )
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("For example: residents, days, €.")
    )
    start_value = models.DecimalField(
        _("start value"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMALS, default=0
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMALS, default=100
    )
    start_date = models.DateField(_("start date"), validators=[validate_reasonable_date])
    due_date = models.DateField(_("due date"), validators=[validate_reasonable_date])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_goals",
        null=True,
        blank=True,
        help_text=_("The team member who keeps this goal up to date."),
    )
    objectives = models.ManyToManyField(
        OrganisationObjective,
        verbose_name=_("organisation objectives served"),
        related_name="goals",
        blank=True,
    )
    driving_roles = models.ManyToManyField(
        Role, verbose_name=_("roles that drive it"), related_name="goals", blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    status_reason = models.CharField(_("reason for the status"), max_length=500, blank=True)
    carried_over_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_over_to",
    )
    # Raised by every edit; an edit form posts the version it was opened at (no lost updates).
    version = models.PositiveIntegerField(
        _("version"), default=1, validators=[MinValueValidator(1)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    # The latest check-in by (created_at, id). Kept by the check-in service
    # (doelen.services.goal_check_in) under the goal's row lock; bulk loaders call
    # doelen.services.goals_recompute_last_check_in.
    last_check_in = models.ForeignKey(
        "CheckIn",
        verbose_name=_("latest check-in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("team goal")
        verbose_name_plural = _("team goals")
        ordering = ["due_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__gte=EARLIEST, due_date__lte=LATEST),
                name="goal_dates_within_reason",
                violation_error_message=MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("start_date")),
                name="goal_dates_in_order",
                violation_error_message=_("The due date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(target_value=F("start_value")),
                name="goal_target_differs_from_start",
                violation_error_message=_("The target value must differ from the start value."),
            ),
            models.CheckConstraint(
                condition=~Q(measure_type=MeasureType.PERCENTAGE)
                | Q(
                    start_value__gte=0,
                    start_value__lte=100,
                    target_value__gte=0,
                    target_value__lte=100,
                ),
                name="goal_percentage_in_range",
                violation_error_message=_("Percentages lie between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=~Q(measure_type=MeasureType.MILESTONE) | Q(start_value=0, target_value=1),
                name="goal_milestone_zero_to_one",
            ),
            models.CheckConstraint(
                condition=Q(measure_type__in=MeasureType.values), name="goal_measure_type_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=GoalStatus.values), name="goal_status_known"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="goal_title_not_empty"),
        ]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("doelen:detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        """Whether the goal is still running: only an active goal takes check-ins and
        changes (teams.access.TeamAccess.can_check_in)."""
        return self.status == GoalStatus.ACTIVE

    def phase(self, on: datetime.date | None = None) -> GoalPhase:
        """Planned, running, overdue or finished on `on` (today): doelen.lifecycle."""
        return goal_phase(
            status=self.status,
            start_date=self.start_date,
            due_date=self.due_date,
            on=on or timezone.localdate(),
        )

    def clean(self):
        errors = {}
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors["due_date"] = _("The due date cannot be before the start date.")
        measure = normalise_measure(
            self.measure_type,
            unit=self.unit,
            start_value=self.start_value,
            target_value=self.target_value,
        )
        self.unit = measure.unit
        # None stays None (a number goal without values): full_clean() reports it.
        if measure.start_value is not None:
            self.start_value = measure.start_value
        if measure.target_value is not None:
            self.target_value = measure.target_value
        if self.measure_type == MeasureType.PERCENTAGE:
            for field in ("start_value", "target_value"):
                value = getattr(self, field)
                if value is not None and not 0 <= value <= 100:
                    errors[field] = _("Percentages lie between 0 and 100.")
        if (
            self.start_value is not None
            and self.target_value is not None
            and self.start_value == self.target_value
            and "target_value" not in errors
        ):
            errors["target_value"] = _("The target value must differ from the start value.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_milestone(self) -> bool:
        return self.measure_type == MeasureType.MILESTONE

    @property
    def value_unit(self) -> str:
        """The unit its values are shown with: "%" for a percentage, none for a milestone."""
        return normalise_measure(self.measure_type, unit=self.unit).unit

    def value_in_range(self, value: Decimal) -> bool:
        if self.measure_type == MeasureType.PERCENTAGE:
            return PERCENTAGE_MIN <= value <= PERCENTAGE_MAX
        if self.measure_type == MeasureType.MILESTONE:
            return value in (MILESTONE_START, MILESTONE_TARGET)
        return True

    def progress_for(self, value: Decimal | None) -> float:
        """Progress from start to target as a fraction between 0 and 1."""
        if value is None:
            value = self.start_value
        span = self.target_value - self.start_value
        if not span:
            return 0.0
        fraction = float((value - self.start_value) / span)
        return min(max(fraction, 0.0), 1.0)

    def expected_progress(self, on: datetime.date) -> float:
        """Where the goal would be on `on` if progress ran in a straight line to the target."""
        total = (self.due_date - self.start_date).days
        if total <= 0:
            return 1.0 if on >= self.due_date else 0.0
        elapsed = (on - self.start_date).days
        return min(max(elapsed / total, 0.0), 1.0)


class CheckIn(models.Model):
    """A progress update on a goal. Append-only: the database refuses changes to a row."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="check_ins"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="check_ins",
    )
    value = models.DecimalField(
        _("value"), max_digits=VALUE_MAX_DIGITS, decimal_places=VALUE_DECIMALS
    )
    confidence = models.CharField(
        _("confidence"), max_length=16, choices=Confidence.choices, default=Confidence.ON_TRACK
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="check_in_confidence_known"
            ),
            models.CheckConstraint(
                condition=Q(confidence=Confidence.ON_TRACK) | ~Q(comment=""),
                name="check_in_comment_when_not_on_track",
                violation_error_message=_(
                    "Explain in a comment why the goal needs attention or is off track."
                ),
            ),
        ]
        # The latest check-ins of a goal, and (confidence included, so the index alone
        # answers it) the confidence trend: check-ins of some goals in a period.
        indexes = [models.Index(fields=["goal", "-created_at", "confidence"])]

    def __str__(self):
        return f"{self.goal}: {self.value} ({self.get_confidence_display()})"


class GoalContribution(models.Model):
    """A member who contributes to a goal besides its owner, and how. Ended, not deleted:
    `until` is the last day; a contribution without `until` is current."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.PROTECT, related_name="contributions"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="goal_contributions",
    )
    description = models.CharField(_("contribution"), max_length=200)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("contribution to a goal")
        verbose_name_plural = _("contributions to goals")
        ordering = ["goal", "since", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "member"],
                condition=Q(until__isnull=True),
                name="goal_contribution_one_current",
                violation_error_message=_("This member already contributes to this goal."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="goal_contribution_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(description=""), name="goal_contribution_described"
            ),
        ]

    def __str__(self):
        return f"{self.member} – {self.goal}"

    @property
    def is_current(self) -> bool:
        return self.until is None


# Reactions on check-ins live in their own module (doelen/reaction_models.py).
from doelen.reaction_models import Reaction  # noqa: E402, F401
