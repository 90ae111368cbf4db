"""The whole computed model of a department as one JSON document.

Amounts are strings holding the exact ``Decimal`` value at full precision (not rounded
for print, never a float): "7987.94", or "1248.6612" for a file entered in 元. A figure
printed as the file states it but computed differently (e.g. a registered 尾差) also
gives its computed value under ``computed``. Keys are English identifiers; ``label``
fields carry the Chinese text of the layout. The file is compact UTF-8 JSON with its keys
sorted, so the same model always gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from generator.compute.figures import CodedTable, Computed, Figure, FlatTable
from generator.forms.catalogue import catalogue
from generator.forms.layouts import Cell, Codes, Groups, Rows, TableLayout, TwoSided
from generator.forms.vocabulary import CODED_TABLE_OF, COLUMN_LABELS
from generator.render.grid import place
from generator.render.opendata.records import AMOUNT_UNIT, column_paths, joined

FORMAT = "juesuan-open-data/1"


def json_bytes(c: Computed) -> bytes:
    # Without ``indent`` json uses its C encoder: a fifth of the time of the indented Python one.
    text = json.dumps(document(c), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def document(c: Computed) -> dict:
    d = c.department
    return {
        "format": FORMAT,
        "department": {
            "id": d.id, "year": d.year, "name": d.name, "scope": d.scope, "display_name": d.display_name,
            "form": c.form.form, "entered_unit": d.unit, "amount_unit": AMOUNT_UNIT,
            "unit_label": c.form.unit_label, "secrecy_review": d.secrecy_review, "head_approval": d.head_approval,
        },
        "overview": plain(d.overview),
        "tables": {tid: table_document(layout, c[tid], d.year) for tid, layout in c.form.tables.items()},
        "narrative": plain(c.narrative),
        "glossary": [{"term": t.term, "text": t.text} for t in c.glossary],
        "attachments": [{"group": a.group, "title": a.title} for a in d.attachments],
        "tail_differences": plain(d.tail_differences),
    }


def plain(value: object) -> object:
    """Anything the model holds as JSON values: Decimal as exact text, dataclasses as objects."""
    if isinstance(value, Decimal):
        return exact(value)
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    names = _field_names(type(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return str(value)


def exact(value: Decimal) -> str:
    """The exact value in positional notation: "1248.6612", never "1.2E+3" (``str`` is the fast way when it
    shows no exponent, and then says the same as ``format(value, "f")``)."""
    text = str(value)
    return format(value, "f") if "E" in text else text


@cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    return tuple(f.name for f in fields(kind)) if is_dataclass(kind) else None


def table_document(layout: TableLayout, table: CodedTable | FlatTable, year: int) -> dict:
    result = {"label": layout.label, "title": layout.title, "kind": layout.body.kind, "empty": table.is_empty()}
    if isinstance(table, CodedTable):
        labels = _coded_labels(layout)
        names = COLUMN_LABELS[CODED_TABLE_OF[layout.id]]  # for a column this form's layout does not print
        result["columns"] = [{"key": col, "label": labels.get(col) or names[col]} for col in table.columns]
        result["rows"] = [{"code": row.code, "name": row.name, "level": row.level,
                           **_figures(row.figures, table.columns, row.value)} for row in table.rows]
    else:
        labels = _flat_labels(layout, year)
        result.update(_figures(table.figures, [*table.figures, *labels], table.value))
        result["labels"] = labels
    return result


def _figures(figures: dict[str, Figure], keys, value) -> dict:
    """Every key's value (zero where nothing was entered), and computed values that differ."""
    values = {key: exact(value(key)) for key in keys}
    computed = {key: exact(f.computed) for key, f in figures.items() if f.computed not in (None, f.value)}
    return {"values": values, **({"computed": computed} if computed else {})}


def _coded_labels(layout: TableLayout) -> dict[str, str]:
    """Header text of each amount column (the columns after code and name)."""
    body = layout.body
    if not isinstance(body, Codes):
        return {}
    return dict(zip(body.columns, map(joined, column_paths(layout.header)[body.code_columns + 1:])))


def _flat_labels(layout: TableLayout, year: int) -> dict[str, str]:
    """Chinese label of each figure key of a flat table, from the layout."""
    body = layout.body
    paths = column_paths(layout.header)
    if isinstance(body, TwoSided):
        labels = {}
        start, ident = 0, body.ident_columns
        for lines, columns in ((body.left, body.left_columns), (body.right, body.right_columns)):
            names = [joined(p[1:] if len(p) > 1 else p) for p in paths[start + ident:start + ident + len(columns)]]
            for line in (ln for ln in lines if ln.key):
                for col, name in zip(columns, names):  # the figure keys of grid._two_sided
                    labels[line.key if col == "amount" else f"{line.key}.{col}"] = (
                        line.label if col == "amount" else f"{line.label}/{name}")
            start += ident + len(columns)
        return labels
    if isinstance(body, Groups):
        names = catalogue("economic", year)
        labels = {code: names.get(code, "") for group in body.groups for code in group}
        return labels | _fixed_labels(body.footer, None)
    if isinstance(body, Rows):
        return _fixed_labels(body.rows, [joined(p) for p in paths])
    return {}


def _fixed_labels(rows: tuple[tuple[Cell, ...], ...], columns: list[str] | None) -> dict[str, str]:
    """Fixed cells: a figure is labelled by the text before it in its row (and its column header)."""
    labels = {}
    for row in rows:
        label = ""
        for _r, col, cell in place([row]):
            if cell.value:
                labels[cell.value] = f"{label}/{columns[col]}" if columns else label
            elif cell.text:
                label = cell.text
    return labels
