"""Route: the partner registry and which partner receives which article, in its form and within its rights."""
