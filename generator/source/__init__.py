"""Reading YAML: exact numbers, where every value came from, shapes checked with located problems."""
