"""Operator commands of `syndicate`: each adds its arguments and runs with the settings and the parsed arguments."""
