"""Figures computed from what the author wrote: the tables, the 情况说明 figures, 公开10表."""
