from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdminMixin
from notifications import registry
from notifications.models import ReminderLog


class KindFilter(admin.SimpleListFilter):
    """The registered kinds, by label (the column has no choices: see ReminderLog)."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(name, registry.kinds.label(name)) for name in registry.kinds]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kind=self.value())
        return queryset


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every reminder e-mail, read-only: failed ones stay visible here with their error."""

    list_display = [
        "recipient",
        "kind_display",
        "period",
        "status",
        "attempts",
        "item_count",
        "sent_at",
    ]
    list_filter = ["status", KindFilter, "period"]
    search_fields = ["recipient__name", "recipient__email", "period", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    readonly_fields = [
        "recipient",
        "kind_display",
        "period",
        "status",
        "attempts",
        "item_count",
        "claim_token",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
    ]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_display(self, obj: ReminderLog) -> str:
        return obj.kind_label
