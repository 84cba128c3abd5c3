"""The local development broker: one Kafka node or a cluster (KRaft), fetched from Maven Central; the secure node."""
