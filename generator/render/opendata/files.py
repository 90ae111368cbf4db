"""Open data for a department-year: each table as CSV, all tables as XLSX, the model as JSON.

Everything is read off the computed model and the grids the page prints
(``grid.build_grids``), table by table as the form's layout lists them, so a form with a
further table gets its files without code changes. File names are ASCII and stable,
relative to the department's folder ``site/<year>/<id>/``:

- ``<id>-<year>-<table id>.csv`` per table (e.g. ``xianyang-rsj-2023-t01.csv``): UTF-8 with
  BOM, CRLF line ends, one header row, tidy records (see ``records``). Amounts are plain
  decimals rounded half-up to 0.01 万元 as printed, without separators; zero is ``0.00``; an
  empty cell means the line has no such column (公开04表 收入 lines have no 合计 …).
  Codes and 行次 are written as they are (text: read them with ``dtype=str``). A text cell
  that a spreadsheet would take for a formula (one starting with ``=``, ``+``, ``-``, ``@``,
  tab or carriage return, such as a 科目 name ``=HYPERLINK(…)``) starts with a ``'``
  (OWASP's rule against CSV injection); amounts are numbers and keep their ``-``.
  Each amount column's name states the unit: ``本年收入合计（万元）`` (see ``records``).
- ``<id>-<year>.xlsx``: one sheet per table, laid out like the print (see ``workbook``), dated by the build.
- ``<id>-<year>.json``: the whole model with exact amounts (see ``document``).

The same input (and build time: SOURCE_DATE_EPOCH) gives the same bytes for all three.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from generator.compute.figures import Computed
from generator.content.siteconfig import SiteInfo
from generator.forms.vocabulary import file_stem
from generator.render.grid import grids_of
from generator.render.opendata.document import json_bytes
from generator.render.opendata.records import Records, records
from generator.render.opendata.workbook import workbook_bytes

__all__ = ["DataLinks", "data_links", "open_data_files", "csv_text"]


@dataclass(frozen=True)
class DataLinks:
    """Names of a department's data files, for links from its page."""

    tables: dict[str, str]  # table id → CSV file name
    xlsx: str
    json: str


def data_links(c: Computed) -> DataLinks:
    stem = file_stem(c.department.id, c.department.year)
    return DataLinks({tid: f"{stem}-{tid}.csv" for tid in c.form.tables}, f"{stem}.xlsx", f"{stem}.json")


def open_data_files(c: Computed, built_at: datetime | None = None, site: SiteInfo | None = None) -> dict[str, bytes]:
    """File name (in the department's folder) → bytes, for every open data file; ``built_at`` and ``site`` go
    into the workbook's document properties."""
    links = data_links(c)
    grids = grids_of(c)
    files = {links.tables[grid.layout.id]: csv_text(records(grid)).encode("utf-8-sig") for grid in grids}
    files[links.xlsx] = workbook_bytes(c, grids, built_at, site)
    files[links.json] = json_bytes(c)
    return files


def csv_text(table: Records) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_text(name) for name in table.columns])
    writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
    return out.getvalue()


def _csv_cell(value: str | Decimal | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if not value:
            return "0.00"  # never "-0.00"
        text = str(value)  # records round to cents, which str already shows as "1234.50"
        return text if text[-3:-2] == "." else f"{value:.2f}"
    return _text(value)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """A text cell as a spreadsheet shows it, never as a formula it would run: names come from department files
    and profiles, and a CSV opened in Excel or WPS evaluates ``=HYPERLINK(…)`` or ``-2+3`` typed as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
