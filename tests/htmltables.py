"""Reading the generated tables back out of the HTML, as a reader of the page would."""

from __future__ import annotations


def table(page, table_id: str):
    return page.select_one(f'table[data-table="{table_id}"]')


def header_cells(tbl) -> list[list[tuple[str, int, int]]]:
    """Header rows as (text, colspan, rowspan) triples."""
    return [[(th.get_text(strip=True), int(th.get("colspan", 1)), int(th.get("rowspan", 1)))
             for th in tr.find_all(["th", "td"])] for tr in tbl.thead.find_all("tr")]  # a blank cell is a td


def body_rows(tbl) -> list[list]:
    return [tr.find_all(["th", "td"]) for tr in tbl.tbody.find_all("tr")]


def coded(tbl) -> dict[str, list[str]]:
    """Code (or 合计) → the amount cells' text."""
    result = {}
    for cells in body_rows(tbl):
        key = cells[0].get_text(strip=True)
        result[key] = [c.get_text(strip=True) for c in cells if "amount" in (c.get("class") or [])]
    return result


def coded_names(tbl) -> dict[str, str]:
    return {cells[0].get_text(strip=True): cells[1].get_text(strip=True)
            for cells in body_rows(tbl) if cells[0].get_text(strip=True).isdigit()}


def two_sided(tbl) -> dict[int, list[str]]:
    """行次 → the amount cells printed on that line's side."""
    result: dict[int, list[str]] = {}
    for cells in body_rows(tbl):
        current = None
        for c in cells:
            classes = c.get("class") or []
            if "line" in classes:
                current = int(c.get_text(strip=True))
                result[current] = []
            elif "amount" in classes and current is not None:
                result[current].append(c.get_text(strip=True))
    return result


def two_sided_labels(tbl) -> dict[int, str]:
    result = {}
    for cells in body_rows(tbl):
        for label, line in zip(cells, cells[1:]):
            if "line" in (line.get("class") or []):
                result[int(line.get_text(strip=True))] = label.get_text(strip=True)
    return result


def groups(tbl) -> dict[str, str]:
    """公开06表: code → amount; footers as personnel / public."""
    result = {}
    for cells in body_rows(tbl):
        texts = [c.get_text(strip=True) for c in cells]
        if "人员经费合计" in texts:
            amounts = [c.get_text(strip=True) for c in cells if "amount" in (c.get("class") or [])]
            result["personnel"], result["public"] = amounts
            continue
        for i, c in enumerate(cells):
            if "code" in (c.get("class") or []):
                result[c.get_text(strip=True)] = cells[i + 2].get_text(strip=True)
    return result


def fixed_rows(tbl) -> dict[str, list[str]]:
    return {cells[0].get_text(strip=True): [c.get_text(strip=True) for c in cells[1:]] for cells in body_rows(tbl)}
