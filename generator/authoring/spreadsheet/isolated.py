"""Reading an .xls file with python-calamine in a child process whose memory is capped.

calamine lays a sheet out as one dense grid from its first filled cell to its last before anything can be asked
of it, so two cells far apart (A1 and IV65536: a 6 KB file) cost a gigabyte. An .xls file cannot be measured
before that without taking its compound-file container apart, so it is read in a child process limited to
``MEMORY_LIMIT`` of address space: a file that needs more is refused, and this process never holds it. The child
writes each worksheet's name, first filled column, merged ranges and rows as JSON, no more of them than the
bounds and one beyond (where the parent locates a fault); dates and times as their ISO text.

Run as ``python -m generator.authoring.spreadsheet.isolated ROWS COLUMNS`` with the file's bytes on stdin.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from datetime import date, time, timedelta
from io import BytesIO

import python_calamine

MEMORY_LIMIT = 1 << 30  # bytes of address space: a department's sheets need a small part of it
TIME_LIMIT = 60  # seconds
NOT_READABLE = 3  # the child's exit status for a file calamine cannot read


class TooBig(Exception):
    """The file needs more memory or time than the child may take."""


class NotReadable(Exception):
    """calamine cannot read the file (another format, encrypted, broken)."""


def read_isolated(data: bytes, rows: int, columns: int) -> list[dict]:
    """Each worksheet of an .xls file's bytes as {name, start_col, rows, merges}, read in a capped child process."""
    try:
        done = subprocess.run([sys.executable, "-m", __name__, str(rows), str(columns)], input=data,
                              capture_output=True, timeout=TIME_LIMIT, preexec_fn=_capped, check=False)
    except subprocess.TimeoutExpired:
        raise TooBig from None
    if done.returncode == NOT_READABLE:
        raise NotReadable
    if done.returncode != 0:  # out of memory: a MemoryError, or calamine's allocator aborting
        raise TooBig
    return json.loads(done.stdout)


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _sheets(data: bytes, rows: int, columns: int) -> list[dict]:
    book = python_calamine.CalamineWorkbook.from_filelike(BytesIO(data))
    out = []
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        ws = book.get_sheet_by_name(meta.name)
        start_col = ws.start[1] if ws.start else 0
        taken = []
        for number, row in enumerate(ws.iter_rows() if ws.end else ()):
            if number > rows:
                break
            taken.append([_plain(value) for value in row[:columns + 1 - start_col]])
        out.append({"name": meta.name, "start_col": start_col, "rows": taken,
                    "merges": [list(corners) for corners in ws.merged_cell_ranges or ()]})
    return out


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, (date, time)) else str(value) if isinstance(value, timedelta) \
        else value


def main() -> None:
    rows, columns = int(sys.argv[1]), int(sys.argv[2])
    try:
        sheets = _sheets(sys.stdin.buffer.read(), rows, columns)
    except MemoryError:
        raise
    except Exception:  # calamine reports a file it cannot read in many ways
        sys.exit(NOT_READABLE)
    json.dump(sheets, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
