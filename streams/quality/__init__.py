"""Measuring tools: evaluations against corpora (`syndicate eval`), benchmarks (`syndicate bench`), validation."""
