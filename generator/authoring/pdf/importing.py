"""`juesuan import FILE.pdf`: last year's published disclosure → this tool's department file.

The PDF's tables are read as sheets (``reading``) and go through the workbook importer's own reader and writer
(``spreadsheet.workbooks.import_sheets``): found by their titles first (a PDF's printed labels may be wrong), read
by the form's layouts, every figure as printed, a bad cell located by page, row and column.
"""

from __future__ import annotations

from pathlib import Path

from generator.authoring.pdf.reading import read_pdf, table_sheets
from generator.authoring.spreadsheet.workbooks import ImportResult, department_target, import_sheets
from generator.errors import display_path


def import_pdf(pdf: Path, dept_id: str, year: int, content_dir: Path = Path("content"), name: str | None = None,
               profile: str | None = None) -> ImportResult:
    """Read the tables of a published disclosure PDF into ``content_dir/<year>/<dept_id>.yaml``."""
    shown = display_path(pdf)
    target = department_target(dept_id, year, content_dir)
    doc = read_pdf(pdf, shown)
    cover = doc.cover
    return import_sheets(table_sheets(doc), shown, pdf.name, target, year, name, profile, titles_first=True,
                         name_hint=cover[0] if cover else None)
