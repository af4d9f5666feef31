"""Both cores for work that splits in two: half in a forked child, half here (I/O edge).

A forked child shares the parent's memory copy-on-write, so it needs nothing sent to it; its
result comes back pickled through a pipe. Used only where the work is large enough to pay for
the fork (parsing many resource files, emitting many documents).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from kgen import emit
from kgen.findings import Finding
from kgen.model import Manifest

Item = TypeVar("Item")
Result = TypeVar("Result")
Other = TypeVar("Other")

CAN_FORK = hasattr(os, "fork")


def both(theirs: Callable[[], Result], mine: Callable[[], Other]) -> tuple[Result | None, Other]:
    """``(theirs() from a forked child, mine() from here)``; the first is ``None`` when the
    child failed, so the caller can do that part itself."""
    import pickle

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, exit without running the parent's cleanup
        os.close(read_end)
        status = 0
        try:
            payload = pickle.dumps(theirs(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as stream:
                stream.write(payload)
        except BaseException:  # noqa: BLE001 - reported as a failed child: the parent redoes it
            status = 1
        os._exit(status)
    os.close(write_end)
    try:
        here = mine()
    finally:
        with os.fdopen(read_end, "rb") as stream:
            payload = stream.read()
        _, status = os.waitpid(pid, 0)
    if status != 0 or not payload:
        return None, here
    there: Result = pickle.loads(payload)  # noqa: S301 - our own child's bytes
    return there, here


def split_work(
    work: Callable[[list[Item]], Result], theirs: list[Item], mine: list[Item]
) -> tuple[Result | None, Result]:
    """``(work(theirs) from a forked child, work(mine) from here)``; the first is ``None`` when
    the child failed, so the caller can do that half itself."""
    return both(lambda: work(theirs), lambda: work(mine))


PARALLEL_DOCUMENTS = 500
"""From this many documents on, the second half of the stream is emitted in a child."""


def emit_stream(documents: list[Manifest]) -> str:
    """:func:`kgen.emit.emit_stream`, both halves at once when the stream is long."""
    if len(documents) < PARALLEL_DOCUMENTS or not CAN_FORK:
        return emit.emit_stream(documents)
    half = len(documents) // 2
    there, here = split_work(emit.emit_stream, documents[half:], documents[:half])
    if there is None:
        there = emit.emit_stream(documents[half:])
    return f"{here}---\n{there}" if here and there else here + there


def emit_checked(
    documents: list[Manifest], check: Callable[[], list[Finding]]
) -> tuple[str, list[Finding]]:
    """The stream and what ``check`` (the validation of the finished stream) finds: for a long
    stream, the check runs in a child while this process emits (the two take about as long;
    a stream that fails the check is emitted for nothing, which costs no more)."""
    if len(documents) < PARALLEL_DOCUMENTS or not CAN_FORK:
        return emit.emit_stream(documents), check()
    found, stream = both(check, lambda: emit.emit_stream(documents))
    return stream, check() if found is None else found
