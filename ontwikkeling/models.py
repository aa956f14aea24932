"""The development programme: the team scan on the four themes, development goals and the
responsibilities handed over from manager to team ("regelruimte").

Privacy (docs/decisions/0013-scan-privacy.md): who took part in a round (ScanResponse) is
stored apart from what was answered (AnswerSet, Answer). An answer set carries no link to a
person: no foreign key, no employee id, no timestamp, a random id, and rows rewritten in a
random order on every write. While the round is open, a keyed hash of round and person
(`respondent_key`, see ontwikkeling.keys) lets the person change their own answers; closing
the round clears it. Pages read aggregates per theme of closed rounds only, from
settings.ZS_SCAN_MIN_ANSWERS answers up (see ontwikkeling.selectors.scan).
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.bilingual import BilingualName, in_active_language
from doelen.models import Goal
from teams.models import Team

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
        """Rounds members can answer on `on`: within their dates and not closed early."""
        return self.filter(opens_on__lte=on, closes_on__gte=on, closed_at__isnull=True)

    def closed_on(self, on: datetime.date):
        """Rounds whose results may be published on `on`: closed early by the team, or past
        their closing date (the day after the last day to answer). A date after today
        cannot close a round (see ScanRound.is_closed)."""
        until = min(on, timezone.localdate())
        return self.filter(Q(closed_at__isnull=False) | Q(closes_on__lt=until), opens_on__lte=on)


class ScanRound(models.Model):
    """A period in which the members of a team fill in the scan. A team has at most one
    round at a time: periods of one team never overlap, except with a round closed early
    (checked in clean() and in services.open_scan_round, which locks the team row)."""

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
    # Set by services.close_scan_round: early by the team, or by the daily task after the
    # closing date. It also clears the answer sets' respondent keys.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

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
        return self.closed_at is None and self.opens_on <= on <= self.closes_on

    def is_closed(self, on: datetime.date | None = None) -> bool:
        """Closed: its results may be published (see ScanRoundQuerySet.closed_on). Only
        what has happened closes a round: with a reference date after today (the API's
        `on`) a round still open today stays unpublished, or its profile could be read
        after every answer and differenced (docs/decisions/0013-scan-privacy.md)."""
        today = timezone.localdate()
        on = on or today
        return self.opens_on <= on and (
            self.closed_at is not None or self.closes_on < min(on, today)
        )

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
                    closed_at__isnull=True,  # a round closed early frees the rest of its days
                )
                .exclude(pk=self.pk)
                .exists()
            ):
                raise ValidationError(_("This team already has a scan round in that period."))


class ScanResponse(models.Model):
    """That a person took part in a round: who, never what nor when. Needed for the reminder
    (to those who have not answered) and for one answer set per person. Deliberately no
    timestamp: nothing here lines up with an answer set."""

    round = models.ForeignKey(
        ScanRound, verbose_name=_("scan round"), on_delete=models.CASCADE, related_name="responses"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="scan_responses",
    )

    class Meta:
        verbose_name = _("scan participation")
        verbose_name_plural = _("scan participations")
        ordering = ["round", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent"],
                name="scan_response_once_per_round",
                violation_error_message=_("You already filled in the scan in this round."),
            ),
        ]

    def __str__(self):
        return str(self.round)


class AnswerSet(models.Model):
    """The answers of one (unknown) person in a round. No link to a person that the database
    or the admin can follow: a random id, no timestamp, and `respondent_key` only while the
    round is open (an HMAC of round and person under settings.ZS_SCAN_KEY, ontwikkeling.keys),
    so the person can change their answers; closing the round clears it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        ScanRound,
        verbose_name=_("scan round"),
        on_delete=models.CASCADE,
        related_name="answer_sets",
    )
    respondent_key = models.CharField(
        _("respondent key"), max_length=64, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("answer set")
        verbose_name_plural = _("answer sets")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent_key"], name="answer_set_once_per_key"
            ),
        ]

    def __str__(self):
        return gettext("Anonymous answers")


class Answer(models.Model):
    answer_set = models.ForeignKey(
        AnswerSet, verbose_name=_("answer set"), on_delete=models.CASCADE, related_name="answers"
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
                fields=["answer_set", "statement"], name="answer_once_per_statement"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="answer_score_1_to_5",
                violation_error_message=_("A score lies between 1 and 5."),
            ),
        ]

    def __str__(self):
        # Never the score: Django's delete confirmations list related objects by their str.
        return gettext("Anonymous answer")


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
        """Only the latest row of each (team, responsibility): its current state. The row
        with no later row of the pair (by `since`, then time of recording, then pk): one
        anti-join the database does in a pass, where "the pk of the pair's first row" was
        a lookup per row of every team (issue 21)."""
        since, created_at = models.OuterRef("since"), models.OuterRef("created_at")
        later = TeamResponsibility.objects.filter(
            models.Q(since__gt=since)
            | models.Q(since=since, created_at__gt=created_at)
            | models.Q(since=since, created_at=created_at, pk__gt=models.OuterRef("pk")),
            team=models.OuterRef("team"),
            responsibility=models.OuterRef("responsibility"),
        )
        return self.filter(~models.Exists(later))


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


# Personal development in one's roles lives in its own module (issue #20).
from ontwikkeling.personal.models import DevelopmentIntention, IntentionNote  # noqa: E402, F401
