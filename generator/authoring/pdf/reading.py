"""A published disclosure PDF read into text lines and table sheets (pdfplumber: characters and ruling lines).

Any producer's PDF is read the same way: this tool's (WeasyPrint), Word's, WPS's, an office suite's. Each page
gives its text lines and its ruled tables; a table's grid comes from the ruling lines (pdfplumber's table finder),
a merged cell filled over the grid positions it spans, as a workbook's merged range is (``Sheet.covered``).

The tables of the document are then put together as the workbook importer sees sheets: a table starts where a
title line (a line ending in 表, not a part heading) stands above a grid, the lines between the title and the grid
(部门, 单位, 公开NN表) are its top rows, and a grid at the top of the next page without a title of its own
continues it, its repeated header rows dropped. The sheets are named by their title and page, and each cell is
located as “第 26 页 第 3 行第 4 列” in messages.

A PDF without a text layer (a scan) has nothing to read: that is said, with the file, rather than importing
nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pdfplumber

from generator.authoring.spreadsheet.cells import Sheet, norm
from generator.errors import ContentError, Problem
from generator.source.yamlfile import NotRegular, TooLarge, Unreadable, read_regular

MB = 1 << 20
MAX_PDF_BYTES = 100 * MB  # a disclosure with its 附件 is a few MB; a scan of one some tens
MAX_PAGES = 1_000
TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "snap_tolerance": 3,
                  "join_tolerance": 3, "intersection_tolerance": 3}
CELL_GAP = 18.0  # points between two words of one line that put them in separate cells (a letter-spaced title: ~5)
LINE_TOLERANCE = 3.0  # points beyond a line's first word within which another word's middle is on the line
PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")  # a part's heading, or its running header
PARAGRAPH_END = "。！？；：”）"  # a line ending short with one of these may end its paragraph
LIST_MARK = re.compile(r"^(?:\d{1,2}[.、．](?!\d)|（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]+、)")
SENTENCE = re.compile(r"[，。；]")
PAGE_NUMBER = re.compile(r"^[—–\-\s]*\d+[—–\-\s]*$")
_NOT_TITLE = re.compile(r"^(?:(?:编制)?(?:部门|单位)(?:名称)?[:：]|(?:金额)?单位[:：]|公开\d+表$)")  # 部门：…, 公开10表
_SPACED = re.compile(r"(?<=[\u2018-\u201d\u3000-\u9fff\uff00-\uffef0-9])\s+(?=[\u2018-\u201d\u3000-\u9fff\uff00-\uffef0-9])")


@dataclass
class Grid:
    """One ruled table on one page: its cells' text (None where a merged cell covers the position)."""

    page: int  # 1-based
    top: float
    bottom: float
    above: list[list[str]]  # the text lines between the previous grid (or the page's top) and this one, as cells
    rows: list[list[str]]
    covered: set[tuple[int, int]]  # positions a merged cell covers beyond its first

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class PdfPage:
    number: int
    lines: list[str]  # the page's text, line by line (letter-spacing between CJK characters removed)
    grids: list[Grid] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)  # the lines outside its ruled tables
    starts: list[bool] = field(default_factory=list)  # for each prose line: whether a paragraph starts with it
    tops: list[float] = field(default_factory=list)  # for each prose line: its top (points from the page's top)


@dataclass
class PdfDocument:
    shown: str  # the file as messages name it
    pages: list[PdfPage]

    @property
    def cover(self) -> list[str]:
        """The first page's lines: the department's name, the title, the approvals."""
        return [line for line in self.pages[0].lines if line] if self.pages else []


class PdfSheet(Sheet):
    """A table of the PDF as the workbook importer reads a sheet; its cells located by page, row and column."""

    def __init__(self, name: str, values: list[list[object]], covered: set[tuple[int, int]], pages: list[int]):
        super().__init__(name, values, covered)
        self.pages = pages  # the page of each row

    def cell(self, row: int, col: int) -> str:
        page = self.pages[row] if 0 <= row < len(self.pages) else self.pages[-1]
        return f"第 {page} 页“{self.name}”第 {row + 1} 行第 {col + 1} 列"


