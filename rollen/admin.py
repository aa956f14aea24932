from django.contrib import admin

from rollen.models import Role, RoleAssignment


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
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["employee", "role", "team", "since", "until"]
    list_filter = ["role", "team", ("until", admin.EmptyFieldListFilter)]
    search_fields = ["employee__name", "employee__username", "team__name", "note"]
    autocomplete_fields = ["employee", "team"]
    date_hierarchy = "since"
    list_select_related = ["employee", "team", "role"]

    def has_delete_permission(self, request, obj=None):
        return False  # end an assignment with an end date: history is kept
