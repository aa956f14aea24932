import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


class RoleAssignmentQuerySet(DatedQuerySet):
    def current(self, on: datetime.date | None = None):
        """Assignments held on `on` (default today). A person who left (inactive or
        anonymised) never holds a role: an assignment still open for them is not counted,
        on any date; an assignment that ended before today stays history."""
        return super().current(on).filter(held_by_active_person())


def held_by_active_person(prefix: str = "") -> Q:
    """Q for assignments (or memberships, with their fields) that count: the person is
    active, or the period ended before today (history of people who left stays)."""
    return Q(**{f"{prefix}employee__is_active": True}) | Q(
        **{f"{prefix}until__lt": timezone.localdate()}
    )


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

    objects = RoleAssignmentQuerySet.as_manager()

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


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    CHECKING = "checking", _("being checked")
    CHECKED = "checked", _("checked")
    APPLYING = "applying", _("being applied")
    APPLIED = "applied", _("applied")
    FAILED = "failed", _("failed")


class ImportFile(models.Model):
    """A file HR uploaded to import, kept between the steps (upload, check, apply) and for
    the background task that checks or applies it. Removed after
    settings.ZS_IMPORT_RETENTION_HOURS (rollen.imports.jobs.purge_import_files); what was
    applied stays in the audit log. Applying locks this row, so one plan is applied once."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    encoding = models.CharField(_("character set"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    options = models.JSONField(_("column choices and options"), default=dict, blank=True)
    result = models.JSONField(_("result of the check"), default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import file")
        verbose_name_plural = _("import files")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_file_status_known"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="import_file_progress_in_range"
            ),
        ]

    def __str__(self):
        return self.filename

    @property
    def busy(self) -> bool:
        return self.status in (ImportStatus.CHECKING, ImportStatus.APPLYING)


class ImportMapping(models.Model):
    """Column choices saved for a source (an HR system's export), to reuse next time."""

    name = models.CharField(_("source"), max_length=100, unique=True)
    columns = models.JSONField(
        _("columns"), default=dict, help_text=_("{field: column name in the file}")
    )
    encoding = models.CharField(_("character set"), max_length=20, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("saved import mapping")
        verbose_name_plural = _("saved import mappings")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PersonHRDetails(models.Model):
    """What the HR file says about a person beyond the account: the department and the
    part-time factor. Kept only when the import maps these columns
    (rollen.services.hr_details_set, audited); a table of its own, so the employee table
    and its triggers stay as they are."""

    employee = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="hr_details",
    )
    department = models.CharField(_("department"), max_length=120, blank=True)
    fte = models.DecimalField(_("FTE"), max_digits=5, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("HR details")
        verbose_name_plural = _("HR details")
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__isnull=True) | Q(fte__gte=0, fte__lte=2),
                name="person_hr_details_fte_in_range",
            ),
        ]

    def __str__(self):
        return str(self.employee)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("being made")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class ExportFile(models.Model):
    """An export of an HR overview too large to make in the request
    (settings.ZS_EXPORT_BACKGROUND_ROWS): a background task writes the file here, the page
    that asked for it says when it is ready, and only the person who asked downloads it.
    Removed after settings.ZS_EXPORT_RETENTION_HOURS (rollen.export_jobs.purge_export_files);
    the export itself stays in the audit log. In the database, not on a disk of one web
    server, so every web process can hand it out."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    overview = models.CharField(_("overview"), max_length=20)
    file_format = models.CharField(_("format"), max_length=20)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    language = models.CharField(_("language"), max_length=10)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.BinaryField(_("content"), default=b"")
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="export_file_status_known"
            ),
        ]

    def __str__(self):
        return self.filename or f"{self.overview} ({self.file_format})"

    @property
    def busy(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
