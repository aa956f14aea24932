from django.contrib import admin

from audit.models import AuditEvent
from common.admin import ReadOnlyAdminMixin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the audit log is evidence, nobody edits it."""

    list_display = ["at", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor__name", "actor__username", "object_id"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
