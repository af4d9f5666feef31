"""Work split between a forked child and this process."""

from __future__ import annotations

import os

import pytest

from kgen import emit, parallel
from kgen.findings import Finding

pytestmark = pytest.mark.skipif(not parallel.CAN_FORK, reason="needs os.fork")

FOUND = [Finding("missing-key", "a.yaml: document 1 (Deployment d)", "no key")]


def _documents(count: int) -> list[dict[str, object]]:
    return [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"c{i}"}}
        for i in range(count)
    ]


def test_both_runs_the_first_in_a_child_and_the_second_here() -> None:
    here = os.getpid()
    there, mine = parallel.both(os.getpid, os.getpid)
    assert mine == here
    assert there is not None
    assert there != here


def test_both_gives_none_for_a_child_that_failed_so_the_caller_redoes_it() -> None:
    def fail() -> int:
        raise ValueError("child")

    assert parallel.both(fail, lambda: 1) == (None, 1)


def test_split_work_halves() -> None:
    assert parallel.split_work(sum, [1, 2], [3]) == (3, 3)


@pytest.mark.parametrize("count", [3, parallel.PARALLEL_DOCUMENTS])
def test_emit_checked_gives_the_stream_and_the_findings_short_or_long(count: int) -> None:
    documents = _documents(count)
    stream, found = parallel.emit_checked(documents, lambda: FOUND)
    assert stream == emit.emit_stream(documents)
    assert found == FOUND


def test_emit_checked_redoes_a_check_whose_child_failed() -> None:
    calls: list[int] = []

    def check() -> list[Finding]:
        calls.append(os.getpid())
        if len(calls) == 1 and os.getpid() != PARENT:
            raise RuntimeError("child")
        return FOUND

    documents = _documents(parallel.PARALLEL_DOCUMENTS)
    assert parallel.emit_checked(documents, check) == (emit.emit_stream(documents), FOUND)


PARENT = os.getpid()
