"""Python's garbage collector, set for a process whose objects mostly live as long as it does.

A cold build makes some hundreds of thousands of objects that stay until the process ends:
modules, pydantic's schemas, the form profiles, jinja's compiled templates, the documents' XML.
The collector, which runs after every 700 net allocations, scanned them some 130 times in a cold
build, once in full: ~35 ms of ~300 (measured with gc.callbacks). The interpreter's final
collection walked them all again: 70–100 ms.

So a program run (cli.main without argv) and each batch worker:
- collect rarely while they start (every 100,000 net allocations rather than 700): cyclic
  garbage is still collected and memory stays bounded, but a cold build collects nothing;
- once the first item of a batch is done (parallel.ordered: a report built, a source checked, a
  document imported), freeze what exists (gc.freeze: never scanned again) and go back to the usual
  thresholds, so a batch of thousands collects its garbage as usual without rescanning the start;
- freeze everything at exit, so the final collection has nothing to walk. Files are closed and
  renamed into place long before (write.py); memory goes back with the process.
"""
from __future__ import annotations

import atexit
import gc

STARTING = 100_000
_usual: tuple[int, ...] | None = None     # the thresholds to go back to, while starting
_started = False


def program() -> None:
    """A process that runs to its end: collect rarely until settled(), and not at all at exit."""
    global _usual, _started
    if not _started:
        _started = True
        _usual = gc.get_threshold()
        gc.set_threshold(STARTING, *_usual[1:])
        atexit.register(gc.freeze)


def settled() -> None:
    """The start is over: what exists now is frozen, and the collector runs as usual again."""
    global _usual
    if _usual is not None:
        gc.freeze()
        gc.set_threshold(*_usual)
        _usual = None
