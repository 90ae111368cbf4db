"""The 附件 of a published disclosure, read back for `juesuan import FILE.pdf` as the department file writes them:
each report's group, title and body (Markdown: its “一、” headings as ####, its “（一）” headings as #####, its ruled
tables as Markdown tables), and a 指标评分表 with its 综合评价等级 as ``scores``.

A report starts at its title, which the 目录 lists under the 附件 part (a PDF without a 目录: a line ending in 报告);
the numbered heading just above a title (“三、部门重点评价项目绩效评价结果”) is its group. The 绩效自评表 the 目录 also
lists there are tables of their own (``evaluations``), not read here, and said so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from generator.authoring.pdf.reading import PAGE_NUMBER, PART_HEADING, Grid, PdfDocument
from generator.authoring.spreadsheet.cells import norm

LEADER = re.compile(r"[.．·…\s]*\d*$")  # a 目录 line's dot leader and page number
DOT_LEADER = re.compile(r"[.．·…]{4,}")
GROUP = re.compile(r"^[一二三四五六七八九十]+、(?P<name>[^，。；：]{2,30})$")
HEADINGS = ((re.compile(r"^[一二三四五六七八九十]+、[^，。；]{1,30}$"), "#### "),
            (re.compile(r"^（[一二三四五六七八九十]+）[^，。；]{1,30}$"), "##### "))
LIST_START = re.compile(r"^(\d{1,2})\.(?=\s*\S)")  # “1. 项目立项。…”: not a Markdown list
SCORE_HEAD = ("分值", "得分")
GRADE = re.compile(r"综合评价(?:结果)?等级[:：为]\s*“?(?P<grade>[^”。，\s]+)")
SELF_EVALUATION = "自评表"
NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


@dataclass
class _Block:
    """A paragraph or a table of the 附件, in reading order."""

    page: int
    top: float
    text: str = ""
    grid: Grid | None = None


def read_attachments(doc: PdfDocument) -> tuple[list[dict], list[str]]:
    """The reports of the 附件 part, and what was not read (the 绩效自评表)."""
    titles = _listed_titles(doc)
    blocks = _blocks(doc)
    if not blocks:
        return [], []
    if not titles:
        titles = [b.text for b in blocks if b.grid is None and b.text.endswith("报告") and len(b.text) <= 40]
    reports, skipped = [], [t for t in titles if t.endswith(SELF_EVALUATION)]
    wanted = {norm(t) for t in titles if not t.endswith(SELF_EVALUATION)}
    current: dict | None = None
    for i, block in enumerate(blocks):
        if block.grid is None and norm(block.text) in wanted:
            group = blocks[i - 1].text if i and blocks[i - 1].grid is None else ""
            current = {"title": block.text, "body": []}
            if match := GROUP.match(group):
                current["group"] = match.group("name")
                if reports and reports[-1]["body"] and reports[-1]["body"][-1] == _paragraph(group):
                    reports[-1]["body"].pop()  # the next report's group heading is not the last one's text
            reports.append(current)
        elif current is not None:
            _add(current, block, blocks[i + 1] if i + 1 < len(blocks) else None)
    notes = [f"附件中的{'、'.join(f'《{t}》' for t in skipped)}（绩效自评表）没有读取，请照 PDF 填写 evaluations"] if skipped else []
    return [_finished(r) for r in reports], notes


def _listed_titles(doc: PdfDocument) -> list[str]:
    """The 目录's entries under the 附件 part (the 目录 may run over several pages: each has dot leaders)."""
    titles: list[str] = []
    toc = inside = False
    for page in doc.pages[:10]:
        if any(norm(line) == "目录" for line in page.lines[:4]):
            toc = True
        elif toc and not any(DOT_LEADER.search(line) for line in page.lines):
            break
        if not toc:
            continue
        for line in page.lines:
            entry = LEADER.sub("", line.replace(" ", ""))
            if PART_HEADING.match(entry):
                inside = entry.endswith("附件")
            elif inside and entry and not PAGE_NUMBER.match(line):
                titles.append(entry)
    return titles


