"""Benchmarks (`syndicate bench ...`, `make bench`): printed figures, never timed tests."""