def read_pdf(path: Path, shown: str) -> PdfDocument:
    """The PDF's pages as text lines and ruled grids; ContentError if it cannot be read or has no text layer."""
    data = _file_bytes(path, shown)
    try:
        with pdfplumber.open(BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise ContentError([Problem(shown, None, "", f"页数超过 {MAX_PAGES} 页，不像一份部门决算",
                                            f"不超过 {MAX_PAGES} 页的 PDF", f"{len(pdf.pages)} 页")])
            pages = [_page(page, number) for number, page in enumerate(pdf.pages, 1)]
    except ContentError:
        raise
    except Exception:  # pdfminer reports a broken or encrypted file in many ways
        raise ContentError([Problem(shown, None, "", "不是可以读取的 PDF 文件", "未加密的 PDF 文件",
                                    "其他格式、已损坏或加密的文件")]) from None
    if not any(line for page in pages for line in page.lines):
        raise ContentError([Problem(shown, None, "", "PDF 没有文字层（可能是扫描件），读不出任何文字",
                                    "由 Word、WPS 等导出或本工具生成的 PDF（扫描件须先做文字识别）", "只有图像的 PDF")])
    return PdfDocument(shown, pages)


def _file_bytes(path: Path, shown: str) -> bytes:
    try:
        return read_regular(path, MAX_PDF_BYTES)
    except TooLarge:
        raise ContentError([Problem(shown, None, "", f"文件超过 {MAX_PDF_BYTES // MB} MB",
                                    f"不超过 {MAX_PDF_BYTES // MB} MB 的 PDF")]) from None
    except (NotRegular, Unreadable):
        raise ContentError([Problem(shown, None, "", "无法读取该文件", "普通的 PDF 文件")]) from None


def _page(page, number: int) -> PdfPage:
    # Text set at a slant is a watermark or a stamp laid over the page (a draft's “仅供内部审核”), never the document's
    # own (a narrow header set vertically is at a right angle, and kept)
    page = page.filter(lambda obj: obj.get("object_type") != "char" or not _slanted(obj.get("matrix")))
    words = page.extract_words(use_text_flow=False, keep_blank_chars=False, x_tolerance=1.5, y_tolerance=2)
    lines = [" ".join(cells) for cells in _lines(words)]
    result = PdfPage(number, lines)
    previous = 0.0
    tables = sorted(page.find_tables(TABLE_SETTINGS), key=lambda t: t.bbox[1])
    for table in tables:
        top, bottom = table.bbox[1], table.bbox[3]
        above = [w for w in words if previous <= w["top"] and w["bottom"] <= top + 1]
        result.grids.append(Grid(number, top, bottom, _lines(above), *_rows(table)))
        previous = bottom
    outside = [w for w in words if not any(_within(w, t.bbox) for t in tables)] if tables else words
    placed = _placed_lines(outside)
    result.prose = [" ".join(_cells(line)) for line in placed]
    result.starts = _paragraph_starts(placed)
    result.tops = [line[0]["top"] for line in placed]
    return result


def _paragraph_starts(lines: list[list[dict]]) -> list[bool]:
    """Where the page's paragraphs start. After a line that ends a sentence: a line indented from the text's left
    edge (the two-character indent of a Chinese paragraph, a centred heading), numbered (“2.”, “（三）”), or after a
    line that stops short of the right edge. After a heading (a short line without a sentence's punctuation): any
    line. A list item's wrapped lines are indented too, but follow no sentence's end; a line cut short by a long
    number that cannot be broken ends no sentence. A page's running header and number are passed over: the first
    line of the text is a paragraph's if indented or numbered (else it continues the previous page's)."""
    text = [line for line in lines if not _furniture(line)]
    if not text:
        return [True] * len(lines)
    left = min(line[0]["x0"] for line in text)
    right = max(max(w["x1"] for w in line) for line in text)
    starts, before = [], None
    for line in lines:
        if _furniture(line):
            starts.append(True)
            continue
        size = line[0]["bottom"] - line[0]["top"]
        opens = line[0]["x0"] - left > size or LIST_MARK.match(line[0]["text"]) is not None
        if before is None:
            starts.append(opens)
        else:
            last = before[-1]["text"].rstrip()[-1:]
            short = right - before[-1]["x1"] > 2 * size
            heading = short and not any(SENTENCE.search(w["text"]) for w in before)
            starts.append(heading or last in PARAGRAPH_END and (opens or short))
        before = line
    return starts


def _furniture(line: list[dict]) -> bool:
    """A running header (第二部分…) or a page number: no part of the text."""
    squeezed = "".join(w["text"] for w in line)
    return PAGE_NUMBER.match(squeezed) is not None or PART_HEADING.match(squeezed) is not None


def _within(word: dict, box: tuple) -> bool:
    middle_x, middle_y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return box[0] <= middle_x <= box[2] and box[1] <= middle_y <= box[3]


def _slanted(matrix) -> bool:
    return bool(matrix) and abs(matrix[0]) > 1e-3 and abs(matrix[1]) > 1e-3


def _lines(words: list[dict]) -> list[list[str]]:
    """Words grouped into lines (by their top), each line cut into cells where a wide gap separates words."""
    return [_cells(line) for line in _placed_lines(words)]


def _placed_lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into lines, top to bottom, each line's words left to right."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        # on the line when its middle is within the line's height: digits set in another font sit a few points
        # lower than the characters around them (“减少56.95万元”)
        middle = (word["top"] + word["bottom"]) / 2
        if lines and lines[-1][0]["top"] - LINE_TOLERANCE <= middle <= lines[-1][0]["bottom"] + LINE_TOLERANCE / 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _cells(line: list[dict]) -> list[str]:
    """A line's words cut into cells where a wide gap separates them."""
    cells: list[list[str]] = []
    last = None
    for word in line:
        if last is None or word["x0"] - last > CELL_GAP:
            cells.append([])
        cells[-1].append(word["text"])
        last = word["x1"]
    return [_spaced_out(" ".join(c)) for c in cells]


def _spaced_out(text: str) -> str:
    """Letter-spacing between CJK characters and digits removed (“2 0 2 3 年 度” → “2023年度”)."""
    return _SPACED.sub("", unicodedata.normalize("NFC", text)).strip()


def _rows(table) -> tuple[list[list[str]], set[tuple[int, int]]]:
    """The table's text by grid position, and the positions a merged cell covers beyond its first (filled with its
    text, as a workbook's merged range is). The grid's rows and columns start at the cells' distinct tops and lefts,
    as pdfplumber's own rows do; a cell spans every start inside it."""
    texts = table.extract()
    tops = sorted({round(cell[1], 1) for cell in table.cells})
    lefts = sorted({round(cell[0], 1) for cell in table.cells})
    values: list[list[str]] = [["" for _ in lefts] for _ in tops]
    covered: set[tuple[int, int]] = set()
    for cell in table.cells:
        r0, c0 = tops.index(round(cell[1], 1)), lefts.index(round(cell[0], 1))
        r1 = sum(1 for t in tops if t < cell[3] - 1)
        c1 = sum(1 for x in lefts if x < cell[2] - 1)
        text = texts[r0][c0] if r0 < len(texts) and c0 < len(texts[r0]) else None
        text = _cell_text(text or "")
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                values[r][c] = text
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    return values, covered


def _cell_text(text: str) -> str:
    """A cell's lines joined: a name wrapped in a narrow column reads as one (“附属单\\n位上\\n缴收入”)."""
    return _spaced_out("".join(part.strip() for part in text.split("\n")))


# -- the document's tables, as sheets ----------------------------------------------------------------------------

def table_sheets(doc: PdfDocument) -> list[PdfSheet]:
    """Every titled table of the document, continued across pages, as a sheet (title and top lines first)."""
    sheets: list[PdfSheet] = []
    current: tuple[list, list, set, list] | None = None  # title, values, covered, pages
    last_grid: Grid | None = None
    for page in doc.pages:
        for index, grid in enumerate(page.grids):
            title = _title(grid.above)
            continues = (title is None and current is not None and last_grid is not None and index == 0
                         and grid.page == last_grid.page + 1 and grid.width == last_grid.width)
            if title is not None:
                if current is not None:
                    sheets.append(_sheet(*current))
                values = [list(cells) for cells in grid.above if cells]
                pages = [grid.page] * len(values)
                current = (title, values, set(), pages)
                _append(current, grid, repeated=0)
            elif continues:
                _append(current, grid, repeated=_header_rows(current, grid))
            else:
                if current is not None:
                    sheets.append(_sheet(*current))
                current = None
            last_grid = grid if (title is not None or continues) else None
    if current is not None:
        sheets.append(_sheet(*current))
    return sheets


def _title(lines: list[list[str]]) -> str | None:
    """The table's title among the lines above its grid: the last line ending in 表 that is not a part heading."""
    found = None
    for cells in lines:
        text = norm(" ".join(cells))
        if text.endswith("表") and not PART_HEADING.match(text) and not _NOT_TITLE.match(text):
            found = " ".join(cells)
    return found


def _append(current: tuple, grid: Grid, repeated: int) -> None:
    _title_, values, covered, pages = current
    offset = len(values) - repeated
    for r, row in enumerate(grid.rows[repeated:], repeated):
        values.append(list(row))
        pages.append(grid.page)
        covered.update((offset + r, c) for c in range(len(row)) if (r, c) in grid.covered)


def _header_rows(current: tuple, grid: Grid) -> int:
    """How many of a continued grid's first rows repeat the table's header (WeasyPrint repeats <thead>)."""
    _title_, values, _covered, _pages = current
    seen = {tuple(norm(v) for v in row) for row in values}
    count = 0
    for row in grid.rows:
        if tuple(norm(v) for v in row) in seen and not _has_amount(row):
            count += 1
        else:
            break
    return count


_AMOUNT = re.compile(r"^-?[\d,]*\.\d+$")


def _has_amount(row: list) -> bool:
    return any(_AMOUNT.match(norm(v)) for v in row)


def _sheet(title: str, values: list[list], covered: set, pages: list[int]) -> PdfSheet:
    width = max((len(r) for r in values), default=0)
    values = [row + [None] * (width - len(row)) for row in values]
    values, covered, pages = _split_header_total(values, covered, pages)
    return PdfSheet(f"{title}（第 {pages[0]} 页）", values, covered, pages)


def _split_header_total(values: list[list], covered: set, pages: list[int]) -> tuple[list[list], set, list[int]]:
    """A row that is both the header's last and the 合计 line (an office suite draws the 类/款/项 heads in the 合计
    row: “类 款 项 合计 2,946.25 …”) split in two: the heads as a header row, the rest as the 合计 line."""
    for r, row in enumerate(values):
        texts = [norm(v) for v in row]
        if "合计" not in texts:
            continue
        at = texts.index("合计")
        heads, after = texts[:at], texts[at + 1:]
        if at and all(t and not _AMOUNT.match(t) for t in heads) and any(_AMOUNT.match(t) for t in after):
            head = [v if c < at else "" for c, v in enumerate(row)]
            total = ["" if c < at else v for c, v in enumerate(row)]
            moved = {(rr + (rr > r), c) for rr, c in covered}
            moved |= {(r + 1, c) for rr, c in covered if rr == r and c >= at}
            moved = {(rr, c) for rr, c in moved if not (rr == r and c >= at)}
            return values[:r] + [head, total] + values[r + 1:], moved, pages[:r + 1] + pages[r:]
        break
    return values, covered, pages
