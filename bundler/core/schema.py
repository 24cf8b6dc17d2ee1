"""Checking a project file against the shipped JSON Schema, without a runtime dependency.

Other software (a case-management system, a script) writes project files, so every
load checks them against ``bundle.schema.json``. This is the small part of JSON Schema
(draft 2020-12) that file uses; ``tests/core/test_schema.py`` checks it agrees with the
``jsonschema`` package on good and bad projects. Each problem is one line naming the
field and, inside a document, the document.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["schema_path", "schema_problems"]

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "number": (int, float),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}
_DOCUMENT = re.compile(r"^sections\[(\d+)\]\.documents\[(\d+)\]")


def schema_path() -> Path:
    return Path(__file__).with_name("bundle.schema.json")


@cache
def _schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return loaded


def _is_type(value: object, name: str) -> bool:
    if isinstance(value, bool) and name in ("number", "integer"):
        return False  # JSON true is not 1
    if name == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES[name])


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _expect_type(rule: Any) -> str:
    names = rule if isinstance(rule, list) else [rule]
    return " or ".join("a whole number" if n == "integer" else f"{'an' if n[0] in 'aeiou' else 'a'} {n}" for n in names)


def _scalar_problems(value: Any, schema: dict[str, Any]) -> list[str]:
    """Problems with ``value`` itself (not its members), as phrases."""
    shown = _shown(value)
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(value, n) for n in names):
            return [f"is {shown}, but should be {_expect_type(schema['type'])}"]
    if "const" in schema and value != schema["const"]:
        return [f"is {shown}, but should be {_shown(schema['const'])}"]
    if "enum" in schema and (value not in schema["enum"] or isinstance(value, bool)):
        return [f"is {shown}, but should be one of {', '.join(_shown(v) for v in schema['enum'])}"]
    problems = []
    if isinstance(value, str):
        problems += _string_problems(value, schema)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"is {shown}, but should be at least {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"is {shown}, but should be at most {schema['maximum']}")
    if isinstance(value, list) and not schema.get("minItems", 0) <= len(value) <= schema.get("maxItems", len(value)):
        wanted = f"{schema.get('minItems', 0)} to {schema.get('maxItems', 'any number of')}"
        problems.append(f"has {len(value)} items, but should have {wanted}")
    return problems


def _string_problems(value: str, schema: dict[str, Any]) -> list[str]:
    shown = _shown(value)
    if len(value) < schema.get("minLength", 0):
        return ["is empty, but must be filled in"]
    if len(value) > schema.get("maxLength", len(value)):
        return [f"is {shown}, but should be at most {schema['maxLength']} characters"]
    if "pattern" in schema and not re.search(schema["pattern"], value):
        return [f"is {shown}, which is not in the expected form"]
    if schema.get("format") == "date":
        try:
            valid = re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None and bool(date.fromisoformat(value))
        except ValueError:
            valid = False
        if not valid:
            return [f"is {shown}, but dates are written YYYY-MM-DD, e.g. 2019-08-11"]
    return []


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        schema = _schema()["$defs"][name]
    return schema


def _walk(value: Any, schema: dict[str, Any], where: str, out: list[tuple[str, str]]) -> None:
    schema = _resolve(schema)
    problems = _scalar_problems(value, schema)
    out.extend((where, p) for p in problems)
    if problems:
        return
    if isinstance(value, dict):
        _walk_object(value, schema, where, out)
    elif isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _walk(item, schema["items"], f"{where}[{i}]", out)


def _walk_object(value: dict[str, Any], schema: dict[str, Any], where: str, out: list[tuple[str, str]]) -> None:
    prefix = f"{where}." if where else ""
    for name in schema.get("required", []):
        if name not in value:
            out.append((f"{prefix}{name}", "is missing"))
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    for name, member in value.items():
        rules = [rule for pattern, rule in patterns.items() if re.search(pattern, name)]
        if name in properties:
            rules.append(properties[name])
        if not rules and schema.get("additionalProperties") is False:
            out.append((f"{prefix}{name}", "is not a field this file may have"))
        for rule in rules:
            _walk(member, rule, f"{prefix}{name}", out)


def _document_name(data: Any, where: str) -> str:
    """'document 2 of section C ("Letter before claim")' for a path inside a document."""
    m = _DOCUMENT.match(where)
    if not m:
        return ""
    try:
        section = data["sections"][int(m.group(1))]
        doc = section["documents"][int(m.group(2))]
        label = doc.get("title") or doc.get("path") or ""
        letter = section.get("letter", int(m.group(1)) + 1)
    except (KeyError, IndexError, TypeError, AttributeError):
        return ""
    named = f" ({_shown(label)})" if isinstance(label, str) and label else ""
    return f"document {int(m.group(2)) + 1} of section {letter}{named}: "


def schema_problems(data: Any) -> list[str]:
    """One line per way ``data`` breaks the project schema; empty when it is valid."""
    found: list[tuple[str, str]] = []
    _walk(data, _schema(), "", found)
    return [f"{_document_name(data, where)}'{where or 'the file'}' {problem}" for where, problem in found]
