"""The package report: one JSON document and one self-contained HTML page."""
