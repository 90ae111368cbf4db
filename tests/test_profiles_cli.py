"""`juesuan profiles` lists the forms a site can use; `juesuan profiles show NAME` prints one as the tool resolves it."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from generator.commands.cli import main
from generator.forms.profiles import load_profile

ROOT = Path(__file__).resolve().parent.parent


def _site(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    (content / "profiles").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "site.yaml", content)
    (content / "profiles" / "henan.yaml").write_text(
        "name: henan\ntitle: 河南省部门决算公开格式\nextends: shanxi\nnumbering: position\n", encoding="utf-8")
    return content


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_the_list_names_every_built_in_and_local_profile_with_its_title_lineage_and_file(tmp_path):
    content = _site(tmp_path)
    result = _run("profiles", "--content", str(content))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == ["henan", "shaanxi", "shanghai", "shanxi", "sichuan"]
    assert lines[0].startswith("henan  河南省部门决算公开格式  继承 shanxi → shaanxi  ")
    assert lines[0].endswith("henan.yaml")
    assert lines[1] == "shaanxi  陕西省部门决算公开格式  内置  （默认）"
    assert lines[3] == "shanxi  山西省部门决算公开格式  继承 shaanxi  内置"


def test_a_broken_local_profile_is_listed_and_its_problems_located(tmp_path):
    content = _site(tmp_path)
    (content / "profiles" / "bad.yaml").write_text("title: 坏格式\nextends: nowhere\n", encoding="utf-8")
    result = _run("profiles", "--content", str(content))
    assert result.exit_code == 1
    assert "bad  （有错误，见下）" in result.output
    assert "bad.yaml:2: 字段 extends：没有名为 nowhere 的省份格式" in result.output


def test_show_prints_the_resolved_profile_with_what_it_inherits(tmp_path):
    content = _site(tmp_path)
    result = _run("profiles", "--content", str(content), "show", "henan")
    assert result.exit_code == 0, result.output
    shown = yaml.safe_load(result.output)
    shanxi = load_profile("shanxi")
    assert shown["name"] == "henan" and shown["title"] == "河南省部门决算公开格式"
    assert shown["extends"] == ["shanxi", "shaanxi"]
    assert shown["numbering"] == "position"  # its own
    assert [s["title"] for s in shown["sections"]] == [s.title for s in shanxi.sections]  # inherited
    assert shown["tables"] == shanxi.tables
    assert shown["file"].endswith("henan.yaml")


def test_show_of_an_unknown_profile_lists_the_names(tmp_path):
    result = _run("profiles", "--content", str(_site(tmp_path)), "show", "../../etc/passwd")
    assert result.exit_code == 2
    assert "没有名为 ../../etc/passwd 的省份格式" in result.output
    assert "henan、shaanxi、shanghai、shanxi、sichuan" in result.output
