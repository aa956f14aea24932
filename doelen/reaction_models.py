"""A reaction on a check-in: a short word from a team member or manager on the update
itself (a question, appreciation). Appended, never edited; its author may retract it, which
hides it and records who and when (docs/decisions/0017-nudges-and-reactions.md).

Imported by doelen.models, so Django finds it with the app's other models."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

REACTION_MAX_LENGTH = 500


class Reaction(models.Model):
    check_in = models.ForeignKey(
        "doelen.CheckIn",
        verbose_name=_("check-in"),
        on_delete=models.PROTECT,
        related_name="reactions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="check_in_reactions",
    )
    text = models.TextField(_("reaction"), max_length=REACTION_MAX_LENGTH)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, db_index=True)
    retracted_at = models.DateTimeField(_("retracted at"), null=True, blank=True)

    class Meta:
        app_label = "doelen"
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="reaction_text_not_empty"),
        ]
        indexes = [models.Index(fields=["check_in", "created_at"])]

    def __str__(self):
        # No author name: audit events keep this text after the author is anonymised.
        return f"reaction {self.pk} on check-in {self.check_in_id}"

    @property
    def is_visible(self) -> bool:
        return self.retracted_at is None
