"""The employee's own data (AVG right of access): a page and a JSON download. Only their own:
there is no parameter that names another person."""

import json

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.services import audit_record
from portal.privacy import personal_data
from portal.privacy_page import personal_data_page


@require_GET
def my_data(request):
    data = personal_data_page(personal_data(employee=request.user))
    return render(request, "privacy/my_data.html", {"data": data})


@require_GET
def my_data_download(request):
    with transaction.atomic():
        data = personal_data(employee=request.user)
        audit_record(actor=request.user, action="personal_data.download", obj=request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"mijn-gegevens-{request.user.pk}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
