"""The shared request queue of distributed mode: leased, not popped (docs/architecture.md)."""
