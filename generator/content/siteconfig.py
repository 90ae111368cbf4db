"""The site configuration: ``site.yaml`` at the content root, validated like the content.

Only what the tool uses is read; every key is optional and has a documented default.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import ContentError, show
from generator.forms.chartkinds import chart_kinds
from generator.forms.profiles import available_profiles
from generator.source.shapes import FLAG, TEXT, Reader, one_of, suggestion
from generator.source.yamlfile import inside, load_yaml, outside

CONFIG_NAME = "site.yaml"
STATIC_DEFAULT = "static"  # the folder of files copied into the site as they are, in the content directory

# PDF standards offered, as WeasyPrint names them; "none" is a plain PDF.
PDF_STANDARDS = ("pdf/a-3a", "pdf/a-3b", "pdf/ua-1", "none")
DEFAULT_STANDARD = "pdf/a-3a"
FAMILY_NAME = re.compile(r"^[\w\- .·（）()]+$")
BASE_URL = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")


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
class SiteInfo:
    """What the published site says about itself."""

    title: str = "部门决算公开"
    jurisdiction: str = ""
    footer: str = ""
    contact: str = ""
    base_url: str = ""  # absolute, ending in "/"; empty: relative links only


@dataclass(frozen=True)
class Parts:
    """Optional parts of every department page and the site."""

    pdf: bool = True
    open_data: bool = True
    glossary: bool = True
    attachments: bool = True
    search: bool = True  # the full-text search box and its index (pipeline/search.py)


@dataclass(frozen=True)
class SiteConfig:
    site: SiteInfo = field(default_factory=SiteInfo)
    show: Parts = field(default_factory=Parts)
    pdf: PdfConfig = field(default_factory=PdfConfig)
    templates: Path | None = None  # a directory whose templates override the built-in ones
    charts: tuple[str, ...] | None = None  # chart keys; None: the profile's
    profile: str | None = None  # the province profile of every department that names none
    path: Path | None = None
    static: Path | None = None  # files copied into the site as they are (favicon, logos, robots.txt); None: none


SITE_SHAPE = {"title": TEXT, "jurisdiction": TEXT, "footer": TEXT, "contact": TEXT, "base_url": TEXT}
SHOW_SHAPE = {"pdf": FLAG, "open_data": FLAG, "glossary": FLAG, "attachments": FLAG, "search": FLAG}


def load_config(content_dir: Path) -> SiteConfig:
    """``<content>/site.yaml`` if it exists, else the defaults; ContentError lists every problem."""
    path = content_dir / CONFIG_NAME
    if not os.path.lexists(path):
        return SiteConfig(static=_default_static(content_dir))
    if not inside(path, content_dir):
        raise ContentError([outside(str(path))])
    source = load_yaml(path)
    r = Reader(source)
    top = r.mapping((), source.data, "站点配置")
    r.unknown_keys((), top, ("site", "show", "pdf", "templates", "charts", "profile", "static"))
    site = _site(r, top.get("site"))
    show_raw = r.shaped(("show",), top.get("show"), SHOW_SHAPE)
    parts = Parts(**{k: v for k, v in show_raw.items() if v is not None})
    pdf = _pdf(r, top.get("pdf"))
    templates = _templates(r, top.get("templates"), content_dir)
    charts = _charts(r, top.get("charts"))
    static = _static(r, top.get("static"), content_dir) if "static" in top else _default_static(content_dir)
    profile = r.text(("profile",), top.get("profile")) or None
    if profile and profile not in available_profiles(content_dir):
        r.problem(("profile",), "没有这个省份格式", "以下之一：" + "、".join(available_profiles(content_dir)), show(profile))
    if r.problems:
        raise ContentError(r.problems)
    return SiteConfig(site, parts, pdf, templates, charts, profile, path, static)


def _charts(r: Reader, value: object) -> tuple[str, ...] | None:
    """A list of chart keys (data/charts.yaml), or [] for none."""
    if value is None:
        return None
    known = chart_kinds()
    if not isinstance(value, list):
        r.problem(("charts",), "应为图的列表", "如 [totals_change, income_structure]，不要图时写 []", show(value))
        return None
    for i, key in enumerate(value):
        if key not in known:
            r.problem(("charts", i), f"没有这种图{suggestion(key, known)}", one_of(known), show(key))
    return tuple(str(k) for k in value)


def _site(r: Reader, value: object) -> SiteInfo:
    raw = r.shaped(("site",), value, SITE_SHAPE)
    info = {k: v for k, v in raw.items() if v}
    if "base_url" in info:
        info["base_url"] = checked_base_url(info["base_url"], lambda message, expected, found:
                                            r.problem(("site", "base_url"), message, expected, found))
    return SiteInfo(**info)


def checked_base_url(url: str, complain) -> str:
    """An absolute http(s) URL, normalised to end in "/" (site paths are appended to it)."""
    if not BASE_URL.match(url):
        complain("网站地址应为以 http:// 或 https:// 开头的完整地址", "如 https://www.example.gov.cn/juesuan/", show(url))
        return ""
    return url if url.endswith("/") else url + "/"


def _pdf(r: Reader, value: object) -> PdfConfig:
    pdf_raw = r.mapping(("pdf",), value)
    r.unknown_keys(("pdf",), pdf_raw, ("fonts", "standard"))
    fonts = r.mapping(("pdf", "fonts"), pdf_raw.get("fonts"))
    r.unknown_keys(("pdf", "fonts"), fonts, ("body", "heading"))
    defaults = PdfConfig()
    body = _families(r, ("pdf", "fonts", "body"), fonts.get("body")) or defaults.body_fonts
    heading = _families(r, ("pdf", "fonts", "heading"), fonts.get("heading")) or defaults.heading_fonts
    standard = pdf_raw.get("standard", DEFAULT_STANDARD)
    if standard not in PDF_STANDARDS:
        r.problem(("pdf", "standard"), "不支持的 PDF 标准", "、".join(PDF_STANDARDS), show(standard))
    return PdfConfig(body, heading, standard)


def _templates(r: Reader, value: object, content_dir: Path) -> Path | None:
    """A template directory, relative to the content directory."""
    name = r.text(("templates",), value)
    return _folder(r, "templates", name, content_dir, "模板目录", "templates") if name else None


def _static(r: Reader, value: object, content_dir: Path) -> Path | None:
    """The static folder, relative to the content directory; it must exist once named."""
    name = r.text(("static",), value)
    if not name:
        if not isinstance(value, (dict, list, bool)):  # those the reader reported already
            r.problem(("static",), "缺少静态文件目录（相对于内容目录）", "已有的目录，如 static", "空值")
        return None
    return _folder(r, "static", name, content_dir, "静态文件目录", "static")


def _folder(r: Reader, key: str, name: str, content_dir: Path, label: str, example: str) -> Path | None:
    """The folder ``name`` of the site file's ``key``, relative to the content directory; a located problem if absent."""
    directory = content_dir / name
    if not directory.is_dir():
        r.problem((key,), f"{label}不存在（相对于内容目录）", f"已有的目录，如 {example}", show(name))
        return None
    return directory


def _default_static(content_dir: Path) -> Path | None:
    """``<content>/static/`` when there is one."""
    directory = content_dir / STATIC_DEFAULT
    return directory if directory.is_dir() else None


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
