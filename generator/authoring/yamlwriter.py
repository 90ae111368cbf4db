"""Writing YAML text by hand, value by value, so that generated files keep their comments.

Every emitted text is read back with the project's own loader; if it would not come
back as the same text, it is written double-quoted instead.
"""

from __future__ import annotations

import json
from decimal import Decimal

from generator.errors import ContentError
from generator.money import UNITS, round_cent
from generator.source.yamlfile import load_yaml_text

_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"


def _reads_back(snippet: str, expected: object) -> bool:
    try:
        return load_yaml_text(snippet, "<生成>").data == expected
    except ContentError:
        return False


def scalar(text: str) -> str:
    """A one-line text as a plain scalar when that reads back the same, else double-quoted."""
    text = str(text)
    plain = (text and text == text.strip() and "\n" not in text and text[0] not in _INDICATORS
             and ": " not in text and " #" not in text and not text.endswith(":"))
    if plain and _reads_back(f"k: {text}\n", {"k": text}):
        return text
    return json.dumps(text, ensure_ascii=False)


def key(text: str) -> str:
    """A mapping key (a category label, a code) as YAML."""
    text = str(text)
    plain = text and text == text.strip() and text[0] not in _INDICATORS and ":" not in text and "#" not in text
    if plain and _reads_back(f"{text}: 1\n", {text: 1}):
        return text
    return json.dumps(text, ensure_ascii=False)


def text_value(text: str, indent: int) -> list[str]:
    """A text value: the part after "key: " first, then any continuation lines (a literal block)."""
    text = str(text).strip()
    if "\n" not in text:
        return [scalar(text)]
    pad = " " * indent
    lines = [pad + line if line.strip() else "" for line in text.split("\n")]
    if _reads_back("k: |\n" + "\n".join(lines) + "\n", {"k": text + "\n"}):
        return ["|", *lines]
    return [json.dumps(text, ensure_ascii=False)]


def amount(value: Decimal | None, unit: str) -> str:
    """An amount held in 万元, written in the file's unit: two decimals, more only where exactness needs them."""
    if value is None:
        return ""
    stated = value * UNITS[unit]
    rounded = round_cent(stated)
    return f"{rounded:.2f}" if rounded == stated else format(stated.normalize(), "f")
