"""The rule reference page, generated from the rules themselves."""

from __future__ import annotations

from generator.checks.runner import load_rules

HEADER = """# 审核规则

本页由 `juesuan rules --markdown` 根据规则本身生成，请勿手工修改。
`juesuan check` 按以下规则审核；错误会使正式生成跳过该部门，警告在 `--strict` 时视为不通过，提示仅供参考。

| 编号 | 级别 | 规则 |
|---|---|---|
"""


def rules_markdown() -> str:
    rules = load_rules().values()
    lines = [HEADER.rstrip("\n")]
    lines += [f"| [`{r.id}`](#{r.id}) | {r.severity} | {r.title} |" for r in rules]
    for r in rules:
        doc = " ".join(line.strip() for line in r.doc.splitlines())
        lines += ["", f"## {r.id}", "", f"**{r.severity}** · {r.title}", "", doc]
    return "\n".join(lines) + "\n"
