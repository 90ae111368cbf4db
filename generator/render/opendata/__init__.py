"""Open data for a department-year: CSV, XLSX and JSON."""
