"""Importers domain."""
