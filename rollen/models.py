import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.bilingual import BilingualNameAndDescription
from common.dated import DatedQuerySet, check_dates_in_order, dates_in_order
from teams.models import Membership, Team


class RoleSlug(models.TextChoices):
    """The four roles that replace job titles (docs/architecture.md). Exactly these exist."""

    ONDERNEMER = "ondernemer", _("innovative social entrepreneur")
    SAMENWERKINGSPARTNER = "samenwerkingspartner", _("connecting partner")
    VAKMAN = "vakman", _("thinking-along professional")
    FACILITATOR = "facilitator", _("stimulating facilitator/organiser")


class Role(BilingualNameAndDescription, models.Model):
    """One of the four roles. Names and descriptions are data, kept in both languages."""

    slug = models.SlugField(_("code"), max_length=40, unique=True, choices=RoleSlug.choices)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slug__in=RoleSlug.values), name="role_is_one_of_the_four"
            ),
        ]

    def __str__(self):
        return self.name


class RoleAssignment(models.Model):
    """An employee carries a role in a team, from `since` up to and including `until`."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="assignments"
    )
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["team", "role", "-since"]
        constraints = [
            dates_in_order("role_assignment_dates_in_order"),
            models.UniqueConstraint(
                fields=["employee", "team", "role"],
                condition=Q(until__isnull=True),
                name="role_assignment_one_open",
                violation_error_message=_("This employee already holds this role in this team."),
            ),
        ]
        indexes = [
            models.Index(fields=["team", "role", "since", "until"]),
            models.Index(fields=["employee", "since", "until"]),
        ]

    def __str__(self):
        return f"{self.employee} – {self.role} ({self.team})"

    def clean(self):
        check_dates_in_order(self.since, self.until)
        if not (self.employee_id and self.team_id and self.since):
            return
        # A role is held in a team only while a member of it: the whole period must lie
        # inside one membership.
        end = self.until or datetime.date.max
        memberships = Membership.objects.filter(
            employee_id=self.employee_id, team_id=self.team_id, since__lte=self.since
        )
        if not any((m.until or datetime.date.max) >= end for m in memberships):
            raise ValidationError(
                _("An employee can only hold a role in a team while being a member of it.")
            )
        if self.role_id:
            overlapping = (
                RoleAssignment.objects.filter(
                    employee_id=self.employee_id, team_id=self.team_id, role_id=self.role_id
                )
                .exclude(pk=self.pk)
                .overlapping(self.since, self.until)
            )
            if overlapping.exists():
                raise ValidationError(
                    _("This employee already holds this role in this team in that period.")
                )
