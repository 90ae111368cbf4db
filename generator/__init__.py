"""部门决算公开 generator: department YAML → the standard disclosure pages."""

__version__ = "0.1.0"
