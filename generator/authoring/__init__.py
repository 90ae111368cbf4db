"""Helping authors: a new department file, the JSON Schema, field docs, workbook import and export."""
