"""OpenAPI: every operation documents the errors it may answer, all in the one error shape of ``errors.py``."""

from __future__ import annotations

ERROR_COMPONENT = "Error"

ERROR_SCHEMA = {
    "type": "object",
    "description": 'Every error of the API: {"error": {"code", "message", "fields"}}.',
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "machine-readable: invalid, not_found, permission_denied…"},
                "message": {"type": "string", "description": "in the caller's language"},
                "fields": {
                    "type": "object",
                    "description": "for code 'invalid': the message(s) of each field that was refused",
                    "additionalProperties": True,
                },
            },
        }
    },
}

# What any operation may answer besides its success, and why.
COMMON_ERRORS = {
    "400": "The data or query parameters sent are not valid; `fields` says which.",
    "401": "Not signed in, or the access token is wrong, expired or revoked.",
    "403": "The caller's role (or a read-only access token) may not do this.",
    "404": "No such object, or not one the caller may see (objects outside the caller's scope are not revealed).",
    "429": "Too many requests; try again later.",
}
WRITE_ERRORS = {
    "409": "The object changed meanwhile (another person decided first); reload and try again.",
    "415": "The body is not in a media type this operation reads (send JSON).",
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def error_responses_add(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the common error responses to every operation (keeping any
    description a view gave) and give every error response the one error body."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_COMPONENT] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            errors = {**COMMON_ERRORS, **(WRITE_ERRORS if method in WRITE_METHODS else {})}
            for code, description in errors.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if str(code).startswith(("4", "5")) and not response.get("content"):
                    response["content"] = content
    return result
