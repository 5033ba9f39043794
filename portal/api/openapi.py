"""The OpenAPI 3.0 description of `/api/v1`, written by hand (served at /api/v1/openapi.json).

The entries of the export are described from the exchange format's own field tables, so the
description cannot drift from what the validator accepts and the exporter writes.
"""

from __future__ import annotations

from typing import Any

from portal.analysis.core import KINDS
from portal.analysis.settings import DEFAULT_SETTINGS, INTEGER_RANGES, SHARES
from portal.exchange.schema import FIELDS, FORMAT, KEY_LENGTH, LISTS, Field, Kind

# A date in the portal's range (portal.dates): the years 1900 to 2199.
AS_OF_PATTERN = r"^(19|2[01])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"

ERROR = {
    "type": "object",
    "required": ["error", "status"],
    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
    "description": "Every error of the API is JSON: a message and the HTTP status.",
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
KEY = {"type": "string", "minLength": 1, "maxLength": KEY_LENGTH, "pattern": "^[A-Za-z0-9_.-]+$"}


def _field(field: Field) -> dict[str, Any]:
    """The JSON schema of one field of an exported entry."""
    match field.kind:
        case Kind.TEXT:
            schema: dict[str, Any] = {"type": "string", "maxLength": field.limit}
        case Kind.BOOL:
            schema = {"type": "boolean"}
        case Kind.INT:
            schema = {"type": "integer", "minimum": field.low, "maximum": field.high}
        case Kind.NUMBER:
            schema = {"type": "number"}
        case Kind.DATE:
            schema = {"type": "string", "format": "date"}
        case Kind.TIME:
            schema = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
        case Kind.URL:
            schema = {"type": "string", "pattern": "^https://", "maxLength": field.limit}
        case Kind.ENUM:
            schema = {"type": "string", "enum": list(field.choices)}
        case Kind.REF:
            schema = dict(KEY)
        case Kind.REFS:
            schema = {"type": "array", "items": KEY}
        case Kind.TEXTS:
            schema = {"type": "array", "items": {"type": "string", "maxLength": field.limit}}
        case _:  # Kind.OBJECTS
            schema = {"type": "array", "items": _entry(field.items, keyed=False)}
    optional = field.nullable_list or not (
        field.required or field.is_list or field.default is not None)
    return {**schema, "nullable": True} if optional else schema


def _entry(fields: tuple[Field, ...], keyed: bool = True) -> dict[str, Any]:
    """The JSON schema of an entry of a list (or of an object inside a list field)."""
    properties = {"key": KEY} if keyed else {}
    properties.update({f.name: _field(f) for f in fields})
    required = (["key"] if keyed else []) + [f.name for f in fields if f.required]
    return {"type": "object", "required": required, "properties": properties,
            "additionalProperties": False}


def _responses(ok: dict[str, Any], description: str, bad_request: bool = False) -> dict:
    """The answers of one operation: 200 with `ok`, and the JSON errors."""
    responses = {
        "200": {"description": description, "content": {"application/json": {"schema": ok}}},
        "401": {"description": "Not signed in (no or expired session cookie).",
                "content": {"application/json": {"schema": ERROR_REF}}},
    }
    if bad_request:
        responses["400"] = {
            "description": "A parameter is not acceptable; the message names it.",
            "content": {"application/json": {"schema": ERROR_REF}}}
    return responses


EXPORT = {
    "type": "object",
    "required": ["format", *LISTS],
    "properties": {"format": {"type": "string", "enum": [FORMAT]},
                   **{name: {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}}
                      for name in LISTS}},
    "additionalProperties": False,
}
FINDINGS = {
    "type": "object",
    "required": ["format", "as_of", "settings", "findings"],
    "properties": {
        "format": {"type": "string", "enum": ["samverkan-findings/1"]},
        "as_of": {"type": "string", "format": "date"},
        "settings": {"type": "object"},
        "findings": {"type": "array", "items": {
            "type": "object", "required": ["kind", "message"],
            "properties": {"kind": {"type": "string", "enum": list(KINDS)},
                           "message": {"type": "string"}},
        }},
    },
}
# The thresholds of analysis.md, each optional (the stored setting when absent); out of range: 400.
SETTING_PARAMETERS = [
    {"name": name, "in": "query", "required": False,
     "description": f"Threshold {name} for this request (analysis.md).",
     "schema": ({"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 1}
                if name in SHARES else
                {"type": "integer", "minimum": INTEGER_RANGES[name][0],
                 "maximum": INTEGER_RANGES[name][1]})}
    for name in DEFAULT_SETTINGS
]
INDEX = {
    "type": "object",
    "required": ["format", "endpoints"],
    "properties": {"format": {"type": "string"},
                   "endpoints": {"type": "object", "additionalProperties": {"type": "string"}}},
}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "Samverkansportalen API",
        "version": "1",
        "description": "Read-only JSON API of Samverkansportalen. Sign in through the portal's "
                       "form; the session cookie authenticates every request.",
    },
    "servers": [{"url": "/"}],
    "security": [{"session": []}],
    "paths": {
        "/api/v1/": {"get": {
            "operationId": "index", "summary": "What the API offers.",
            "responses": _responses(INDEX, "The endpoints of the API."),
        }},
        "/api/v1/export": {"get": {
            "operationId": "export", "summary": "The whole map as a samverkan/1 document.",
            "responses": _responses(EXPORT, "Every entry of every list (docs/exchange-format.md)."),
        }},
        "/api/v1/findings": {"get": {
            "operationId": "findings",
            "summary": "The analysis of the map: gaps, overlaps, overdue work.",
            "parameters": [{
                "name": "as_of", "in": "query", "required": False,
                "description": "Analyse as on this date (YYYY-MM-DD, from 1900-01-01 to "
                               "2199-12-31, the portal's range); today when absent.",
                "schema": {"type": "string", "format": "date", "pattern": AS_OF_PATTERN},
            }, *SETTING_PARAMETERS],
            "responses": _responses(FINDINGS, "The findings document, in the user's language.",
                                    bad_request=True),
        }},
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This description.",
            "responses": _responses({"type": "object"}, "The OpenAPI document."),
        }},
    },
    "components": {
        "securitySchemes": {"session": {"type": "apiKey", "in": "cookie",
                                        "name": "samverkan_session"}},
        "schemas": {"Error": ERROR, **{name: _entry(FIELDS[name]) for name in LISTS}},
    },
}
