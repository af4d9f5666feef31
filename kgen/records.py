"""``NamedTuple`` for kgen's own record classes, without typing's cost at import (start-up).

``class Entry(NamedTuple): ...`` is what every module writes, with this module's
``NamedTuple`` in place of typing's: the type checker sees typing's, the interpreter gets the
same class (``collections.namedtuple``, with the fields, defaults, methods, docstring and
``__qualname__`` the class body gives it) without evaluating the annotations. Under
``from __future__ import annotations`` typing compiles each field's annotation string into a
``ForwardRef``, about 50 us a field, 10 ms over the classes a build imports; kgen never asks
for the evaluated annotations (they stay the strings written).
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import NamedTuple
else:
    _PROHIBITED = frozenset(
        {
            "__new__",
            "__init__",
            "__slots__",
            "__getnewargs__",
            "_fields",
            "_field_defaults",
            "_make",
            "_replace",
            "_asdict",
            "_source",
        }
    )
    """What a class body may not define (as typing refuses it)."""
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    class _RecordMeta(type):
        """Makes ``class X(NamedTuple)`` a ``collections.namedtuple`` as typing's does."""

        def __new__(cls, name: str, bases: tuple[type, ...], body: dict[str, Any]) -> Any:
            if not bases:  # NamedTuple itself
                return super().__new__(cls, name, bases, body)
            if bases != (NamedTuple,):
                raise TypeError("a NamedTuple class derives from NamedTuple alone")
            fields: dict[str, Any] = body.get("__annotations__", {})
            defaults = []
            for field in fields:
                if field in body:
                    defaults.append(body[field])
                elif defaults:
                    raise TypeError(
                        f"Non-default namedtuple field {field} cannot follow default field"
                    )
            made = collections.namedtuple(
                name, list(fields), defaults=defaults, module=body["__module__"]
            )
            made.__annotations__ = dict(fields)
            for key, value in body.items():
                if key in _PROHIBITED:
                    raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
                if key not in _SPECIAL and key not in made._fields:
                    setattr(made, key, value)
            return made

    class NamedTuple(metaclass=_RecordMeta):
        """Base of kgen's record classes (see the module docstring)."""


__all__ = ["NamedTuple"]
