"""A batch spread over one worker process per core, its results handed back in order.

`build` and `check` of a folder do the same independent work per source, and the machine has
more than one core. Each worker is a fresh interpreter ("spawn", the only way on Windows and the
same everywhere, so nothing depends on a forked copy of the parent): it imports what its task
needs, keeps its own caches and its own pandoc server for the whole batch, and writes its
outputs through write.py, atomically, so the files are the same bytes as a serial run's.

A worker costs a cold start (imports, the reference document), so a batch gets workers only
when it is large enough to repay them: `per_worker` items each at least. SELFEVAL_JOBS=N sets
the count instead (SELFEVAL_JOBS=1: everything in this process).

Ctrl-C: the workers ignore SIGINT; the parent stops handing out work, lets the sources being
written finish (each a fraction of a second, each renamed into place whole), and raises
KeyboardInterrupt, so nothing is half-written and no worker prints a traceback. A worker that
dies (killed, out of memory) cannot have renamed a partial file either, but may leave its
temporary file: the caller sweeps those of the items it got no result for (build.py), and the
error is reported as one line (cli.py).
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from . import collector

T = TypeVar("T")
R = TypeVar("R")

ENV = "SELFEVAL_JOBS"


def cores() -> int:
    """The cores this process may run on (a container's or a job's limit, not the machine's)."""
    if hasattr(os, "process_cpu_count"):            # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def workers(count: int, per_worker: int) -> int:
    """How many worker processes for `count` items; 0 or 1 means: run them here."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen.isdigit() and int(chosen) > 0:
        return min(int(chosen), count)
    return max(1, min(cores(), count // per_worker))


def _start_worker(language: str) -> None:
    import signal

    from .i18n import set_language
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent decides what an interrupt stops
    set_language(language)
    collector.program()                            # as cli.main: see generator/collector.py


class _Settling:
    """`task` in a worker, the worker's start settled after its first item (collector.settled)."""

    def __init__(self, task: Callable):
        self.task = task

    def __call__(self, item):
        result = self.task(item)
        collector.settled()
        return result


def ordered(task: Callable[[T], R], items: Iterable[T], n_workers: int, chunk: int = 1) -> Iterator[R]:
    """task(item) for every item, in the items' order; in `n_workers` processes when above 1.
    `task` must be a module-level function and items and results picklable."""
    items = list(items)
    if n_workers <= 1:
        for item in items:
            yield task(item)
            collector.settled()
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .i18n import language
    pool = ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start_worker, initargs=(language(),))
    try:
        yield from pool.map(_Settling(task), items, chunksize=chunk)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)   # what is being written finishes whole
        raise
    pool.shutdown(wait=True)
