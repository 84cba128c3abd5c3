"""Kafka clients: connection and security options, topics and their creation, reading and the Admin API calls.

aiokafka and confluent_kafka are imported inside the functions that use them: the CLI imports these modules
to build its parser, and `syndicate --help` (and every command that needs no broker) starts without them."""
