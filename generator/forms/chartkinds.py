"""The chart kinds a profile or site.yaml may ask for (data/charts.yaml): what each chart is and where it goes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from generator.forms.reading import data_file, known, raise_problems
from generator.forms.sections import SECTION_KEYS, STAFF_SECTION
from generator.resources import DATA
from generator.source.shapes import TEXT, Reader

CATALOGUE = DATA / "charts.yaml"
DRAWINGS = ("bars", "pie")
CHART_SHAPE = {"kind": TEXT, "title": TEXT, "section": TEXT, "unit": TEXT, "subject": TEXT}


@dataclass(frozen=True)
class ChartKind:
    key: str
    kind: str  # bars | pie
    title: str
    section: str
    unit: str = "万元"
    subject: str = ""  # a pie's whole, for the sentence that replaces a one-slice pie


@lru_cache(maxsize=1)
def chart_kinds() -> dict[str, ChartKind]:
    """Every chart kind by key; ContentError names every problem of the file."""
    r = data_file(CATALOGUE)
    kinds = {str(key): _kind(r, str(key), spec) for key, spec in r.mapping((), r.source.data, "各种图（键: 说明）").items()}
    raise_problems(r)
    return kinds


def _kind(r: Reader, key: str, spec: object) -> ChartKind:
    fields = r.shaped((key,), spec, CHART_SHAPE, required=("kind", "title", "section"))
    if fields["kind"]:
        known(r, (key, "kind"), fields["kind"], DRAWINGS, "没有这种图形")
    if fields["section"]:
        known(r, (key, "section"), fields["section"], (STAFF_SECTION, *SECTION_KEYS), "没有这一节")
    return ChartKind(key, fields["kind"], fields["title"], fields["section"], fields["unit"] or "万元", fields["subject"])
