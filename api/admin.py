"""Tokens in the admin: a functional administrator creates one (the key is shown once, in
the message after saving) and revokes it; both through api.services, so both are audited.
A token cannot be changed: revoke it and create a new one."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import ApiToken, ApiTokenUse, Scope
from api.services import create_token, revoke_token
from common.admin import ReadOnlyAdminMixin


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiToken
        fields = ["name", "scopes", "expires_at"]

    def clean_expires_at(self):
        expires_at = self.cleaned_data["expires_at"]
        if expires_at <= timezone.now():
            raise forms.ValidationError(_("Choose a moment in the future."))
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "key_prefix", "scope_list", "expires_at", "revoked_at", "created_by"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "key_prefix"]
    actions = ["revoke"]

    @admin.display(description=_("scopes"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "name",
            "scope_list",
            "key_prefix",
            "expires_at",
            "created_by",
            "created_at",
            "revoked_at",
            "revoked_by",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "scopes", "expires_at"]
        return self.get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the audit trail keeps the token

    def save_model(self, request, obj, form, change):
        if change:
            return  # read-only once created
        token, key = create_token(
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data["expires_at"],
            actor=request.user,
        )
        obj.pk = token.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            _("The key of %(name)s is: %(key)s — copy it now, it is not shown again.")
            % {"name": token.name, "key": key},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        revoked = sum(revoke_token(token=token, actor=request.user) for token in queryset)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
        )


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["token", "day", "requests"]
    list_filter = ["day"]
