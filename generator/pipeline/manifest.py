"""manifest.json and SHA256SUMS: what the tool wrote into a site, file by file.

The manifest is how the tool knows a folder for a site it built (and may replace), which of its
files are the tool's (everything else a webmaster put there is kept by the next build, see
``foreign``), and, before a new site is swapped in, that the staged files are all there.
"""

from __future__ import annotations

import json
import os
import re
import stat
from datetime import datetime
from functools import partial
from pathlib import Path

from generator.errors import ContentError, Problem

MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
REWRITTEN = (MANIFEST, CHECKSUMS)  # at the site's root: written anew by every build, never carried over
_OURS = re.compile(r'\{\s*"generator":\s*"juesuan')  # how write_manifest begins


def write_manifest(folder: str, digests: dict[str, tuple[int, str]], version: str, built_at: datetime) -> None:
    """manifest.json and SHA256SUMS in ``folder``: every file with its size and SHA-256, to verify a deployment.

    ``sha256sum -c SHA256SUMS`` in the deployed directory checks every file. Written entry by entry (the
    layout of ``json.dumps(manifest, indent=1)``): a province's site lists a hundred thousand files.
    """
    ordered = sorted(digests.items())
    with open(os.path.join(folder, MANIFEST), "w", encoding="utf-8", newline="\n") as out:
        out.write(f'{{\n "generator": {_json(f"juesuan {version}")},\n "built_at": {_json(built_at.isoformat())},\n')
        out.write(' "files": [')
        separator = "\n"
        for path, (size, sha) in ordered:
            out.write(f'{separator}  {{\n   "path": {_json(path)},\n   "size": {size},\n   "sha256": "{sha}"\n  }}')
            separator = ",\n"
        out.write("\n ]\n}\n" if ordered else "]\n}\n")
    with open(os.path.join(folder, CHECKSUMS), "w", encoding="utf-8", newline="\n") as out:
        out.writelines(f"{sha}  {path}\n" for path, (_size, sha) in ordered)


_json = partial(json.dumps, ensure_ascii=False)


def is_built_site(directory: Path) -> bool:
    """Whether ``directory`` holds a site this tool built: by its manifest, not by any one page or asset (a theme
    folder holds assets/juesuan.css too)."""
    manifest = directory / MANIFEST
    if not manifest.is_file():
        return False
    try:  # its first lines: the manifest of a province's site runs to tens of megabytes
        with open(manifest, encoding="utf-8", errors="replace") as text:
            return _OURS.match(text.read(4096)) is not None
    except OSError:
        return False


def listed_files(site: Path) -> set[str]:
    """The files the tool wrote into ``site`` by its manifest; none for a folder that does not exist or is empty.
    ContentError for a manifest that is the tool's by its first line but cannot be read as a whole: which of the
    site's files are someone else's could not be told."""
    manifest = site / MANIFEST
    if not manifest.is_file():
        return set()
    try:
        with open(manifest, encoding="utf-8") as text:
            return {item["path"] for item in json.load(text)["files"]}
    except (ValueError, KeyError, TypeError) as exc:
        raise ContentError([Problem(str(manifest), None, "", "上次生成的文件清单已损坏，无法分辨网站中哪些文件是本工具生成的、"
                                    "哪些是另外放入的，本次未发布；请检查该文件，或把要保留的文件移到别处、清空输出目录后再生成",
                                    "juesuan 写出的 manifest.json", type(exc).__name__)]) from None


def check_staged(folder: str, digests: dict[str, tuple[int, str]], shown: str) -> None:
    """Every file the manifest will list is in ``folder`` with its recorded size (its size only: the files were
    hashed as they were written). ContentError otherwise: another program removed or changed them."""
    wrong = [rel for rel, (size, _sha) in digests.items() if not _has_size(os.path.join(folder, rel), size)]
    if wrong:
        listed = "、".join(sorted(wrong)[:5]) + (f" 等 {len(wrong)} 个文件" if len(wrong) > 5 else "")
        raise ContentError([Problem(shown, None, "", f"新网站写好后有文件缺失或被改动（{listed}），与文件清单不符，网站未作任何改动；"
                                    "可能有其他程序同时在改写输出目录旁的临时目录，请确认后再生成一次")])


def _has_size(path: str, size: int) -> bool:
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_size == size
