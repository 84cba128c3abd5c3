"""Test harness for the suite and the benchmarks: worker stacks, producing and reading. Never imported by the stream."""
