"""`juesuan check`'s rules: findings, the rule engine, and the rules by subject."""
