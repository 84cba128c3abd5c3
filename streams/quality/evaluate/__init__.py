"""Quality evaluations (`syndicate eval ...`): each module scores one stage against a corpus path."""
