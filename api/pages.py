"""Portal pages about the API for HR and functional administrators: the reference, rendered
on the server from the OpenAPI schema (no CDN, no script), and how to connect a BI tool."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

from api.models import Scope


def _hr_only(request) -> None:
    if not request.user.is_hr:
        raise PermissionDenied


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _fields(schema: dict, node: dict, prefix: str = "") -> list[dict]:
    node = _resolve(schema, node)
    rows = []
    for name, prop in node.get("properties", {}).items():
        if "allOf" in prop and len(prop["allOf"]) == 1:  # a nested object with a description
            prop = {**prop["allOf"][0], "description": prop.get("description", "")}
        description = prop.get("description", "")
        if "$ref" in prop:
            description = description or _resolve(schema, prop).get("description", "")
        kind = prop.get("type", "object")
        if "format" in prop:
            kind = f"{kind} ({prop['format']})"
        rows.append({"name": prefix + name, "type": kind, "description": description})
        if "$ref" in prop:
            rows.extend(_fields(schema, prop, prefix=f"{prefix}{name}."))
        elif prop.get("type") == "array" and "$ref" in prop.get("items", {}):
            rows.extend(_fields(schema, prop["items"], prefix=f"{prefix}{name}[]."))
    return rows


def operations(schema: dict) -> list[dict]:
    """Every operation of the schema with its parameters and the fields of one result."""
    result = []
    for route, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            content = operation.get("responses", {}).get("200", {}).get("content", {})
            body = _resolve(schema, content.get("application/json", {}).get("schema", {}))
            item = body.get("properties", {}).get("results", {}).get("items", body)
            result.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "id": operation.get("operationId", route),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "required": p.get("required", False),
                            "type": p.get("schema", {}).get("type", ""),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "fields": _fields(schema, item) if item else [],
                }
            )
    return result


@require_GET
def docs(request):
    _hr_only(request)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(
        request,
        "api/docs.html",
        {"operations": operations(schema), "scopes": Scope.choices, "version": schema["info"]},
    )


@require_GET
def connect(request):
    _hr_only(request)
    base = request.build_absolute_uri(reverse("api:teams")).removesuffix("teams/")
    return render(request, "api/connect.html", {"base": base, "scopes": Scope.choices})
