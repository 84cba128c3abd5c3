"""The worker runtime: a Faust worker hosting our consume-transform-produce loops, their state, stats and web views."""
