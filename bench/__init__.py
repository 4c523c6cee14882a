"""The benchmark suite of CCN (`make bench`): real HTTP to a production-style server on the national dataset.

Run it with `python -m bench --help`; the cases, targets and the last measured table are in docs/benchmarks.md."""
