"""The files pages link (stylesheets, scripts, images under the templates' ``assets/``), published under names that
carry a hash of their content.

Every file under ``assets/`` of the built-in templates, and of a site's own template folder (its file of a name
replacing the built-in one), is published as ``assets/<name>.<hash8><suffix>``, e.g. ``assets/juesuan.1a2b3c4d.css``:
a changed file gets a new name, so a host may cache assets for a year without serving an old stylesheet after an
upgrade. Templates link them through the ``asset`` filter (``{{ root }}{{ "juesuan.css"|asset }}``), so a file
added to the folder needs no code. The files the PDF takes in (``INLINED``) are templates of the print document,
never linked by a page, and are not published.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.resources import BUILTIN_TEMPLATES

FOLDER = "assets"
INLINED = frozenset({"print.css", "watermark.svg"})  # rendered into the PDF (print.html, the draft watermark)
HASH_LENGTH = 8


class UnknownAsset(LookupError):
    """A template linked a file that no ``assets/`` folder holds."""

    def __str__(self) -> str:
        return f"模板链接的文件 {FOLDER}/{self.args[0]} 不存在（内置模板和自定义模板的 {FOLDER}/ 目录中都没有）"


@dataclass(frozen=True)
class Assets:
    """The published assets: each file's name under ``assets/`` and its content."""

    files: dict[str, bytes]

    @classmethod
    def of(cls, template_dir: str | Path | None) -> "Assets":
        """The built-in assets, with a site's template folder's own replacing or adding to them."""
        files = _folder_files(BUILTIN_TEMPLATES / FOLDER)
        if template_dir:
            files |= _folder_files(Path(template_dir) / FOLDER)
        return cls({name: data for name, data in sorted(files.items()) if name not in INLINED})

    def path(self, name: str) -> str:
        """The site path of asset ``name`` (``juesuan.css`` → ``assets/juesuan.1a2b3c4d.css``); the ``asset``
        filter."""
        if name not in self.files:
            raise UnknownAsset(name)
        return versioned(name, self.files[name])

    def site_files(self) -> dict[str, bytes]:
        return {versioned(name, data): data for name, data in self.files.items()}


def versioned(name: str, data: bytes) -> str:
    """``assets/<stem>.<first 8 hex digits of SHA-256><suffix>``."""
    path = PurePosixPath(name)
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return f"{FOLDER}/{path.with_name(f'{path.stem}.{digest}{path.suffix}')}"


def _folder_files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by its path from it (with "/"), in name order."""
    files = {}
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(root, name)
            if path.is_file():
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files
