"""Transparency: figures per period (JSON, CSV, a dashboard page) and DSA statements export."""
