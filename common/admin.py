"""Admin pages that write through the owning app's services (one door for every write).

A ModelAdmin with `ServiceWritesMixin` saves with `service_save(request, obj, form, change)`,
which calls the same service as the pages, so the same rules hold and every change is audited
with the admin user as actor. Before that, while the form is validated, the same call is tried
inside a savepoint that is always rolled back (as the HR import's dry run does): a rule that
only the service knows (a role that starts after the membership's end, an owner who is not a
member) shows as an error on the form instead of a server error, and nothing is written.

Deleting is not offered: history is ended or archived, never deleted. `delete_model` and
`delete_queryset` refuse even if a subclass turned the permission on by mistake.

A ModelAdmin with `ReadOnlyAdminMixin` only shows its rows: history and evidence (the audit
log, check-ins, agreements, the reminder log) are written by the owning app's services, never
added, changed or deleted in the admin.
"""

import copy
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

    _AdminBase = ModelAdmin[Any]
else:
    _AdminBase = object


class _DryRun(Exception):
    """Raised to roll the trial save back."""


def add_service_errors(form, error: ValidationError, *, field_names: dict | None = None) -> None:
    """Put a service's ValidationError on `form`: on the field it names when the form has
    that field (`field_names` maps a service's name to the form's), otherwise on top."""
    field_names = field_names or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = field_names.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.error_list)


class ServiceWritesMixin(_AdminBase):
    """Mix into a ModelAdmin; implement `service_save`, which returns the saved object."""

    # Service field names that the form calls differently: {"reason": "status_reason"}.
    service_field_names: dict = {}

    def service_save(self, request, obj, form, change):
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):  # type: ignore[valid-type,misc]
            def _post_clean(self):
                super()._post_clean()
                if self._errors:
                    return  # the form's own errors first
                trial = copy.copy(self.instance)
                try:
                    with transaction.atomic():
                        model_admin.service_save(request, trial, self, change)
                        raise _DryRun
                except _DryRun:
                    pass
                except ValidationError as error:
                    add_service_errors(self, error, field_names=model_admin.service_field_names)

        ServiceForm.__name__ = form_class.__name__
        return ServiceForm

    def save_model(self, request, obj, form, change):
        saved = self.service_save(request, obj, form, change)
        if saved is not None and saved is not obj:
            # The admin logs and redirects with the object it gave us.
            obj.pk = saved.pk
            obj._state.adding = False
            obj._state.db = saved._state.db

    def save_related(self, request, form, formsets, change):
        # The service has set the many-to-many fields; inlines save themselves (or are
        # read-only).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        raise PermissionDenied

    def delete_queryset(self, request, queryset):
        raise PermissionDenied


class ReadOnlyAdminMixin(_AdminBase):
    """Mix into a ModelAdmin (before it) whose rows nobody adds, changes or deletes here.
    Admin actions keep their own permissions (closing a scan round)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def run_for_each(model_admin, request, queryset, write, *, done_message) -> None:
    """For an admin action: `write(obj)` per selected object, each in its own transaction;
    a refused one is reported by name and the others go on."""
    from django.contrib import messages

    done = 0
    for obj in queryset:
        try:
            with transaction.atomic():
                write(obj)
        except ValidationError as error:
            model_admin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
            continue
        done += 1
    if done:
        model_admin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
