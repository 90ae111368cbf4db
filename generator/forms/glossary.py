"""The 名词解释 as data: the built-in default terms, and glossary files a profile names (data/glossaries)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.errors import ContentError, show
from generator.forms.reading import data_file, listed, missing, raise_problems
from generator.resources import DATA
from generator.source.shapes import TEXT, Reader
from generator.source.yamlfile import load_yaml

GLOSSARY_FILE = DATA / "glossary.yaml"
GLOSSARY_DIR = DATA / "glossaries"  # the built-in profiles' own terms, named by their ``glossary:``
TERM_SHAPE = {"term": TEXT, "text": TEXT}


@dataclass
class Term:
    """One entry of the 名词解释."""

    term: str
    text: str


def default_glossary() -> tuple[Term, ...]:
    return glossary_file(str(GLOSSARY_FILE))


@lru_cache(maxsize=None)
def glossary_file(path: str) -> tuple[Term, ...]:
    """A glossary file (a profile's own default terms), in the same format as the built-in one:
    ``terms:``, a list of ``{term, text}``. ContentError names every problem of the file."""
    r = data_file(Path(path))
    data = r.mapping((), r.source.data, "名词解释（terms: 名词列表）")
    r.unknown_keys((), data, ("terms",))
    if "terms" not in data:
        missing(r, ("terms",), "名词的列表，每项 {term: …, text: …}")
    items = listed(r, ("terms",), data.get("terms"), "名词的列表，每项 {term: …, text: …}")
    terms = tuple(_term(r, ("terms", i), item) for i, item in enumerate(items))
    _no_repeats(r, terms)
    raise_problems(r)
    return terms


def _term(r: Reader, path: tuple, item: object) -> Term:
    fields = r.shaped(path, item, TERM_SHAPE, required=("term", "text"))
    return Term(fields["term"], fields["text"])


def _no_repeats(r: Reader, terms: tuple[Term, ...]) -> None:
    seen: dict[str, int] = {}
    for i, term in enumerate(terms):
        if term.term and term.term in seen:
            first = f"第 {seen[term.term] + 1} 项已有 {show(term.term)}"
            r.problem(("terms", i, "term"), "名词重复", "每个名词只解释一次", first)
        seen.setdefault(term.term, i)


def is_glossary(path: Path) -> bool:
    """Whether a YAML file is a glossary (its top level is ``terms:``), as a site may keep its profile's
    glossary beside the profile; a file that cannot be read is not, so that reading it says what is wrong. Every
    command lists the profiles: a file is read again only once it changed."""
    try:
        info = path.stat()
    except OSError:
        return False
    return _is_glossary(str(path), info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=256)
def _is_glossary(path: str, mtime_ns: int, size: int) -> bool:
    try:
        data = load_yaml(Path(path)).data
    except ContentError:
        return False
    return isinstance(data, dict) and "terms" in data
