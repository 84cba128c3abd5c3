"""`syndicate broker`: the local Kafka broker or cluster (KRaft, fetched from Maven Central)."""

from __future__ import annotations

import argparse

from streams.devbroker.cluster import broker_command
from streams.settings import Settings
from streams.settings.flags import add_flags

HELP = "the local Kafka broker or cluster (KRaft, fetched from Maven Central)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["up", "down", "status", "reset", "kill", "start"])
    parser.add_argument("node", type=int, nargs="?", help="kill/start: the cluster node's number (1..N)")
    parser.add_argument("--nodes", type=int,
                        help="up: a cluster of N nodes on ports base..base+N-1 (default: 1 node)")
    parser.add_argument("--secure", action="store_true", help="the single node with a SASL_PLAINTEXT "
                        "(SCRAM-SHA-512) listener and ACLs, deny by default; admin credentials in "
                        ".cache/broker-secure/admin.json")
    add_flags(parser, "broker")


def run(settings: Settings, args: argparse.Namespace) -> int:
    print(broker_command(settings, args.action, nodes=args.nodes, node=args.node, secure=args.secure))
    return 0
