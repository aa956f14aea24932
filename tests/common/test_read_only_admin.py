"""History and evidence are shown in the admin, never added, changed or deleted there
(common.admin.ReadOnlyAdminMixin): even a superuser gets 403 on the add page and no
permission to change or delete."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from common.admin import ReadOnlyAdminMixin

pytestmark = pytest.mark.django_db

READ_ONLY = [
    "audit.AuditEvent",
    "api.ApiTokenUse",
    "notifications.ReminderLog",
    "doelen.CheckIn",
    "afspraken.Agreement",
    "afspraken.AgreementVersion",
    "ontwikkeling.ScanRound",
    "ontwikkeling.ScanResponse",
    "ontwikkeling.TeamResponsibility",
]


@pytest.mark.parametrize("label", READ_ONLY)
def test_a_superuser_cannot_add_change_or_delete(label, superuser, client):
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, ReadOnlyAdminMixin)
    request = RequestFactory().get("/")
    request.user = superuser
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False
    client.force_login(superuser)
    opts = model._meta
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert client.get(add).status_code == 403
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist).status_code == 200  # shown, read-only
