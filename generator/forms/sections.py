"""The 情况说明 sections the tool can fill, by key.

A profile lists some of them, in its order, with its titles. Each key names what a section explains:
its built-in template (templates/sections/<key>.html, which a profile may replace by naming another)
and, for most, the figures narrative.describe gives under the same key. ``staff`` is where 第一部分's
人员 chart goes, before the 情况说明.
"""

SECTION_KEYS = ("overall", "income", "expenditure", "fiscal", "general_budget", "basic", "gov_fund", "soe_capital",
                "three_public", "operating_costs", "procurement", "assets", "performance", "other")
STAFF_SECTION = "staff"
