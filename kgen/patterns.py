"""Regular expressions compiled at their first use, not at import (start-up).

A module-level ``re.compile`` costs its compile at every start, used or not; most of kgen's
patterns serve inputs a small build never has (timestamps, floats, image references, ...).
:func:`lazy` gives an object that stands for the compiled pattern: the first use of any of
its attributes compiles it and keeps the compiled pattern's methods on the object, so later
calls cost what calls of a compiled pattern cost.
"""

from __future__ import annotations

import re
from typing import Any, cast


class _Lazy:
    """A pattern compiled when first used (see the module docstring)."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # only reached for what the instance does not have yet: compile, keep every method
        compiled = re.compile(*self._source)
        for attribute in (
            "match",
            "fullmatch",
            "search",
            "sub",
            "subn",
            "split",
            "findall",
            "finditer",
            "pattern",
            "flags",
            "groups",
            "groupindex",
        ):
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done at the first use."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
