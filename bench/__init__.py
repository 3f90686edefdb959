"""Belowline benchmarks (see bench/README.md)."""
