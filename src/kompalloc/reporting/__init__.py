"""Reporting: all presentation, from neutral tables and formats to text, bytes and Rich renderables."""
