"""Benchmarks of unified_edu against the embedded sandbox (see docs/performance.md)."""
