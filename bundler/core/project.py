"""Reading and writing ``*.bundle.json`` project files (PRODUCT.md §5).

Saves are atomic. Loading checks the structure and reports problems naming the
file; it never half-loads a project.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from bundler.core.errors import ProjectError
from bundler.core.fsutil import atomic_write_bytes
from bundler.core.model import (
    SCHEMA_VERSION,
    Bundle,
    CaseDetails,
    Document,
    Options,
    Party,
    Person,
    RedactionBox,
    Register,
    Section,
    Served,
    ServedDocument,
    Term,
)
from bundler.core.schema import schema_path, schema_problems

__all__ = ["load_project", "save_project", "bundle_to_dict", "bundle_from_dict", "schema_path"]


def bundle_to_dict(bundle: Bundle) -> dict[str, Any]:
    data = dataclasses.asdict(bundle)
    for section in data["sections"]:
        for doc in section["documents"]:
            if doc["password_kept"] != "project" or doc["password"] is None:
                del doc["password"]  # a secret is not written in clear (PRODUCT.md §7)
            if not doc["password_kept"]:
                del doc["password_kept"]
    if data["served"] is None:
        del data["served"]
    for box in data["register"]["boxes"]:
        if box["basis"] is None:
            del box["basis"]  # drawn on a PDF (or before bases were kept)
    for person in data["register"]["people"]:
        if not person["variant_replacements"]:
            del person["variant_replacements"]  # files without one stay as older versions wrote them
    return {"schema_version": data.pop("schema_version"), **data}


def _build(cls: type, raw: Any, where: str) -> Any:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} should be an object")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(raw) - names
    if unknown:
        raise ValueError(
            f"{where} has {'an unknown field' if len(unknown) == 1 else 'unknown fields'}: {', '.join(sorted(unknown))}"
        )
    try:
        return cls(**raw)
    except TypeError as exc:
        raise ValueError(f"{where}: {exc}") from None


def _legacy(doc: Any) -> Any:
    """An older file's stored password keeps working until the user moves it to the keyring."""
    if isinstance(doc, dict) and doc.get("password") is not None and "password_kept" not in doc:
        return {**doc, "password_kept": "project"}
    return doc


def _case(raw: Any) -> CaseDetails:
    """Case details; the parties are objects of their own (older files have none)."""
    if not isinstance(raw, dict):
        raise ValueError("case should be an object")
    parties = [_build(Party, p, f"case.parties[{i}]") for i, p in enumerate(raw.get("parties", []))]
    case: CaseDetails = _build(CaseDetails, {**raw, "parties": parties}, "case")
    return case


def bundle_from_dict(data: dict[str, Any]) -> Bundle:
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ValueError(f"schema_version {version!r} is not supported (expected {SCHEMA_VERSION})")
    sections = []
    for i, raw in enumerate(data.get("sections", [])):
        raw = dict(raw)
        docs = [
            _build(Document, _legacy(d), f"sections[{i}].documents[{j}]")
            for j, d in enumerate(raw.pop("documents", []))
        ]
        sections.append(_build(Section, {**raw, "documents": docs}, f"sections[{i}]"))
    reg = dict(data.get("register", {}))
    register = Register(
        people=[_build(Person, p, "register.people[]") for p in reg.pop("people", [])],
        terms=[_build(Term, t, "register.terms[]") for t in reg.pop("terms", [])],
        boxes=[_build(RedactionBox, {**b, "rect": tuple(b["rect"])}, "register.boxes[]") for b in reg.pop("boxes", [])],
        rejected_hits=list(reg.pop("rejected_hits", [])),
    )
    if reg:
        raise ValueError(
            f"register has {'an unknown field' if len(reg) == 1 else 'unknown fields'}: {', '.join(sorted(reg))}"
        )
    served = None
    if data.get("served") is not None:
        raw = dict(data["served"])
        docs = [_build(ServedDocument, d, "served.documents[]") for d in raw.pop("documents", [])]
        served = _build(Served, {**raw, "documents": docs}, "served")
    return Bundle(
        served=served,
        case=_case(data.get("case")),
        options=_build(Options, data.get("options", {}), "options"),
        sections=sections,
        register=register,
        template=str(data.get("template", "")),
    )


def load_project(path: Path) -> Bundle:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectError(f"Project file '{path}' does not exist. Create it with 'bundler new'.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"Project file '{path}' cannot be read ({exc}).") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise ProjectError(
            f"Project file '{path.name}' is not a valid bundle project: its JSON is nested too deeply. "
            "Restore it from a backup."
        ) from None
    except json.JSONDecodeError as exc:
        raise ProjectError(
            f"Project file '{path.name}' is not a valid bundle project: it is not JSON ({exc}). "
            "Restore it from a backup or fix it by hand."
        ) from None
    if problems := schema_problems(data):
        raise ProjectError(_problem_message(path, problems))
    try:
        return bundle_from_dict(data)
    except (ValueError, KeyError, TypeError) as exc:
        raise ProjectError(
            f"Project file '{path.name}' is not a valid bundle project: {exc}. "
            "Restore it from a backup or fix the JSON by hand."
        ) from None


def _problem_message(path: Path, problems: list[str]) -> str:
    lines = "\n".join(f"  {line}" for line in problems)
    return (
        f"Project file '{path.name}' does not match the bundle project schema ('bundler schema' prints it); "
        f"fix {'this' if len(problems) == 1 else 'these'} and try again:\n{lines}"
    )


def save_project(bundle: Bundle, path: Path) -> None:
    text = json.dumps(bundle_to_dict(bundle), indent=2, ensure_ascii=False) + "\n"
    try:
        atomic_write_bytes(path, text.encode("utf-8"))
    except OSError as exc:
        raise ProjectError(f"Cannot save project '{path}': {exc}. Check the folder is writable.") from None
