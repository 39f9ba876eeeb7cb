"""Benchmarks: how fast a city's whole year of 自评报告 rebuilds, beside pandoc alone.

`python -m bench.run` (or `make bench`) generates synthetic sources with bench.synth, times the
build, the check and the pandoc floor on them, and writes build/bench/results.md.
"""
