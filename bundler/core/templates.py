"""Bundle templates shipped in ``templates/`` (claim, hearing, authorities)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bundler.core.assets import template_dir
from bundler.core.errors import ProjectError
from bundler.core.model import Bundle, CaseDetails, Options, Section

__all__ = ["Template", "list_templates", "load_template", "new_bundle"]


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    bundle_name: str
    page_prefix: str
    sections: tuple[tuple[str, str], ...]


def _parse(raw: dict[str, Any]) -> Template:
    return Template(
        name=raw["name"],
        title=raw["title"],
        bundle_name=raw["bundle_name"],
        page_prefix=raw.get("page_prefix", ""),
        sections=tuple((letter, title) for letter, title in raw["sections"]),
    )


def list_templates() -> list[Template]:
    return [_parse(json.loads(p.read_text("utf-8"))) for p in sorted(template_dir().glob("*.json"))]


def load_template(name: str) -> Template:
    for template in list_templates():
        if template.name == name:
            return template
    known = ", ".join(t.name for t in list_templates())
    raise ProjectError(f"There is no template '{name}'. Choose one of: {known}.")


def new_bundle(template_name: str, case: CaseDetails) -> Bundle:
    """A new, empty bundle laid out by the template; ``case.bundle_name`` wins if set."""
    template = load_template(template_name)
    if not case.bundle_name:
        case.bundle_name = template.bundle_name
    return Bundle(
        case=case,
        options=Options(page_prefix=template.page_prefix),
        sections=[Section(letter=letter, title=title) for letter, title in template.sections],
        template=template.name,
    )
