"""Project files from other software: every load checks them against the shipped schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema  # test dependency: the reference our small validator must agree with
import pytest

from bundler.cli.main import main
from bundler.core.errors import ExitCode, ProjectError
from bundler.core.project import bundle_to_dict, load_project
from bundler.core.schema import schema_path, schema_problems
from tests.conftest import claim_bundle

EXAMPLE = Path(__file__).parents[2] / "examples" / "aisha-v-wessex" / "aisha-v-wessex.bundle.json"


def _example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def _first_doc(data: dict) -> dict:
    return data["sections"][0]["documents"][0]


# (change, the words the one line must contain)
BAD = {
    "rotation as text": (lambda d: _first_doc(d).update(rotation="90"), ["rotation", '"90"', "0, 90, 180, 270"]),
    "pages as a number": (lambda d: _first_doc(d).update(pages=3), ["documents[0].pages", "is 3", "a string"]),
    "UK date": (lambda d: _first_doc(d).update(date="10/09/2019"), ["documents[0].date", "10/09/2019", "YYYY-MM-DD"]),
    "no such day": (lambda d: _first_doc(d).update(date="2019-02-30"), ["2019-02-30", "YYYY-MM-DD"]),
    "unknown converter": (lambda d: d["options"].update(converter="msword"), ["options.converter", "msword"]),
    "null claim number": (lambda d: d["case"].update(claim_no=None), ["case.claim_no", "null"]),
    "missing hash": (lambda d: _first_doc(d).pop("sha256"), ["documents[0].sha256", "is missing"]),
    "unknown field": (lambda d: d.update(colour="red"), ["'colour' is not a field"]),
    "true as a number": (lambda d: d["options"].update(stamp_font_size=True), ["stamp_font_size", "a number"]),
    "short rectangle": (
        lambda d: d["register"].update(boxes=[{"document_id": "x", "page": 1, "rect": [1, 2, 3]}]),
        ["register.boxes[0].rect", "3 items"],
    ),
}


def test_the_example_and_a_new_bundle_are_valid():
    assert schema_problems(_example()) == []
    assert schema_problems(bundle_to_dict(claim_bundle())) == []


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_problem_is_one_line_naming_field_and_document(name):
    change, words = BAD[name]
    data = _example()
    change(data)
    problems = schema_problems(data)
    assert len(problems) == 1, problems
    for word in words:
        assert word in problems[0]
    if "documents[0]" in problems[0]:
        assert problems[0].startswith('document 1 of section A ("Summary grounds of claim"): ')


@pytest.mark.parametrize("name", sorted(BAD))
def test_the_small_validator_agrees_with_jsonschema(name):
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    data = _example()
    BAD[name][0](data)
    assert list(checker.iter_errors(data)) and schema_problems(data)
    assert not list(checker.iter_errors(_example()))


def test_several_problems_are_all_listed_and_loading_stops(tmp_path):
    data = _example()
    _first_doc(data).update(rotation="90", date="11 Aug 2019")
    data["options"]["converter"] = "pdf"
    path = tmp_path / "case.bundle.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ProjectError) as err:
        load_project(path)
    lines = str(err.value).splitlines()
    assert len(lines) == 4 and "'case.bundle.json'" in lines[0]
    assert any("rotation" in line for line in lines) and any("11 Aug 2019" in line for line in lines)


def test_the_cli_exits_3_with_no_internal_error(tmp_path, capsys):
    data = _example()
    _first_doc(data).pop("sha256")
    _first_doc(data)["pages"] = 3
    path = tmp_path / "case.bundle.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["build", str(path), "-o", str(tmp_path / "out.pdf")]) == ExitCode.PROJECT
    err = capsys.readouterr().err
    assert "sha256' is missing" in err and "pages' is 3" in err
    assert "internal error" not in err and "Traceback" not in err
    assert not (tmp_path / "out.pdf").exists()
