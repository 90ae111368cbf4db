"""Settings: what a command's run shares, resolved once from the command line, ``site.yaml`` and defaults.

Every command (build, check, serve, pdf, export, import) resolves its settings here, so an option means the
same everywhere: ``--profile`` over the file's own ``profile:`` over ``site.yaml``'s over the default;
``--templates`` over ``site.yaml``'s ``templates``; ``--base-url`` over ``site.base_url``; ``--standard``
over ``pdf.standard``; ``--no-pdf`` and ``show.pdf``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from generator.buildtime import build_time
from generator.checks.findings import DEFAULT_TOLERANCE
from generator.content.model import Department
from generator.content.siteconfig import SiteConfig, checked_base_url, load_config
from generator.errors import ContentError, Problem, show
from generator.forms.profiles import (
    DEFAULT_PROFILE,
    Profile,
    available_profiles,
    load_profile,
)
from generator.source.shapes import one_of


@dataclass(frozen=True)
class Settings:
    """What every department of one run shares; plain data, so that it travels to workers and clusters."""

    config: SiteConfig  # site.yaml, with the command line's overrides applied
    content_dir: str | None  # for the site's own profiles (content/profiles/)
    template_dir: str | None  # --templates, else site.yaml's templates
    profile: str | None  # --profile
    draft: bool
    pdf: bool  # PDFs wanted: not --no-pdf, and site.yaml's show.pdf
    tolerance: Decimal
    built_at: datetime
    source_date_epoch: str | None = None  # the coordinator's SOURCE_DATE_EPOCH, for workers elsewhere
    profiles: tuple[str, ...] = ()  # the profiles there are (built-in and the site's own), listed once per run
    strict: bool = False  # build --strict: in a final build, a 警告 keeps a department from publication as an 错误 does

    def profile_of(self, department: Department) -> Profile:
        """A department's profile (see ``profile_for``); a profile its file names that does not exist is a problem
        located at the file's ``profile:``."""
        own = department.profile_name
        if own and not self.profile and own not in self.profiles:
            raise ContentError([department.source.problem(("profile",), *unknown_profile(own, self.profiles))])
        return self.profile_for(own)

    def _content(self) -> Path | None:
        return Path(self.content_dir) if self.content_dir else None

    def profile_for(self, own: str | None) -> Profile:
        """The profile of a department whose file names ``own`` (or none): --profile, else the file's own,
        else site.yaml's, else the default."""
        name = self.profile or own or self.config.profile or DEFAULT_PROFILE
        return load_profile(name, self._content())


def resolve_settings(content_dir: Path, *, template_dir: Path | None = None, profile: str | None = None,
                     base_url: str | None = None, standard: str | None = None, draft: bool = False,
                     pdf: bool = True, tolerance: Decimal = DEFAULT_TOLERANCE, strict: bool = False) -> Settings:
    """The settings of a run over ``content_dir``; ContentError names every bad option or site.yaml field."""
    config = load_config(content_dir)
    problems: list[Problem] = []
    if base_url is not None:
        url = checked_base_url(base_url, lambda message, expected, found: problems.append(
            Problem("--base-url", None, "", message, expected, found)))
        config = replace(config, site=replace(config.site, base_url=url))
    if standard is not None:
        config = replace(config, pdf=replace(config.pdf, standard=standard))
    profiles = tuple(available_profiles(content_dir))
    if profile is not None and profile not in profiles:
        problems.append(Problem("--profile", None, "", *unknown_profile(profile, profiles)))
    if problems:
        raise ContentError(problems)
    templates = template_dir or config.templates
    return Settings(config, str(content_dir), str(templates) if templates else None, profile, draft,
                    pdf and config.show.pdf, tolerance, build_time(), os.environ.get("SOURCE_DATE_EPOCH"), profiles,
                    strict)


def unknown_profile(name: str, profiles: tuple[str, ...]) -> tuple[str, str, str]:
    """Message, expected and found for a profile name that is not one of ``profiles``."""
    return f"没有名为 {name} 的省份格式", one_of(profiles), show(name)
