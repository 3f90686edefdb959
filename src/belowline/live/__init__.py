"""Live domain."""
