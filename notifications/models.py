from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications import registry


class ReminderStatus(models.TextChoices):
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class ReminderLog(models.Model):
    """One e-mail of one kind to one person for one period: claimed before it is sent.

    The unique (recipient, kind, period) row is what makes an e-mail go out once, however
    often the job runs and however many workers run it (docs/decisions/0002-reminders.md).

    `kind` has no choices and no check constraint listing the kinds. The kinds belong to the
    apps above (doelen, ontwikkeling) and are registered at start-up (notifications.registry);
    a constraint or choices here would have to list every app's kinds, so notifications would
    know the apps above it and each new kind would need a migration of this table. Instead
    the one door that writes rows, `notifications.sending.claim`, refuses a kind that is not
    registered; the database still refuses an empty kind. A row of a kind that is no longer
    registered stays readable (the admin shows its stored name).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminder_logs",
    )
    kind = models.CharField(_("kind"), max_length=40)
    # Chosen by the kind's app: the day ("2026-11-28") for daily reminders, the ISO week
    # ("2026-W48") for digests, "scan-round-<id>" for the scan e-mails.
    period = models.CharField(_("period"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.SENDING
    )
    # Who holds the claim (a task id) and since when: a claim older than the lease whose
    # holder never finished (a killed worker) may be taken over by a later run.
    claim_token = models.CharField(_("claimed by"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    item_count = models.PositiveIntegerField(_("goals listed"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder log entry")
        verbose_name_plural = _("reminder log")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "period"], name="notifications_log_once_per_period"
            ),
            models.CheckConstraint(condition=~Q(kind=""), name="notifications_log_kind_given"),
            models.CheckConstraint(
                condition=Q(status__in=ReminderStatus.values),
                name="notifications_log_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReminderStatus.SENT) | Q(sent_at__isnull=False),
                name="notifications_log_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["kind", "period", "status"])]

    def __str__(self):
        return f"{self.kind_label} {self.period} – {self.recipient_id}"

    @property
    def kind_label(self) -> str:
        return registry.kinds.label(self.kind)


class PendingJob(models.Model):
    """Work that must happen after a commit (the invitations of a scan round that opened),
    recorded in the same transaction as the change that calls for it (notifications.outbox).

    It is handed to Celery from `transaction.on_commit`; when the broker is down then, the
    row stays pending and the sweep (beat, or `manage.py sweep_pending_jobs`) hands it over
    later. `done_at` is set when the job ran to its end, so a job the broker lost is handed
    over again. Jobs must be idempotent: e-mails go through the reminder log's claim, so a
    job that runs twice still sends each e-mail once (docs/decisions/0005-faults.md).
    """

    task = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("handed to the broker at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("pending job")
        verbose_name_plural = _("pending jobs")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(task=""), name="notifications_job_task_given"),
        ]
        indexes = [models.Index(fields=["done_at", "enqueued_at"])]

    def __str__(self):
        return f"{self.task} {self.kwargs}"
