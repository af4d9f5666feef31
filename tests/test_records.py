"""kgen.records: ``NamedTuple`` classes as typing's, without evaluating annotations."""

from __future__ import annotations

import pickle
import typing

import pytest

from kgen.records import NamedTuple


class Entry(NamedTuple):
    """An entry."""

    name: str
    count: int = 0  # type: ignore[assignment]  # (shadows tuple.count, as in replicas)
    tags: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name}:{self.count}"

    def bigger(self, by: int) -> Entry:
        return self._replace(count=self.count + by)


class TypingEntry(typing.NamedTuple):
    """An entry."""

    name: str
    count: int = 0  # type: ignore[assignment]
    tags: tuple[str, ...] = ()


def test_a_record_is_typings_namedtuple_in_all_but_its_annotations() -> None:
    entry = Entry("a", 2)
    assert tuple(entry) == tuple(TypingEntry("a", 2))
    assert tuple(entry) == ("a", 2, ())
    assert hash(entry) == hash(TypingEntry("a", 2))
    assert repr(entry) == "Entry(name='a', count=2, tags=())"
    assert (entry.label, entry.bigger(3)) == ("a:2", Entry("a", 5))
    for attribute in ("_fields", "_field_defaults", "__doc__", "__module__"):
        assert getattr(Entry, attribute) == getattr(TypingEntry, attribute), attribute
    assert (Entry.__qualname__, Entry.__mro__) == ("Entry", (Entry, tuple, object))
    assert Entry._make(["b", 1, ()]) == Entry("b", 1)
    assert entry._asdict()["count"] == 2
    assert pickle.loads(pickle.dumps(entry)) == entry
    assert Entry.__annotations__ == {"name": "str", "count": "int", "tags": "tuple[str, ...]"}


def test_what_typing_refuses_is_refused() -> None:
    with pytest.raises(TypeError, match="Non-default namedtuple field b cannot follow"):

        class Late(NamedTuple):
            a: int = 0
            b: int  # type: ignore[misc]

    with pytest.raises(AttributeError, match="Cannot overwrite NamedTuple attribute _replace"):

        class Clash(NamedTuple):
            a: int

            def _replace(self) -> None:  # type: ignore[misc]
                pass
