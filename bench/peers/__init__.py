"""Peer servers the benchmarks compare against."""
