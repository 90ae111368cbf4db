"""The numbered charts of the 情况说明 (图1…)."""
