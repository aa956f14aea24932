"""The development programme: the team scan on the four themes, development goals and the
responsibilities handed over from manager to team ("regelruimte").

Privacy: a person's answers (Answer, via ScanResponse) are only ever shown to that person.
Everything else reads aggregates per theme, and only for rounds with at least
MIN_RESPONSES responses (see ontwikkeling.selectors).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.bilingual import BilingualName, in_active_language
from doelen.models import Goal
from teams.models import Team

# A team sees its scan profile only once this many members answered in a round, so that no
# answer can be traced to a person. A rule of the programme, not a setting.
MIN_RESPONSES = 3
SCORE_MIN = 1
SCORE_MAX = 5


# Migration 0001 names the base class ontwikkeling.models.BilingualNameMixin.
BilingualNameMixin = BilingualName


class Theme(BilingualNameMixin, models.Model):
    """One of the four themes of the development programme."""

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("development theme")
        verbose_name_plural = _("development themes")
        ordering = ["order", "slug"]

    def __str__(self):
        return self.name


class StatementQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Statement(models.Model):
    """A statement of the team scan, answered from 1 (strongly disagree) to 5 (strongly
    agree). Retire a statement by clearing `is_active`: earlier answers keep pointing to it."""

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="statements"
    )
    text_nl = models.CharField(_("text (Dutch)"), max_length=300)
    text_en = models.CharField(_("text (English)"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("scan statement")
        verbose_name_plural = _("scan statements")
        ordering = ["theme__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text_nl=""), name="statement_text_nl_not_empty"),
            models.CheckConstraint(condition=~Q(text_en=""), name="statement_text_en_not_empty"),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return in_active_language(self.text_nl, self.text_en)


class ScanRoundQuerySet(models.QuerySet):
    def open_on(self, on: datetime.date):
        return self.filter(opens_on__lte=on, closes_on__gte=on)


class ScanRound(models.Model):
    """A period in which the members of a team fill in the scan. A team has at most one
    round at a time: periods of one team never overlap (checked in clean() and in
    services.open_scan_round, which locks the team row)."""

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="scan_rounds"
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScanRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("scan round")
        verbose_name_plural = _("scan rounds")
        ordering = ["team", "-opens_on"]
        get_latest_by = "opens_on"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="scan_round_dates_in_order",
                violation_error_message=_("The closing date cannot be before the opening date."),
            ),
        ]
        indexes = [models.Index(fields=["team", "opens_on", "closes_on"])]

    def __str__(self):
        return f"{self.team} {self.opens_on:%d-%m-%Y} – {self.closes_on:%d-%m-%Y}"

    def is_open(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.opens_on <= on <= self.closes_on

    def clean(self):
        if self.opens_on and self.closes_on:
            if self.closes_on < self.opens_on:
                raise ValidationError(
                    {"closes_on": _("The closing date cannot be before the opening date.")}
                )
            if self.team_id and (
                ScanRound.objects.filter(
                    team_id=self.team_id,
                    opens_on__lte=self.closes_on,
                    closes_on__gte=self.opens_on,
                )
                .exclude(pk=self.pk)
                .exists()
            ):
                raise ValidationError(_("This team already has a scan round in that period."))


class ScanResponse(models.Model):
    """That a person filled in the scan in a round. Their answers are private to them."""

    round = models.ForeignKey(
        ScanRound, verbose_name=_("scan round"), on_delete=models.CASCADE, related_name="responses"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.CASCADE,
        related_name="scan_responses",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("scan response")
        verbose_name_plural = _("scan responses")
        ordering = ["round", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent"],
                name="scan_response_once_per_round",
                violation_error_message=_("You already filled in the scan in this round."),
            ),
        ]

    def __str__(self):
        return str(self.round)


class Answer(models.Model):
    response = models.ForeignKey(
        ScanResponse, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="answers"
    )
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="answer_once_per_statement"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="answer_score_1_to_5",
                violation_error_message=_("A score lies between 1 and 5."),
            ),
        ]

    def __str__(self):
        return f"{self.statement_id}: {self.score}"


class DevelopmentGoal(models.Model):
    """Tags a normal team goal as a development goal on a theme, made from the scan."""

    goal = models.OneToOneField(
        Goal, verbose_name=_("team goal"), on_delete=models.CASCADE, related_name="development"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="development_goals"
    )
    scan_round = models.ForeignKey(
        ScanRound,
        verbose_name=_("scan round"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="development_goals",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.goal} ({self.theme})"


class Responsibility(BilingualNameMixin, models.Model):
    """Something that can move from the manager to the team (planning, leave, budget, ...)."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["order", "slug"]

    def __str__(self):
        return self.name


class ResponsibilityState(models.TextChoices):
    WITH_MANAGER = "with_manager", _("with the manager")
    SHARED = "shared", _("shared")
    WITH_TEAM = "with_team", _("with the team")


class TeamResponsibilityQuerySet(models.QuerySet):
    def latest_per_pair(self):
        """Only the latest row of each (team, responsibility): its current state."""
        latest = TeamResponsibility.objects.filter(
            team=models.OuterRef("team"), responsibility=models.OuterRef("responsibility")
        ).order_by("-since", "-created_at", "-pk")
        return self.filter(pk=models.Subquery(latest.values("pk")[:1]))


class TeamResponsibility(models.Model):
    """One step in the history of a responsibility in a team. Append-only: a change adds a
    row; the current state is the latest row (by `since`, then time of recording). A team
    without rows has the responsibility with the manager."""

    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="responsibility_states",
    )
    responsibility = models.ForeignKey(
        Responsibility,
        verbose_name=_("responsibility"),
        on_delete=models.PROTECT,
        related_name="team_states",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ResponsibilityState.choices, default="with_manager"
    )
    since = models.DateField(_("since"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = TeamResponsibilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("handed-over responsibility")
        verbose_name_plural = _("handed-over responsibilities")
        ordering = ["team", "responsibility", "-since", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ResponsibilityState.values),
                name="team_responsibility_state_known",
            ),
        ]
        indexes = [models.Index(fields=["team", "responsibility", "-since"])]

    def __str__(self):
        return f"{self.team} – {self.responsibility}: {self.get_state_display()}"
