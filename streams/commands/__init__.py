"""Operator commands of `syndicate`: each adds its arguments and runs with the settings and the parsed arguments.

Each command module (streams/cli.py's table names them) is `HELP`, `add_arguments(parser)` and
`run(settings, args) -> int`; replay_plan.py is the replay's planning, not a command. The CLI imports them all
to build its parser, so what is heavy (aiokafka, Faust, the pipeline's stages) is imported inside the
functions that use it."""
