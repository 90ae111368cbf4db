"""What a webmaster put into the site is not the tool's to delete.

The ``.git`` of a gh-pages checkout, ``CNAME``, ``robots.txt``, uploads: anything in the
output folder that the last build's manifest does not list is carried into the new site
before the swap, by hard link (a copy across file systems), folders and symbolic links as
they are (a link is not followed). The new manifest still lists only the tool's files. Where
the tool now writes a file of the same path, the tool's file wins, with a warning; but for
``robots.txt``, which the tool does not write when the site has its own (see ``build``).
The declared, versioned way to publish such files is the static folder (see ``static``).
"""

from __future__ import annotations

import os
import shutil
import stat

from generator.pipeline.manifest import REWRITTEN


def carry_foreign(site: str, staging: str, ours: set[str]) -> list[str]:
    """Link every file and folder of ``site`` that is not in ``ours`` (nor the manifest and checksums at its root)
    into ``staging`` at the same path; returns a warning for each that could not be kept."""
    warnings: list[str] = []
    if os.path.isdir(site):
        _carry_folder(site, staging, "", ours, warnings)
    return warnings


def _carry_folder(site: str, staging: str, folder: str, ours: set[str], warnings: list[str]) -> bool:
    """Carry what ``folder`` holds that is not the tool's; whether there was any (an empty folder counts: someone
    made it, the tool makes none)."""
    foreign = False
    empty = True
    with os.scandir(os.path.join(site, folder)) as entries:
        for entry in entries:
            empty = False
            rel = f"{folder}/{entry.name}" if folder else entry.name
            is_folder = entry.is_dir(follow_symlinks=False)
            if not is_folder and (rel in ours or rel in REWRITTEN):
                continue
            target = os.path.join(staging, rel)
            if os.path.lexists(target) and not (is_folder and _is_folder(target)):
                warnings.append(f"输出目录中的 {rel} 不是本工具生成的，但本次生成的文件要用这个路径，已被替换")
            elif is_folder:
                foreign = _carry_subfolder(entry, site, staging, rel, ours, warnings) or foreign
            else:
                foreign = _carry_file(entry, target, rel, warnings) or foreign
    return foreign or empty


def _carry_subfolder(entry: os.DirEntry, site: str, staging: str, rel: str, ours: set[str],
                     warnings: list[str]) -> bool:
    """A folder, made in ``staging`` if the tool has none of that name and it holds something not the tool's (the
    folder of a department no longer published does not stay behind, empty); its permissions are set last, a
    read-only folder would refuse what goes in it."""
    target = os.path.join(staging, rel)
    made = not os.path.lexists(target)
    if made:
        os.mkdir(target)
    kept = _carry_folder(site, staging, rel, ours, warnings)
    if made and not kept:
        os.rmdir(target)
    elif made:
        os.chmod(target, stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode))
    return kept


def _carry_file(entry: os.DirEntry, target: str, rel: str, warnings: list[str]) -> bool:
    """A file or symbolic link at the same path in the new site; whether it could be."""
    if entry.is_symlink():
        os.symlink(os.readlink(entry.path), target)
        return True
    try:
        os.link(entry.path, target, follow_symlinks=False)
    except OSError:
        if not entry.is_file(follow_symlinks=False):  # a named pipe or device node on another file system
            warnings.append(f"输出目录中的 {rel} 不是普通文件，无法带入新网站，未保留")
            return False
        shutil.copy2(entry.path, target, follow_symlinks=False)
    return True


def _is_folder(path: str) -> bool:
    return os.path.isdir(path) and not os.path.islink(path)
