"""Guards of the line: the internal-error breaker and the per-input deadline."""
