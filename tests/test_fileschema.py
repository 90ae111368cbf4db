"""The JSON Schema of the department file: shipped in sync with the model, and agreeing with the reader."""

import copy
import json

import pytest
from click.testing import CliRunner
from conftest import CONTENT, EXAMPLE, ROOT
from jsonschema import Draft202012Validator

from generator.authoring.fielddocs import field_doc
from generator.authoring.jsonschema import (
    SCHEMA_NAME,
    SHIPPED,
    department_schema,
    schema_text,
)
from generator.commands.cli import main
from generator.content.department import read_department
from generator.errors import ContentError
from generator.pipeline.departments import discover, named_files
from generator.source.yamlfile import Source, load_yaml

FILES = sorted(CONTENT.glob("*/*.yaml")) + sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))
VALIDATOR = Draft202012Validator(department_schema())


def errors(data) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]


def reader_accepts(data) -> bool:
    try:
        read_department(Source("t.yaml", data), "xianyang-rsj")
        return True
    except ContentError:
        return False


def test_shipped_schema_is_generated_from_the_model():
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), (
        "generator/data/department.schema.json 与数据模型不一致，请运行："
        ".venv/bin/juesuan schema --out generator/data/department.schema.json")


@pytest.mark.slow
def test_schema_is_a_valid_2020_12_schema():
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert "$ref" not in SHIPPED.read_text(encoding="utf-8")  # editors validate with draft-07 rules: no $ref


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_content_and_fixture_file_is_valid(path):
    assert errors(load_yaml(path).data) == []


def test_every_field_has_chinese_help():
    """Hover help for every field: each property has a title, and the field table documents it."""
    missing = []

    def walk(node, path):
        for key, sub in node.get("properties", {}).items():
            if "title" not in sub:
                missing.append(".".join(path + (key,)))
            walk(sub, path + (key,))
        for sub in node.get("patternProperties", {}).values():
            walk(sub, path + ("*",))
        for sub in (node.get("items"), node.get("additionalProperties")):
            if isinstance(sub, dict):
                walk(sub, path + ("*",))

    walk(department_schema(), ())
    assert missing == []
    assert all(field_doc(p) for p in [("narrative", "three_public", "reception", "foreign"), ("tables", "income", "*", "fiscal")])


def example():
    return copy.deepcopy(load_yaml(EXAMPLE).data)


def change(path, value):
    def apply(data):
        *parents, last = path
        node = data
        for key in parents:
            node = node[key]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
        return data
    return apply


DELETE = object()
REJECTED = {
    "typo in a key": change(("narrative", "overal"), {"reason": "增加"}),
    "typo in a table": change(("tables", "expenditur"), {}),
    "text in an amount": change(("tables", "expenditure", "2080101", "basic"), "一千二百"),
    "text in a narrative amount": change(("narrative", "overall", "previous_total"), "约八千万"),
    "unknown column": change(("tables", "income", "2080101", "fisca"), 1),
    "six-digit code": change(("tables", "income", "208010"), {"fiscal": 1}),
    "missing department name": change(("department", "name"), DELETE),
    "missing duties": change(("overview", "duties"), DELETE),
    "missing year": change(("year",), DELETE),
    "unit": change(("unit",), "千元"),
    "scope": change(("department", "scope"), "全部"),
    "glossary mode": change(("glossary", "mode"), "append"),
    "negative count": change(("overview", "staff", "retired"), -1),
    "count as text": change(("narrative", "three_public", "reception", "domestic_groups"), "十三"),
    "tail difference field": change(("tail_differences", "basic_detail.301"), "-0.01"),
    "attachment without body": change(("attachments", 0, "body"), DELETE),
    "unknown top-level key": change(("notes",), "x"),
}
ACCEPTED = {
    "amount as quoted text": change(("tables", "income", "2080101", "fiscal"), "1,264.66"),
    "empty reason": change(("narrative", "overall", "reason"), None),
    "empty optional part": change(("glossary",), None),
    "no attachments": change(("attachments",), None),
    "stated total row": change(("tables", "general_budget", "total"), {"basic": "2736.02"}),
    "economic class total": change(("tables", "basic_detail", "303"), "99.32"),
}


@pytest.mark.parametrize("name", REJECTED)
def test_schema_rejects_what_the_reader_rejects(name):
    data = REJECTED[name](example())
    assert errors(data), f"{name}: the schema accepts it"
    assert not reader_accepts(data), f"{name}: the reader accepts it"


@pytest.mark.parametrize("name", ACCEPTED)
def test_schema_accepts_what_the_reader_accepts(name):
    data = ACCEPTED[name](example())
    assert errors(data) == []
    assert reader_accepts(data)


def test_schema_command_writes_next_to_the_content(content_copy, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["schema", "--content", str(content_copy)])
    assert result.exit_code == 0, result.output
    written = content_copy / SCHEMA_NAME
    assert written.read_text(encoding="utf-8") == SHIPPED.read_text(encoding="utf-8")
    assert "已写出" in result.output
    out = tmp_path / "elsewhere" / "s.json"
    assert runner.invoke(main, ["schema", "--out", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "部门决算公开数据文件"
    # build and check only read <year>/<id>.yaml: the schema beside them is not a department
    assert written not in discover(content_copy) and written not in named_files([content_copy])
    assert len(discover(content_copy)) == len(list(CONTENT.glob("*/*.yaml")))


def test_schema_command_reports_an_unwritable_target(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(main, ["schema", "--out", str(blocker / "s.json")])
    assert result.exit_code == 2
    assert "无法写出" in result.output

