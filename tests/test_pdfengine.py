"""How WeasyPrint is driven: the lean user-agent stylesheet and the collector settings while a PDF is made."""

import gc
from io import BytesIO

import pytest
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.html import UA

from generator.render.pdfengine import (
    MARKER_ELEMENTS,
    LeanHTML,
    lean_ua_text,
    without_full_collections,
)

SAMPLE = """<!doctype html><html lang="zh-CN"><head><style>
body { font-family: "Noto Serif CJK SC"; }
</style></head><body>
<h2>主要职责</h2>
<ol><li>贯彻执行人力资源和社会保障政策。</li><li>拟订就业创业规划。</li></ol>
<table><tr><th>科目</th><td>7,987.94</td></tr></table>
</body></html>"""


def test_only_rules_for_every_element_pseudo_elements_change():
    lean = lean_ua_text()
    assert not [line for line in lean.splitlines() if line.startswith("::")]
    assert f"{MARKER_ELEMENTS} {{ font-variant-numeric: tabular-nums" in lean
    stock_rules = [line for line in UA.splitlines() if not line.startswith("::")]
    lean_rules = [line for line in lean.splitlines() if not line.startswith(MARKER_ELEMENTS)]
    assert lean_rules == stock_rules


@pytest.mark.pdf
def test_the_lean_sheet_lays_out_what_the_stock_one_does():
    def text(cls):
        return [page.extract_text() for page in PdfReader(BytesIO(cls(string=SAMPLE).write_pdf())).pages]

    lean = text(LeanHTML)
    assert lean == text(HTML)
    assert "1." in lean[0] and "2." in lean[0]  # list markers are still drawn


def test_full_collections_wait_until_the_document_is_done_and_settings_come_back():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with without_full_collections():
            assert gc.get_threshold()[:2] == before[:2] and gc.get_threshold()[2] > 1000
            raise RuntimeError("layout failed")
    assert gc.get_threshold() == before


def test_pdf_streams_are_deflated_at_a_faster_level_and_still_read_back():
    import zlib

    import pydyf

    from generator.render.pdfengine import STREAM_LEVEL, making_pdf

    data = "".join(f"BT /F1 9 Tf {i} 0 Td (7,987.94) Tj ET\n" for i in range(2000)).encode()
    with making_pdf():
        squeezed = pydyf.zlib.compressobj(level=9)  # as pydyf asks
        deflated = squeezed.compress(data) + squeezed.flush()
        assert pydyf.zlib.decompress is zlib.decompress
    faster = zlib.compressobj(STREAM_LEVEL)
    assert deflated == faster.compress(data) + faster.flush()
    assert zlib.decompress(deflated) == data
    assert pydyf.zlib is zlib  # other users of pydyf in the process are left alone


def test_documents_share_one_font_configuration():
    from generator.render.pdfengine import shared_font_config

    first, second = LeanHTML(string=SAMPLE).render(), LeanHTML(string=SAMPLE).render()
    assert first.font_config is second.font_config is shared_font_config()
