"""How finance software writes a workbook, where it differs from the printed form (data/spreadsheet_headers.yaml):
header synonyms, the 类/款/项 columns of a split 科目代码, contents sheets, rows that are not table data, and the
tables a workbook may leave out.

Header texts are compared in their ``norm`` form; a path of header texts (top down) is canonical when every text
is replaced by the form's own word for it and repeats collapse: ``(项目, 科目编码)`` → ``(项目, 科目代码)``, and in
公开02表 ``(合计,)`` → ``(本年收入合计,)``. The layout's own paths go through the same map, so a synonym can never
match a different column than its word would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from generator.authoring.spreadsheet.cells import norm
from generator.content.department import TABLE_KEYS
from generator.forms.reading import data_file, known, raise_problems
from generator.resources import DATA
from generator.source.shapes import Reader

WORDS_FILE = DATA / "spreadsheet_headers.yaml"
ANY = "any"
_TABLE_ID = re.compile(r"t\d{2}")
_KEYS = ("headers", "code_parts", "contents_sheets", "non_table_rows", "missing_as_empty")


@dataclass(frozen=True)
class HeaderWords:
    synonyms: dict[str, dict[str, str]]  # scope (any, t02 …) → synonym → the form's word, all in norm form
    code_parts: tuple[str, str, str]  # 类, 款, 项
    contents_sheets: frozenset[str]
    signature_prefixes: tuple[str, ...]
    empty_marks: tuple[str, ...]
    missing_as_empty: tuple[str, ...]  # department-file blocks (gov_fund …)

    def canonical(self, text: str, table_id: str) -> str:
        """The form's word for a header text (``norm`` form) in table ``table_id``."""
        own = self.synonyms.get(table_id, {})
        return own.get(text) or self.synonyms[ANY].get(text, text)

    def canonical_path(self, path: tuple[str, ...], table_id: str) -> tuple[str, ...]:
        out: list[str] = []
        for text in path:
            word = self.canonical(text, table_id)
            if not out or out[-1] != word:
                out.append(word)
        return tuple(out)

    def is_contents(self, sheet_name: str) -> bool:
        return norm(sheet_name) in self.contents_sheets

    def is_non_table_text(self, text: str) -> bool:
        """A signature, a 编制单位 line or an empty-table note (``norm`` form): “单位负责人:张三”, “本表为空表”."""
        head = text.split(":", 1)[0] if ":" in text else None
        return (head is not None and head in self.signature_prefixes) or self.is_empty_mark(text)

    def is_empty_mark(self, text: str) -> bool:
        return any(mark in text for mark in self.empty_marks)


@lru_cache(maxsize=1)
def header_words() -> HeaderWords:
    """The file's words, checked; ContentError names every problem of the file."""
    r = data_file(WORDS_FILE)
    top = r.mapping((), r.source.data, "工作簿的各种写法")
    r.unknown_keys((), top, _KEYS)
    synonyms = _synonyms(r, top.get("headers"))
    parts = tuple(norm(t) for t in r.texts(("code_parts",), top.get("code_parts")))
    if len(parts) != 3:
        r.problem(("code_parts",), "科目代码分列的表头应为三个：类、款、项", "[类, 款, 项]", "、".join(parts) or "无")
        parts = ("类", "款", "项")
    rows = r.mapping(("non_table_rows",), top.get("non_table_rows"))
    r.unknown_keys(("non_table_rows",), rows, ("prefixes", "empty_marks"))
    missing = r.texts(("missing_as_empty",), top.get("missing_as_empty"))
    for i, block in enumerate(missing):
        known(r, ("missing_as_empty", i), block, TABLE_KEYS, "部门文件中没有这张表")
    raise_problems(r)
    return HeaderWords(synonyms, parts, frozenset(norm(t) for t in r.texts(("contents_sheets",), top.get("contents_sheets"))),
                       tuple(norm(t) for t in r.texts(("non_table_rows", "prefixes"), rows.get("prefixes"))),
                       tuple(norm(t) for t in r.texts(("non_table_rows", "empty_marks"), rows.get("empty_marks"))),
                       tuple(missing))


def _synonyms(r: Reader, value: object) -> dict[str, dict[str, str]]:
    """scope → synonym → word; a synonym given for two words of one scope, or for itself, is a problem."""
    scopes: dict[str, dict[str, str]] = {ANY: {}}
    for scope, words in r.mapping(("headers",), value, "各范围的同义写法（any、t02 …）").items():
        scope = str(scope)
        if scope != ANY and not _TABLE_ID.fullmatch(scope):
            r.problem(("headers", scope), "范围应为 any 或表的标识", "any、t01、t02 …", scope)
            continue
        own = scopes.setdefault(scope, {})
        for word, texts in r.mapping(("headers", scope), words, "表样写法: [同义写法, …]").items():
            target = norm(str(word))
            for i, text in enumerate(r.texts(("headers", scope, word), texts)):
                synonym = norm(text)
                if synonym == target:
                    r.problem(("headers", scope, word, i), "同义写法与表样写法相同", "不同的写法", text)
                elif own.get(synonym, target) != target:
                    r.problem(("headers", scope, word, i), f"“{text}”在此范围内已是“{own[synonym]}”的同义写法",
                              "每种写法只对应一个表样写法", text)
                else:
                    own[synonym] = target
    return scopes