def _blocks(doc: PdfDocument) -> list[_Block]:
    """The 附件 part's paragraphs and tables in reading order (running headers and page numbers left out); a line
    that starts no paragraph continues the last one, across a page break too."""
    blocks: list[_Block] = []
    inside = False
    for page in doc.pages:
        starts = page.starts or [True] * len(page.prose)
        tops = page.tops or [0.0] * len(page.prose)
        events: list[tuple[float, str, bool, Grid | None]] = []
        for line, start, top in zip(page.prose, starts, tops):
            squeezed = line.replace(" ", "")
            if PART_HEADING.match(squeezed):
                inside = squeezed.endswith("附件")
            elif inside and not PAGE_NUMBER.match(squeezed):
                events.append((top, line.strip(), start, None))
        if not inside:
            continue
        events += [(g.top, "", True, g) for g in page.grids]
        for top, text, start, grid in sorted(events, key=lambda e: e[0]):
            if grid is not None and blocks and (last := blocks[-1]).grid is not None and last.page == page.number - 1 \
                    and last.grid.width == grid.width:  # a table the page broke, its header repeated
                head = {tuple(row) for row in last.grid.rows[:3]}
                rows = list(grid.rows)
                while rows and tuple(rows[0]) in head:
                    rows.pop(0)
                last.grid = Grid(last.grid.page, last.grid.top, last.grid.bottom, [], last.grid.rows + rows, set())
                last.page = page.number
            elif grid is not None:
                blocks.append(_Block(page.number, top, grid=grid))
            elif start or not blocks or blocks[-1].grid is not None:
                blocks.append(_Block(page.number, top, text))
            else:
                blocks[-1].text += text
    return blocks


def _add(report: dict, block: _Block, following: _Block | None) -> None:
    if block.grid is not None:
        rows = [[cell.strip() for cell in row] for row in block.grid.rows if any(c.strip() for c in row)]
        if rows and _scored(rows[0]) and "scores" not in report:
            report["scores"] = _scores(rows, report)
            report["body"].append("[评分表]")
        elif rows:
            report["body"].append(_table(rows))
        return
    text = block.text
    if (following is not None and following.grid is not None and "scores" not in report and text.endswith("评分表")
            and len(text) <= 40 and _scored(following.grid.rows[0] if following.grid.rows else [])):
        report["score_title"] = text  # the score table's title, printed above it
        return
    if grade := GRADE.search(text):
        if "scores" in report and text.startswith("绩效评价得分"):
            report["scores"]["grade"] = grade.group("grade")
            return
    report["body"].append(_paragraph(text))


def _scored(head: list[str]) -> bool:
    """Whether a table's header is a 指标评分表's (分值, 得分)."""
    return all(h in [norm(c) for c in head] for h in SCORE_HEAD)


def _paragraph(text: str) -> str:
    for pattern, mark in HEADINGS:
        if pattern.match(text):
            return mark + text
    return LIST_START.sub(r"\1\\.", text, count=1)


def _scores(rows: list[list[str]], report: dict) -> dict:
    """A 指标评分表: 一级指标, 分值, 得分 (得分率 as printed), and its 合计 row."""
    head = rows[0]
    name, weight, score = 0, head.index("分值"), head.index("得分")
    rate = next((i for i, h in enumerate(head) if "得分率" in h), None)
    scored, total = [], None
    for row in rows[1:]:
        if norm(row[name]) in ("合计", "总计", "总分"):  # as printed: the check holds it to the rows' sum
            total = {"weight": _number(row[weight]), "score": _number(row[score])}
            continue
        entry = {"name": row[name], "weight": _number(row[weight]), "score": _number(row[score])}
        if rate is not None and row[rate]:
            entry["rate"] = row[rate]
        scored.append(entry)
    table = {"title": report.pop("score_title", ""), "rows": scored}
    return table | ({"total": total} if total else {})


def _number(text: str) -> Decimal | str:
    """A score as printed: a number where it is one (the marks —, / stay text)."""
    return Decimal(text) if NUMBER.match(text) else text


def _table(rows: list[list[str]]) -> str:
    """A ruled table as a Markdown table: its first row the header (a merged cell's text in each column it spans)."""
    width = max(len(r) for r in rows)
    cells = [[c.replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    return "\n".join(lines)


def _finished(report: dict) -> dict:
    report.pop("score_title", None)
    result = {k: report[k] for k in ("group", "title") if k in report}
    if "scores" in report:
        result["scores"] = report["scores"]
    result["body"] = "\n\n".join(report["body"])
    return result
