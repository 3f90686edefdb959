"""Staffing."""
