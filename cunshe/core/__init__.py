"""Pieces every domain app shares: the domain error and optimistic concurrency. Nothing domain-specific lives here."""
