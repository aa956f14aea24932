from django.contrib import admin

from doelen.models import CheckIn, Goal, OrganisationObjective


@admin.register(OrganisationObjective)
class OrganisationObjectiveAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_nl", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_nl"]}

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return False
        return not obj.goals.exists()


class CheckInInline(admin.TabularInline):
    model = CheckIn
    extra = 0
    fields = ["created_at", "author", "value", "confidence", "comment"]
    readonly_fields = fields
    can_delete = False
    ordering = ["-created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "team", "status", "measure_type", "start_date", "due_date", "owner"]
    list_filter = ["status", "measure_type", "team__municipality", "objectives", "team"]
    search_fields = ["title", "description", "team__name"]
    autocomplete_fields = ["team", "owner", "carried_over_from"]
    filter_horizontal = ["objectives", "driving_roles"]
    readonly_fields = ["version", "created_by", "created_at", "updated_at"]
    date_hierarchy = "due_date"
    list_select_related = ["team", "owner"]
    inlines = [CheckInInline]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        else:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # archive a goal instead


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    """Check-ins are append-only: the admin shows them and never changes them."""

    list_display = ["goal", "value", "confidence", "author", "created_at"]
    list_filter = ["confidence", "goal__team"]
    search_fields = ["goal__title", "comment", "author__name"]
    date_hierarchy = "created_at"
    list_select_related = ["goal", "author"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
