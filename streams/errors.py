"""The one base class for the errors Syndicate raises on purpose, and the exit code the CLI gives each.

`syndicate` prints a `SyndicateError` as one clean message (no traceback) and exits with its
`exit_code`; anything else is a crash and keeps Python's traceback (exit code 1). So a caller that
embeds the pipeline can tell "Syndicate refused" (`except SyndicateError`) from "Syndicate has a bug".

Exit codes: 0 done; 1 a crash (a Python traceback); 2 a bad setting, registry or argument;
3 a stage is broken (the internal-error policy tripped); 4 the broker cannot be reached or run.
"""

from __future__ import annotations


class SyndicateError(Exception):
    """An error Syndicate raises on purpose; the message is written for the person who reads it."""

    exit_code = 1


class SettingsError(SyndicateError, ValueError):
    """A setting has a value that cannot be used; the message names the variable, the value and what is allowed."""

    exit_code = 2


class PartnerConfigError(SyndicateError, ValueError):
    """The partner registry is invalid; the message names the file and the field."""

    exit_code = 2


class InputError(SyndicateError, ValueError):
    """One input cannot be read (not JSON, not XML, ...). Stages turn it into a dead letter, never a crash."""

    exit_code = 2


class RewindError(SyndicateError, ValueError):
    """A rewind target cannot be understood or applied; the message says why."""

    exit_code = 2


class BrokerError(SyndicateError, RuntimeError):
    """Kafka cannot be fetched, started, stopped or reached; the message says which."""

    exit_code = 4


class BrokerTimeout(BrokerError, TimeoutError):
    """The broker did not answer (or topics got no leader) within the time allowed."""


class StageBrokenError(SyndicateError):
    """The internal-error policy tripped: a stage failed on too many of its recent inputs to be bad input.

    The message carries the first traceback, because this is a bug or a broken dependency to fix, not
    something an input did."""

    exit_code = 3
