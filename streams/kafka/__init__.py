"""Kafka clients: connection and security options, topics and their creation, reading and the Admin API calls."""
