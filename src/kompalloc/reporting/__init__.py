"""Reporting: allocation results as neutral tables, and renderers that turn them into text."""
