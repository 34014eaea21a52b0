"""Benchmarks and benchmark data for cunshe; see README.md. Not part of the application."""
