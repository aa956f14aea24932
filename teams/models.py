import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from common.dated import DatedQuerySet, check_dates_in_order, dates_in_order

HR_GROUP = "hr"
MANAGEMENT_GROUP = "management"


class Language(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    ENGLISH = "en", _("English")


class EmployeeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


_EmployeeManagerBase = UserManager.from_queryset(EmployeeQuerySet)


# The django-stubs plugin does not follow from_queryset() of the generic UserManager.
class EmployeeManager(_EmployeeManagerBase):  # type: ignore[valid-type,misc]
    pass


class Employee(AbstractUser):
    """A person who works at the organisation and logs in to the portal."""

    # Removing an inherited field by setting it to None is supported by Django; the stubs
    # type these fields as str.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    personnel_number = models.CharField(
        _("personnel number"),
        max_length=20,
        blank=True,
        help_text=_("The number in the HR system, if known."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language.choices,
        default=Language.DUTCH,
    )
    reminders_paused_until = models.DateField(
        _("reminders paused until"),
        null=True,
        blank=True,
        help_text=_("No reminder e-mails up to and including this date, for example during leave."),
    )
    oidc_subject = models.CharField(
        _("organisation account id"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_(
            "The stable id of this person's organisation account (OIDC_MATCH_CLAIM), stored at "
            "the first sign-in with it."
        ),
    )
    digest_enabled = models.BooleanField(
        _("weekly digest"),
        default=True,
        help_text=_("Managers receive a weekly overview of their teams."),
    )

    REQUIRED_FIELDS: ClassVar[list[str]] = ["email", "name"]

    objects: ClassVar[EmployeeManager] = EmployeeManager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["personnel_number"],
                condition=~Q(personnel_number=""),
                name="employee_personnel_number_unique",
                violation_error_message=_("Another employee has this personnel number."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="employee_email_unique",
                violation_error_message=_("Another employee has this e-mail address."),
            ),
            models.UniqueConstraint(
                fields=["oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="employee_oidc_subject_unique",
            ),
            models.CheckConstraint(
                condition=Q(preferred_language__in=Language.values),
                name="employee_language_known",
            ),
        ]
        # HR's person list pages people by name: with this index the database reads the
        # first names in order instead of sorting every membership (issue 21).
        indexes = [models.Index(fields=["name", "id"], name="employee_name_idx")]

    def __str__(self):
        return self.name or self.username

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return (self.name or self.username).split(" ")[0]

    def reminders_paused_on(self, on: datetime.date) -> bool:
        """Whether this employee asked for no reminders on day `on`."""
        return self.reminders_paused_until is not None and self.reminders_paused_until >= on

    @property
    def is_hr(self) -> bool:
        return self.is_superuser or HR_GROUP in self.group_names

    @property
    def is_management(self) -> bool:
        return self.is_superuser or MANAGEMENT_GROUP in self.group_names

    @cached_property
    def group_names(self) -> frozenset[str]:
        # Cached per request user: templates and permission checks ask several times.
        return frozenset(self.groups.values_list("name", flat=True))


class Municipality(models.TextChoices):
    BOXTEL = "boxtel", "Boxtel"
    SINT_MICHIELSGESTEL = "sint-michielsgestel", "Sint-Michielsgestel"
    BOTH = "both", _("Both municipalities")


class UpdateRhythm(models.IntegerChoices):
    """How often a team agrees to record progress on its goals, in days."""

    WEEKLY = 7, _("every week")
    BIWEEKLY = 14, _("every two weeks")
    MONTHLY = 30, _("every month")


class TeamQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name in web addresses"), max_length=80, unique=True)
    purpose = models.TextField(_("purpose"), blank=True, max_length=2000)
    municipality = models.CharField(
        _("municipality served"),
        max_length=20,
        choices=Municipality.choices,
        default=Municipality.BOTH,
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        related_name="managed_teams",
        blank=True,
    )
    update_rhythm = models.PositiveSmallIntegerField(
        _("update rhythm"),
        choices=UpdateRhythm.choices,
        default=UpdateRhythm.BIWEEKLY,
        help_text=_("How often the team records progress on its goals."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Teams are archived, never deleted: clear this when a team stops."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(municipality__in=Municipality.values),
                name="team_municipality_known",
            ),
            models.CheckConstraint(
                condition=Q(update_rhythm__in=UpdateRhythm.values),
                name="team_update_rhythm_known",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="team_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("team_detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    """An employee's membership of a team, from `since` up to and including `until`."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="memberships"
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "employee", "-since"]
        constraints = [
            dates_in_order("membership_dates_in_order"),
            models.UniqueConstraint(
                fields=["employee", "team"],
                condition=Q(until__isnull=True),
                name="membership_one_open_per_team",
                violation_error_message=_("This employee is already a member of this team."),
            ),
        ]
        indexes = [models.Index(fields=["team", "since", "until"])]

    def __str__(self):
        return f"{self.employee} – {self.team}"

    def clean(self):
        from django.core.exceptions import ValidationError

        check_dates_in_order(self.since, self.until)
        if self.employee_id and self.team_id and self.since:
            overlapping = (
                Membership.objects.filter(employee_id=self.employee_id, team_id=self.team_id)
                .exclude(pk=self.pk)
                .overlapping(self.since, self.until)
            )
            if overlapping.exists():
                raise ValidationError(
                    _("This employee is already a member of this team in that period.")
                )
