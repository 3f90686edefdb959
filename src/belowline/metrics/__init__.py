"""Prometheus metrics: request, moderation and delivery counters, and queue figures at scrape."""
