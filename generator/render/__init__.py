"""Laying out and writing: table grids, charts, HTML pages, the PDF, open data, the site's indexes."""
