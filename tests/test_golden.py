"""The example page, byte for byte. Regenerate with: python -m pytest tests/test_golden.py --update-golden"""

from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
PAGES = {"xianyang-rsj-2023.html": "2023/xianyang-rsj/index.html"}


def test_example_page_matches_golden(built_site, update_golden):
    for golden_name, page in PAGES.items():
        built = (built_site / page).read_text(encoding="utf-8")
        golden = GOLDEN / golden_name
        if update_golden:
            golden.write_text(built, encoding="utf-8")
        assert golden.exists(), "金标准文件缺失：运行 python -m pytest tests/test_golden.py --update-golden"
        assert built == golden.read_text(encoding="utf-8"), (
            f"{page} 与金标准 {golden_name} 不同；确认改动无误后运行 python -m pytest tests/test_golden.py --update-golden")
