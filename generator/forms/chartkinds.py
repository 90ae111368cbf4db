"""The chart kinds a profile or site.yaml may ask for (data/charts.yaml): what each chart is and where it goes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from generator.resources import DATA

CATALOGUE = DATA / "charts.yaml"


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
    raw = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return {key: ChartKind(key, **spec) for key, spec in raw.items()}
