from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.admin import ServiceWritesMixin, run_for_each
from rollen.models import ImportFile, ImportMapping, Role, RoleAssignment
from rollen.services import role_assign, role_end


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "slug", "order"]
    search_fields = ["name_nl", "name_en", "slug"]
    readonly_fields = ["slug"]

    def has_add_permission(self, request):
        return False  # exactly the four roles exist, created by a migration

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return False
        return not obj.assignments.exists()


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ServiceWritesMixin, admin.ModelAdmin):
    """A role assignment starts (rollen.services.role_assign: only while a member) and ends
    (role_end); both audited. Person, team, role, start and note are fixed once it exists,
    and an ended assignment is history: read-only. Deleting is not offered: end the
    assignment instead, so the role overviews keep who held what, since when."""

    list_display = ["employee", "role", "team", "since", "until"]
    list_filter = ["role", "team", ("until", admin.EmptyFieldListFilter)]
    search_fields = ["employee__name", "employee__username", "team__name", "note"]
    autocomplete_fields = ["employee", "team"]
    date_hierarchy = "since"
    list_select_related = ["employee", "team", "role"]
    actions = ["end_today"]
    fixed = ["employee", "team", "role", "since", "note"]

    def get_fields(self, request, obj=None):
        return self.fixed if obj is None else [*self.fixed, "until"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.fixed, "until"] if obj.until is not None else self.fixed

    def service_save(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            return role_assign(
                employee=data["employee"],
                team=data["team"],
                role=data["role"],
                since=data["since"],
                note=data.get("note", ""),
                actor=request.user,
            )
        if "until" in form.changed_data and data.get("until"):
            return role_end(assignment=obj, until=data["until"], actor=request.user)
        return obj

    @admin.action(description=_("End selected role assignments today"), permissions=["change"])
    def end_today(self, request, queryset):
        today = timezone.localdate()
        run_for_each(
            self,
            request,
            queryset.filter(until__isnull=True),
            lambda a: role_end(assignment=a, until=max(today, a.since), actor=request.user),
            done_message=_("Ended: %(count)d."),
        )


@admin.register(ImportFile)
class ImportFileAdmin(admin.ModelAdmin):
    """Uploaded import files, to see what is waiting or failed; read-only (the import pages
    write them) and removed after ZS_IMPORT_RETENTION_HOURS."""

    list_display = ["filename", "uploaded_by", "created_at", "status", "progress", "applied_at"]
    list_filter = ["status"]
    exclude = ["content"]
    readonly_fields = [
        "filename", "uploaded_by", "size", "encoding", "created_at", "status", "options",
        "progress", "error", "applied_at",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    """Saved column choices per source (made on the import page); they may be renamed or
    removed here."""

    list_display = ["name", "saved_by", "saved_at"]
    readonly_fields = ["columns", "encoding", "saved_by", "saved_at"]
