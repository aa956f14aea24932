"""Admin for the functional administrator: themes, statements and responsibilities are
data to maintain. Individual answers are never shown: ScanRound shows only how many
responded, and ScanResponse (who responded, never what) is for superusers only, e.g. to
remove a response on request."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ontwikkeling.models import (
    DevelopmentGoal,
    Responsibility,
    ScanResponse,
    ScanRound,
    Statement,
    TeamResponsibility,
    Theme,
)


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 1
    fields = ["order", "text_nl", "text_en", "is_active"]

    def has_delete_permission(self, request, obj=None):
        return False  # retire a statement with "active": answers point to it


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "slug", "order"]
    readonly_fields = ["slug"]
    inlines = [StatementInline]

    def has_add_permission(self, request):
        return False  # the programme has exactly four themes, created by a migration

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["text_nl", "text_en", "theme", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["theme", "is_active"]
    search_fields = ["text_nl", "text_en"]

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return False
        return not obj.answers.exists()


@admin.register(ScanRound)
class ScanRoundAdmin(admin.ModelAdmin):
    """Rounds with the number of responses: an aggregate, never who answered what."""

    list_display = ["team", "opens_on", "closes_on", "response_count", "created_by"]
    list_filter = ["team"]
    search_fields = ["team__name"]
    date_hierarchy = "opens_on"
    autocomplete_fields = ["team", "created_by"]
    readonly_fields = ["created_by", "created_at"]
    list_select_related = ["team", "created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(number_of_responses=Count("responses"))

    @admin.display(description=_("responses"), ordering="number_of_responses")
    def response_count(self, obj):
        return obj.number_of_responses

    def has_add_permission(self, request):
        return False  # rounds are opened on the team's development page (sends invitations)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


RESPONSE_FIELDS = ("round", "respondent", "submitted_at")


@admin.register(ScanResponse)
class ScanResponseAdmin(admin.ModelAdmin):
    """Superusers only, and without the answers themselves."""

    list_display = ["round", "respondent", "submitted_at"]
    fields = RESPONSE_FIELDS
    readonly_fields = RESPONSE_FIELDS
    list_select_related = ["round__team", "respondent"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name_nl", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_nl"]}

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return False
        return not obj.team_states.exists()


@admin.register(TeamResponsibility)
class TeamResponsibilityAdmin(admin.ModelAdmin):
    """History is append-only: changes are made on the team's development page."""

    list_display = ["team", "responsibility", "state", "since", "changed_by", "created_at"]
    list_filter = ["state", "responsibility", "team"]
    search_fields = ["team__name", "note"]
    list_select_related = ["team", "responsibility", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DevelopmentGoal)
class DevelopmentGoalAdmin(admin.ModelAdmin):
    list_display = ["goal", "theme", "created_at"]
    list_filter = ["theme"]
    list_select_related = ["goal", "theme"]
    readonly_fields = ["goal", "theme", "scan_round", "created_at"]

    def has_add_permission(self, request):
        return False
