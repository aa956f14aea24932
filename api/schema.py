"""Additions to the generated OpenAPI schema: the one error shape on every operation."""

from django.utils.translation import gettext as _

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "description": "not_authenticated, invalid, …"},
                "message": {"type": "string"},
                "details": {"type": "object", "additionalProperties": True},
            },
        }
    },
}


def _error_responses() -> dict[str, str]:
    return {
        "400": _("A parameter is not valid; details name it."),
        "401": _("No key, or a key that is wrong, expired or revoked."),
        "403": _("The key does not have the scope this address needs."),
        "404": _("There is no such address."),
        "429": _("Too many requests with this key; wait and try again."),
    }


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for code, description in _error_responses().items():
                operation["responses"].setdefault(
                    code,
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
    return result
