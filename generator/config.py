"""The site configuration: ``site.yaml`` at the content root, validated like the content.

Only what the tool uses is read; every key is optional and has a documented default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, show
from .reader import Reader
from .yamlsource import load_yaml

CONFIG_NAME = "site.yaml"

# PDF standards offered, as WeasyPrint names them; "none" is a plain PDF.
PDF_STANDARDS = ("pdf/a-3a", "pdf/a-3b", "pdf/ua-1", "none")
DEFAULT_STANDARD = "pdf/a-3a"
FAMILY_NAME = re.compile(r"^[\w\- .·（）()]+$")


@dataclass(frozen=True)
class PdfConfig:
    body_fonts: tuple[str, ...] = ("Noto Serif CJK SC",)
    heading_fonts: tuple[str, ...] = ("Noto Sans CJK SC",)
    standard: str = DEFAULT_STANDARD

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.body_fonts + self.heading_fonts))

    @property
    def variant(self) -> str | None:
        return None if self.standard == "none" else self.standard

    @property
    def tagged(self) -> bool:
        return self.standard in ("pdf/a-3a", "pdf/ua-1")


@dataclass(frozen=True)
class SiteConfig:
    pdf: PdfConfig = field(default_factory=PdfConfig)
    path: Path | None = None


def load_config(content_dir: Path) -> SiteConfig:
    """``<content>/site.yaml`` if it exists, else the defaults; ContentError lists every problem."""
    path = content_dir / CONFIG_NAME
    if not path.exists():
        return SiteConfig()
    source = load_yaml(path)
    r = Reader(source)
    top = r.mapping((), source.data, "站点配置")
    r.unknown_keys((), top, ("pdf",))
    pdf_raw = r.mapping(("pdf",), top.get("pdf"))
    r.unknown_keys(("pdf",), pdf_raw, ("fonts", "standard"))
    fonts = r.mapping(("pdf", "fonts"), pdf_raw.get("fonts"))
    r.unknown_keys(("pdf", "fonts"), fonts, ("body", "heading"))
    defaults = PdfConfig()
    body = _families(r, ("pdf", "fonts", "body"), fonts.get("body")) or defaults.body_fonts
    heading = _families(r, ("pdf", "fonts", "heading"), fonts.get("heading")) or defaults.heading_fonts
    standard = pdf_raw.get("standard", DEFAULT_STANDARD)
    if standard not in PDF_STANDARDS:
        r.problem(("pdf", "standard"), "不支持的 PDF 标准", "、".join(PDF_STANDARDS), show(standard))
    if r.problems:
        raise ContentError(r.problems)
    return SiteConfig(PdfConfig(body, heading, standard), path)


def _families(r: Reader, path: tuple, value: object) -> tuple[str, ...]:
    """A font family name or a list of them, in order of preference."""
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        r.problem(path, "应为字体名称或字体名称列表", "如 [仿宋_GB2312, Noto Serif CJK SC]", show(value))
        return ()
    for i, name in enumerate(names):
        if not isinstance(name, str) or not FAMILY_NAME.match(name):
            r.problem(path + (i,), "字体名称只能含文字、数字、空格和连字符", "如 Noto Serif CJK SC", show(name))
    return tuple(str(n) for n in names)
