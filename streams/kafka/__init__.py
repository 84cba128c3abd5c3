"""Kafka plumbing: the Faust app and agents, topics, codec, read progress, refetch, rewind, the local broker."""
