"""The site's static folder (``content/static/``, or site.yaml's ``static``): files of the webmaster's copied into
the site as they are on every build (a favicon, the site's logo, the 备案 and 党政机关 icons, ``robots.txt``).

They are the site's declared files: listed in the manifest and SHA256SUMS like the tool's own, read afresh by
every build (a changed one is published by the next build, incremental or not), and gone from the site once gone
from the folder. A file whose path is one the tool writes (a page, an asset, the sitemap…) is an error, nothing
is published: one address cannot serve two files, and a page is changed through templates, not replaced. Only
``robots.txt`` may be the site's own: the tool then writes none.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.errors import ContentError, Problem
from generator.pipeline.manifest import REWRITTEN
from generator.pipeline.staging import Staging
from generator.source.yamlfile import inside


def static_files(folder: Path | None) -> dict[str, Path]:
    """Every file below ``folder`` by its path in the site; ContentError for a symbolic link that leads out of the
    folder (nothing outside it is published by mistake) or to a folder."""
    if folder is None:
        return {}
    files: dict[str, Path] = {}
    problems = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names + [d for d in dirs if os.path.islink(os.path.join(root, d))]):
            path = Path(root, name)
            if not inside(path, folder):
                problems.append(Problem(str(path), None, "", "静态文件目录中的符号链接指向目录之外，为免发布不该公开的文件，未发布",
                                        "静态文件目录中的普通文件", os.readlink(path) if path.is_symlink() else ""))
            elif path.is_dir():
                problems.append(Problem(str(path), None, "", "静态文件目录中不支持指向文件夹的符号链接",
                                        "普通文件或文件夹", "指向文件夹的符号链接"))
            elif path.is_file():
                files[path.relative_to(folder).as_posix()] = path
    if problems:
        raise ContentError(problems)
    return files


def write_static(files: dict[str, Path], staging: Staging) -> None:
    """Copy ``files`` into ``staging``, after the tool's own files; ContentError naming every one whose path the
    tool uses."""
    taken = [rel for rel in files if rel in staging.digests or rel in REWRITTEN]
    if taken:
        raise ContentError([Problem(str(files[rel]), None, "", f"静态文件与本工具生成的文件 {rel} 同名，网站未作任何改动；"
                                    "同一地址不能放两个文件：请改名，或用自定义模板修改该页面（见“自定义模板”）",
                                    "与生成的文件不同名的文件", rel) for rel in sorted(taken)])
    for rel, path in sorted(files.items()):
        staging.write(rel, path.read_bytes())
