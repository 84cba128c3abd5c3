"""Kafka plumbing: the worker (a Faust app hosting our own loops), their state, topics, rewind, the local broker."""
