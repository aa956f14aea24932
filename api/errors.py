"""One JSON shape for every API error: {"error": {"code", "message", "details"}}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
        return ""
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else ""
    return str(detail)


def error_body(code: str, message: str, details=None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if not isinstance(exc, exceptions.APIException):  # DRF answered only its own kinds
        return response
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        message = _("Some parameters are not valid.")
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field": exc.detail}
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        message = _first_message(exc.detail)
        details = {}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            details = {"retry_after_seconds": round(exc.wait)}
    response.data = error_body(code, message, details)
    return response


def not_found_response() -> Response:
    return Response(
        error_body("not_found", _("There is no API address like this.")),
        status=status.HTTP_404_NOT_FOUND,
    )


# Installing Django REST framework adds its catalogue, which outranks Django's own and words
# four of Django's messages differently ("Dit veld is vereist."). These msgids sit in the
# project catalogue with Django's Dutch, which outranks both, so the portal's forms keep
# saying what they said (tests/doelen/test_views.py checks one).
KEEP_DJANGO_WORDING = (
    gettext_noop("This field is required."),
    gettext_noop("No file was submitted."),
    gettext_noop(
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ),
    gettext_noop("Value must be valid JSON."),
)
