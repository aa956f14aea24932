"""Django REST framework and drf-spectacular configuration for the reporting API (api/,
docs/decisions/0014-api.md), kept apart so settings.py stays one readable page. The values
that come from the environment (the rate) are read in settings.py and passed in."""


def rest_framework(*, rate: str) -> dict:
    return {
        "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication"],
        "DEFAULT_PERMISSION_CLASSES": ["api.auth.HasScope"],
        "DEFAULT_THROTTLE_CLASSES": ["api.auth.TokenRateThrottle"],
        "DEFAULT_THROTTLE_RATES": {"token": rate},
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
        "DEFAULT_PAGINATION_CLASS": "api.pagination.IdCursorPagination",
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
        "UNAUTHENTICATED_USER": None,
    }


SPECTACULAR_SETTINGS = {
    "TITLE": "Zelfsturing reporting API",
    "DESCRIPTION": "Read-only API for reporting and HR systems. Authorization: Bearer <key>.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "APPEND_COMPONENTS": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    },
    "SECURITY": [{"bearer": []}],
    "AUTHENTICATION_WHITELIST": [],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}
