"""`juesuan pdf`: one department's PDF for review before approval (审签), checked first like a build."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from generator.checks.findings import DEFAULT_TOLERANCE, ERROR, Finding
from generator.pipeline.checking import SettingsByRoot, check_files
from generator.pipeline.staging import write_file
from generator.render.charts.numbered import charts_for
from generator.render.html import template_errors_reported
from generator.render.pdf import pdf_filename, render_pdf


@dataclass
class Preview:
    output: Path
    pages: int = 0
    errors: list[Finding] = field(default_factory=list)
    refused: bool = False


def preview_pdf(path: Path, output: Path | None = None, *, draft: bool = False, template_dir: Path | None = None,
                standard: str | None = None, tolerance: Decimal = DEFAULT_TOLERANCE, profile: str | None = None) -> Preview:
    """Check one department file and write its PDF (a final one only without 错误)."""
    settings = SettingsByRoot(template_dir=template_dir, standard=standard, profile=profile, draft=draft,
                              tolerance=tolerance)
    report = check_files([path], settings=settings)
    c, findings = report.results[0]
    errors = [f for f in findings if f.severity == ERROR]
    target = output or Path(pdf_filename(c))
    if errors and not draft:
        return Preview(target, errors=errors, refused=True)
    s = settings.of(path)
    with template_errors_reported(c.department):
        rendered = render_pdf(c, s.config.pdf, template_dir=s.template_dir, findings=findings, draft=draft,
                              built_at=s.built_at, show=s.config.show, charts=charts_for(c, s.config))
    write_file(target, rendered.data)
    return Preview(target, rendered.pages, errors)
