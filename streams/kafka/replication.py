"""Replication factor and min ISR for a cluster's size (no Kafka client: the CLI's fast path imports it)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Replication"]


@dataclass(frozen=True, slots=True)
class Replication:
    """Replication factor and min.insync.replicas for a cluster of `brokers` nodes: 3 and 2 from three nodes on
    (a write acked by all in-sync replicas survives one node's loss and the topic stays writable), 1 and 1 alone."""

    factor: int
    min_insync: int

    @classmethod
    def for_brokers(cls, brokers: int) -> Replication:
        factor = max(1, min(3, brokers))
        return cls(factor, 2 if factor >= 3 else 1)
