"""Fonts for the PDF: find the configured families and prove they cover every character.

WeasyPrint only logs a missing glyph and still writes the PDF with a blank box, so the
check is ours: before rendering, every character of the document must be in the
character map of one of the configured font families.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from fontTools.ttLib import TTFont

from generator.errors import ContentError, Problem
from generator.source.yamlfile import Source


@dataclass(frozen=True)
class FontFace:
    file: str
    index: int


@lru_cache(maxsize=1)
def installed_families() -> dict[str, tuple[FontFace, ...]]:
    """Every family fontconfig knows, by lower-cased name (all its names, all its styles)."""
    if not shutil.which("fc-list"):
        raise ContentError([Problem("字体", None, "", "找不到 fc-list（fontconfig），无法确认字体",
                                    "已安装 fontconfig（运行 scripts/setup.sh）")])
    listing = subprocess.run(["fc-list", "--format", "%{family}\t%{file}\t%{index}\n"],
                             capture_output=True, text=True, check=True).stdout
    families: dict[str, list[FontFace]] = {}
    for line in listing.splitlines():
        names, file, index = line.split("\t")
        for name in names.split(","):
            families.setdefault(name.strip().lower(), []).append(FontFace(file, int(index or 0)))
    return {name: tuple(sorted(set(faces), key=lambda f: (f.file, f.index))) for name, faces in families.items()}


@lru_cache(maxsize=64)
def face_characters(face: FontFace) -> frozenset[int]:
    font = TTFont(face.file, fontNumber=face.index, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


@lru_cache(maxsize=32)
def family_characters(family: str) -> frozenset[int] | None:
    """Code points the family covers (any style), or None if it is not installed."""
    faces = installed_families().get(family.lower())
    if not faces:
        return None
    return frozenset().union(*(face_characters(face) for face in faces))


def needs_glyph(char: str) -> bool:
    """Whitespace and control/format characters are laid out, not drawn."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


def check_coverage(text: str, families: tuple[str, ...], source: Source) -> None:
    """Raise ContentError naming each character no configured family has, and the line it is on."""
    problems = []
    covered: set[int] = set()
    for family in families:
        chars = family_characters(family)
        if chars is None:
            problems.append(Problem("site.yaml", None, "pdf.fonts", f"字体“{family}”未安装",
                                    "已安装的字体（用 fc-list : family 查看，或运行 scripts/setup.sh 安装 Noto CJK 字体）",
                                    family))
        else:
            covered |= chars
    if problems:
        raise ContentError(problems)
    missing = sorted({c for c in text if needs_glyph(c) and ord(c) not in covered})
    if missing:
        lines = source.text.splitlines()
        for char in missing:
            line = next((n for n, text_line in enumerate(lines, 1) if char in text_line), None)
            problems.append(Problem(source.name, line, "", "PDF 字体中没有这个字符，生成的 PDF 会显示为空框",
                                    f"所配置字体（{'、'.join(families)}）包含的字符，或在 site.yaml 的 pdf.fonts 中加入含该字符的字体",
                                    f"“{char}”（U+{ord(char):04X}）" + ("" if line else "，出现在模板或内置文字中")))
        raise ContentError(problems)
