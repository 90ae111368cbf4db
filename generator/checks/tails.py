"""尾差: differences from rounding to 万元, allowed within a tolerance or registered exactly.

Loaded after the identity rules, so ``tail-registration`` sees every difference they found.
"""

from __future__ import annotations

from typing import Iterable

from generator.checks.engine import Context, rule
from generator.checks.findings import NOTICE, TAIL_RULE, WARNING, Finding, plain


@rule(TAIL_RULE, NOTICE, "未登记的尾差：填报数与计算数相差在允许范围内")
def tail_difference(ctx: Context) -> Iterable[Finding]:
    """以万元填报时，填报的合计数与由其组成项计算的数可能因四舍五入相差 0.01（尾差，允许范围可用 --tolerance 调整）。
    这类差额不算错误，但每一处都作为提示列出，并给出登记方法：在文件的 ``tail_differences`` 中写
    “字段: 填报数减计算数”（如 ``tables.basic_detail.301: -0.01``）。登记后该数按登记的差额精确核对，
    再有任何变动（哪怕 0.01）都会报错误。以元填报时不允许尾差。

    本规则的提示由各核对关系规则在核对时给出。"""
    return ()


@rule("tail-registration", WARNING, "登记的尾差与实际差额不符或没有对应的核对关系")
def tail_registration(ctx: Context) -> Iterable[Finding]:
    """``tail_differences`` 中登记的每一条，都应是某个核对关系实际出现的差额。登记的字段没有任何差额
    （已更正、或字段名写错）或差额与登记不同时给出警告；差额不同的那个核对关系本身另报错误。"""
    for name, registered in ctx.dept.tail_differences.items():
        found = ctx.differences.get(name, [])
        if registered in found:
            continue
        path = ("tail_differences", name)
        if not found:
            yield ctx.finding("tail-registration", f"尾差登记 {name}", "该字段没有出现尾差：数已更正，或字段名写错",
                              path, hint="删去这条登记；字段名以 juesuan check 提示中给出的为准")
        else:
            shown = "、".join(plain(d) for d in found)
            yield ctx.finding("tail-registration", f"尾差登记 {name}", f"登记的尾差为 {plain(registered)}，实际差额为 {shown}",
                              path, hint="核对组成项；确属尾差时改正登记数")
