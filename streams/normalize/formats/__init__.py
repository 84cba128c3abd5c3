"""Input format readers: one module per wire format, each pure (no Kafka, no I/O)."""
