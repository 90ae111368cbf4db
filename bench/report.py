"""bench/REPORT.md is written by several benchmarks, each owning its ``## `` sections: one publishes its own and
keeps every other as it is."""

from __future__ import annotations

from pathlib import Path

REPORT = Path(__file__).resolve().parent / "REPORT.md"


def sections(text: str) -> list[tuple[str, str]]:
    """``text`` cut at its ``## `` headings: (heading, the section's text), the part before the first as ("", …)."""
    parts: list[tuple[str, str]] = []
    for line in text.splitlines(keepends=True):
        if line.startswith("## ") or not parts:
            parts.append((line.rstrip("\n") if line.startswith("## ") else "", ""))
        parts[-1] = (parts[-1][0], parts[-1][1] + line)
    return parts


def publish(text: str, report: Path = REPORT) -> None:
    """Put ``text`` (one benchmark's sections) into ``report``: a section of the same heading is replaced in its
    place, the others kept; new sections go at the end. A text that opens without a ``## `` heading (the scale
    benchmark's, with the file's title) replaces the file's opening."""
    old = sections(report.read_text(encoding="utf-8")) if report.exists() else []
    new = dict(sections(text))
    merged, used = [], set()
    for heading, body in old:
        if heading in new:
            merged.append(new[heading].rstrip("\n") + "\n\n")
            used.add(heading)
        else:
            merged.append(body)
    merged += [body.rstrip("\n") + "\n\n" for heading, body in new.items() if heading not in used]
    report.write_text("".join(merged).rstrip("\n") + "\n", encoding="utf-8")
