"""Golden files, byte for byte: the example page as published (with its PDF link), and, like Pelican's functional
tests, the whole example site built in every built-in profile (tests/golden/site-<profile>/: index and year pages,
department pages, charts, sitemap, 404, CSV/JSON/XLSX open data, assets, manifest).

Regenerate all of them, after checking that the change is wanted, with:

    .venv/bin/python -m pytest tests/test_golden.py --update-golden
"""

import difflib
import shutil
from pathlib import Path

import pytest

from generator.forms.profiles import available_profiles

GOLDEN = Path(__file__).parent / "golden"
PAGES = {"xianyang-rsj-2023.html": "2023/xianyang-rsj/index.html"}
UPDATE = ".venv/bin/python -m pytest tests/test_golden.py --update-golden"
PROFILES = available_profiles()  # the built-in ones: shaanxi (the default), shanxi, sichuan
DIFF_LINES = 120  # of the unified diff shown for the first differing text file
LINE_WIDTH = 300  # longer lines (minified JSON, say) are cut in the diff shown


@pytest.mark.pdf
def test_example_page_matches_golden(built_site, update_golden):
    for golden_name, page in PAGES.items():
        built = (built_site / page).read_text(encoding="utf-8")
        golden = GOLDEN / golden_name
        if update_golden:
            golden.write_text(built, encoding="utf-8")
        assert golden.exists(), f"金标准文件缺失：运行 {UPDATE}"
        assert built == golden.read_text(encoding="utf-8"), (
            f"{page} 与金标准 {golden_name} 不同；确认改动无误后运行 {UPDATE}")


# --- the whole site, one golden directory per profile ----------------------------------------------------------------

def site_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def as_text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None  # XLSX: compared by bytes only


def unified_diff(name: str, expected: bytes, built: bytes) -> str:
    old, new = as_text(expected), as_text(built)
    if old is None or new is None:
        return f"{name} 是二进制文件：金标准 {len(expected)} 字节，本次生成 {len(built)} 字节"
    cut = [line if len(line) <= LINE_WIDTH else line[:LINE_WIDTH] + "…（截断）\n"
           for line in difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                            f"golden/{name}", f"built/{name}", n=2)]
    more = f"\n……（另有 {len(cut) - DIFF_LINES} 行差异）" if len(cut) > DIFF_LINES else ""
    return "".join(cut[:DIFF_LINES]).rstrip("\n") + more


def compare(golden: dict[str, bytes], built: dict[str, bytes]) -> str:
    """An empty string when the two sites are the same, else which files differ and the first text file's diff."""
    missing = sorted(set(golden) - set(built))
    extra = sorted(set(built) - set(golden))
    changed = sorted(name for name in set(golden) & set(built) if golden[name] != built[name])
    if not (missing or extra or changed):
        return ""
    lines = []
    for title, names in (("内容不同", changed), ("本次没有生成", missing), ("金标准中没有", extra)):
        if names:
            lines.append(f"{title}（{len(names)} 个）：" + "、".join(names))
    first = next((n for n in changed if as_text(golden[n]) is not None and as_text(built[n]) is not None),
                 changed[0] if changed else None)
    if first:
        lines.append(f"第一个不同的文件 {first}：\n{unified_diff(first, golden[first], built[first])}")
    return "\n".join(lines)


def write_golden(target: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(target, ignore_errors=True)
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@pytest.mark.slow  # a whole site built in each profile: a second or more each
@pytest.mark.parametrize("profile", PROFILES)
def test_whole_site_matches_golden(profile, example_site, update_golden):
    """The example content in ``profile``, HTML only, dated by SOURCE_DATE_EPOCH: every file the same bytes.
    (example_site: build(CONTENT, out, pdf=False, profile=profile, force=True), see conftest.py.)"""
    built = site_files(example_site(profile))
    golden = GOLDEN / f"site-{profile}"
    if update_golden:
        write_golden(golden, built)
    assert golden.is_dir(), f"金标准目录 {golden.relative_to(GOLDEN.parent)} 缺失：运行 {UPDATE}"
    problems = compare(site_files(golden), built)
    if problems:
        pytest.fail(f"按省份格式 {profile} 生成的示例站点与金标准 tests/golden/site-{profile}/ 不同；"
                    f"确认改动无误后运行 {UPDATE}\n{problems}", pytrace=False)


def test_every_golden_site_is_a_built_in_profile(update_golden):
    stale = sorted(p for p in GOLDEN.glob("site-*") if p.is_dir() and p.name.removeprefix("site-") not in PROFILES)
    if update_golden:
        for path in stale:
            shutil.rmtree(path)
        stale = []
    assert not stale, f"这些金标准目录没有对应的内置省份格式：{[p.name for p in stale]}；运行 {UPDATE}"
