"""The generated references under docs/ are current, and the template contexts are what their declarations say.

Regenerate the references with: juesuan docs   (or: python -m generator docs)
"""

import subprocess
import sys
import types
import typing
from pathlib import Path

import jinja2
import pytest
from conftest import EXAMPLE, ROOT
from jinja2.defaults import DEFAULT_FILTERS

from generator.buildtime import build_time
from generator.checks.runner import check_computed
from generator.commands.cli import main
from generator.commands.reference import references, write_references
from generator.compute.tables import compute
from generator.content.department import load_department
from generator.content.siteconfig import PdfConfig, SiteConfig, SiteInfo
from generator.forms.profiles import load_profile
from generator.pipeline.serve import Preview
from generator.render import siteindex
from generator.render.charts.numbered import charts_for
from generator.render.context import ENTRY_POINTS, FILTERS, SITE_INDEX
from generator.render.contextdocs import resolve_type
from generator.render.html import PdfLink, environment, render_department, render_print
from generator.render.opendata.files import data_links
from generator.render.siteindex import Entry, site_pages

DOCS = ROOT / "docs"
REGENERATE = "运行 juesuan docs（或 python -m generator docs）重新生成，并一同提交"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name", list(references(main)))
def test_the_committed_reference_is_current(name, tmp_path):
    written = {path.relative_to(tmp_path).as_posix(): path for path in write_references(tmp_path, main)}
    committed = DOCS / name
    assert committed.exists(), f"docs/{name} 缺失：{REGENERATE}"
    assert committed.read_text(encoding="utf-8") == written[name].read_text(encoding="utf-8"), \
        f"docs/{name} 已过期：{REGENERATE}"


@pytest.mark.slow
def test_juesuan_docs_writes_every_reference(tmp_path):
    result = subprocess.run([sys.executable, "-m", "generator", "docs", "--out", str(tmp_path / "docs")],
                            check=False, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for name, generate in references(main).items():
        assert (tmp_path / "docs" / name).read_text(encoding="utf-8") == generate()


# -- the template contract --------------------------------------------------------------------------------

def conforms(value, kind) -> bool:
    """Whether ``value`` is of the declared type (lists, tuples and dicts element by element)."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is None:
        return value is None
    if kind is typing.Any:
        return True
    if origin in (types.UnionType, typing.Union):
        return any(conforms(value, arg) for arg in args)
    if origin is list:
        return isinstance(value, list) and all(conforms(item, args[0]) for item in value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return isinstance(value, tuple) and all(conforms(item, args[0]) for item in value)
        return isinstance(value, tuple) and len(value) == len(args) and all(map(conforms, value, args))
    if origin is dict:
        return isinstance(value, dict) and all(conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items())
    return isinstance(value, kind)


@pytest.fixture
def rendered(monkeypatch):
    """Every template Jinja renders from here on: (template name, context)."""
    seen = []
    original = jinja2.Template.render

    def recording(self, *args, **kwargs):
        seen.append((self.name, dict(*args, **kwargs)))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", recording)
    return seen


def render_every_entry_point(tmp_path, monkeypatch):
    """The example department as a draft page with every optional part, its draft print document (with the
    watermark), the site's pages (a sitemap split in two), and the preview's problem page and banner."""
    config = SiteConfig(site=SiteInfo(title="测试站点", base_url="https://example.gov.cn/juesuan/"))
    c = compute(load_department(EXAMPLE), load_profile())
    findings = check_computed(compute(load_department(FIXTURES / "xianyang-rsj-2023-as-published.yaml"),
                                      load_profile()))
    assert findings, "the fixture as published has findings, so the draft lists some"
    charts = charts_for(c, config)
    render_department(c, config, findings=findings, draft=True, pdf=PdfLink("a.pdf", "a.pdf", 2048),
                      data=data_links(c), charts=charts)
    render_print(c, PdfConfig(), build_time(), findings=findings, draft=True, show=config.show, charts=charts)
    monkeypatch.setattr(siteindex, "SITEMAP_LIMIT", 2)
    entries = [Entry(2023, "a", "甲", {"page": "2023/a/index.html", "pdf": "2023/a/a-2023.pdf"}),
               Entry(2024, "b", "乙", {"page": "2024/b/index.html"})]
    site_pages(environment(), config, entries, "body {}")
    content = tmp_path / "content"
    (content / "2023").mkdir(parents=True)
    (content / "2023" / "broken.yaml").write_text("year: [", encoding="utf-8")
    preview = Preview(content)
    assert preview.response("/2023/broken/index.html")[0] == 200  # the problem page
    assert preview.response(f"/{SITE_INDEX.template}")[0] == 200  # with the banner


@pytest.mark.slow
def test_every_template_gets_exactly_its_declared_variables(rendered, tmp_path, monkeypatch):
    render_every_entry_point(tmp_path, monkeypatch)
    declared = {entry.template: entry for entry in ENTRY_POINTS}
    undeclared_templates = sorted({name for name, _ in rendered} - set(declared))
    assert undeclared_templates == [], "rendered directly but not declared in generator/render/context.py"
    assert sorted(set(declared) - {name for name, _ in rendered}) == [], "declared but never rendered here"
    for name, context in rendered:
        entry = declared[name]
        assert set(context) == set(entry.names), (
            f"{name}: passed but not declared {sorted(set(context) - set(entry.names))}, "
            f"declared but not passed {sorted(set(entry.names) - set(context))}")
        wrong = [f"{v.name}: {v.type}, passed {type(context[v.name]).__name__}" for v in entry.variables
                 if not conforms(context[v.name], resolve_type(v.type))]
        assert wrong == [], name


def test_a_context_differing_from_its_declaration_is_refused():
    values = {name: "" for name in SITE_INDEX.names}
    assert SITE_INDEX.context(**values) == values
    with pytest.raises(TypeError, match="missing \\['canonical'\\]"):
        SITE_INDEX.context(**{k: v for k, v in values.items() if k != "canonical"})
    with pytest.raises(TypeError, match="undeclared \\['extra'\\]"):
        SITE_INDEX.context(**values, extra=1)


def test_the_declared_filters_are_the_ones_templates_get():
    assert set(environment().filters) - set(DEFAULT_FILTERS) == set(FILTERS)


def test_the_type_check_itself():
    assert conforms([("a", "b")], resolve_type("list[tuple[str, str]]"))
    assert not conforms([("a", 1)], resolve_type("list[tuple[str, str]]"))
    assert conforms(None, resolve_type("PdfLink | None")) and not conforms("", resolve_type("PdfLink | None"))
    with pytest.raises(NameError):
        resolve_type("NoSuchClass")
