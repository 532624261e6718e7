"""The OpenAPI schema flattened for the API's documentation page."""

from __future__ import annotations

from typing import Any


def _type(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    text = str(schema.get("type", "object"))
    if schema.get("enum"):
        text += ": " + ", ".join(map(str, schema["enum"]))
    if schema.get("default") not in (None, [], ""):
        text += f" (default {schema['default']})"
    return text


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation: method, path, summary, description, parameters and request body."""
    out = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "where": p.get("in", ""), "type": _type(p.get("schema", {})),
                       "required": bool(p.get("required")),
                       "description": p.get("description") or p.get("schema", {}).get("description", "")}
                      for p in op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            out.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "params": params,
                        "body": str(body.get("$ref", "")).rsplit("/", 1)[-1]})
    return out
