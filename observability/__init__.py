"""Metrics (Prometheus) and structured logs: what operators read about callsync in production."""
