"""kustomize's ``Selector`` (``api/types/selector.go``) and ``resWrangler.Select``.

A selector's group, version, kind, name and namespace are regular expressions anchored at both
ends (``^(?:...)$``); an empty field matches anything. The name matches the object's original
name (its oldest id) or its current one, the namespace the original or current effective
namespace (``""`` is ``default``); the group, version and kind the current ones.
``labelSelector``/``annotationSelector`` are Kubernetes label selectors
(``k8s.io/apimachinery/pkg/labels``): ``a=b``, ``a==b``, ``a!=b``, ``a in (x,y)``,
``a notin (x)``, ``a``, ``!a``, ``a>1``, ``a<1``, comma = and.

:class:`Index` finds the candidates of a selector by kind or by name when those are literals, so
that N selectors over M objects cost less than N x M.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kgen import patterns
from kgen.decode import lowered
from kgen.errors import KustomizationError, describe_type, quote
from kgen.model import Resource
from kgen.records import NamedTuple

SELECTOR_FIELDS = (
    "group",
    "version",
    "kind",
    "name",
    "namespace",
    "labelSelector",
    "annotationSelector",
)
_META = patterns.lazy(r"[\\.+*?()|\[\]{}^$]")


class Requirement(NamedTuple):
    key: str
    operator: str
    """``=``, ``!=``, ``in``, ``notin``, ``exists``, ``!``, ``gt``, ``lt``."""
    values: tuple[str, ...]


class Selector(NamedTuple):
    group: str = ""
    version: str = ""
    kind: str = ""
    name: str = ""
    namespace: str = ""
    label_selector: tuple[Requirement, ...] = ()
    annotation_selector: tuple[Requirement, ...] = ()
    patterns: tuple[re.Pattern[str] | None, ...] = ()
    """Compiled group, version, kind, name, namespace (``None`` = any)."""
    label_error: KustomizationError | None = None
    annotation_error: KustomizationError | None = None
    """A selector that doesn't parse: kustomize fails only when an object that the other
    fields select reaches it (the annotation selector: one the label selector selects)."""

    def matches(self, resource: Resource) -> bool:
        group_re, version_re, kind_re, name_re, namespace_re = self.patterns
        current = resource.id
        original = resource.previous_ids[0] if resource.previous_ids else current
        if namespace_re is not None and not (
            namespace_re.fullmatch(original.namespace or "default")
            or namespace_re.fullmatch(current.namespace or "default")
        ):
            return False
        if name_re is not None and not (
            name_re.fullmatch(original.name) or name_re.fullmatch(current.name)
        ):
            return False
        for pattern, value in (
            (group_re, current.group),
            (version_re, current.version),
            (kind_re, current.kind),
        ):
            if pattern is not None and not pattern.fullmatch(value):
                return False
        metadata = resource.manifest.get("metadata")
        meta = metadata if isinstance(metadata, dict) else {}
        if self.label_error is not None:
            raise self.label_error
        if not _selects(self.label_selector, meta.get("labels")):
            return False
        if self.annotation_error is not None:
            raise self.annotation_error
        return _selects(self.annotation_selector, meta.get("annotations"))


def parse_selector(value: Any, where: str, at: str) -> Selector:
    """A ``target:`` mapping (``where``: the kustomization, ``at``: ``patches[1].target``)."""
    if not isinstance(value, dict):
        raise KustomizationError(where, f"{at}: expected a mapping, got {describe_type(value)}")
    fields = lowered(value, SELECTOR_FIELDS, f"{where}: {at}")
    texts: dict[str, str] = {}
    for name in SELECTOR_FIELDS:
        item = fields.get(name)
        if item is None:
            texts[name] = ""
        elif isinstance(item, str):
            texts[name] = item
        elif isinstance(item, bool | int | float):
            texts[name] = str(item).lower() if isinstance(item, bool) else str(item)
        else:
            raise KustomizationError(
                where, f"{at}.{name}: expected a string, got {describe_type(item)}"
            )
    patterns = tuple(
        _compile(texts[name], where, f"{at}.{name}")
        for name in ("group", "version", "kind", "name", "namespace")
    )
    labels, label_error = _deferred(texts["labelSelector"], where, f"{at}.labelSelector")
    annotations, annotation_error = _deferred(
        texts["annotationSelector"], where, f"{at}.annotationSelector"
    )
    return Selector(
        texts["group"],
        texts["version"],
        texts["kind"],
        texts["name"],
        texts["namespace"],
        labels,
        annotations,
        patterns,
        label_error,
        annotation_error,
    )


def _deferred(
    text: str, where: str, at: str
) -> tuple[tuple[Requirement, ...], KustomizationError | None]:
    try:
        return parse_label_selector(text, where, at), None
    except KustomizationError as error:
        return (), error


def _compile(pattern: str, where: str, at: str) -> re.Pattern[str] | None:
    if not pattern:
        return None
    try:
        return re.compile(f"(?:{pattern})")
    except re.error as exc:
        raise KustomizationError(
            where, f"{at}: not a regular expression ({exc.msg}): {quote(pattern)}"
        ) from None


# Label selector parsing (the grammar of k8s.io/apimachinery/pkg/labels.Parse)

_TOKEN = patterns.lazy(r"\s*(!=|==|=|!|,|\(|\)|>|<|[^\s!=,()<>]+)")


def parse_label_selector(text: str, where: str, at: str) -> tuple[Requirement, ...]:
    """The requirements of a label selector (all must hold); ``()`` for an empty one."""
    tokens = [match.group(1) for match in _TOKEN.finditer(text)]
    if "".join(tokens) != re.sub(r"\s+", "", text):
        raise KustomizationError(where, f"{at}: cannot parse label selector {quote(text)}")
    requirements: list[Requirement] = []
    position = 0

    def fail(reason: str) -> KustomizationError:
        return KustomizationError(where, f"{at}: unable to parse requirement: {reason}")

    def take() -> str:
        nonlocal position
        if position >= len(tokens):
            raise fail("unexpected end of selector")
        token = tokens[position]
        position += 1
        return token

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    while position < len(tokens):
        token = take()
        if token == "!":  # noqa: S105 - a selector operator
            key = take()
            requirements.append(Requirement(_key(key, fail), "!", ()))
        else:
            key = _key(token, fail)
            following = peek()
            if following in {None, ","}:
                requirements.append(Requirement(key, "exists", ()))
            else:
                operator = take()
                if operator in {"=", "==", "!="}:
                    item = peek()
                    value = "" if item is None or item == "," else take()
                    requirements.append(
                        Requirement(key, "!=" if operator == "!=" else "=", (_value(value, fail),))
                    )
                elif operator in {">", "<"}:
                    number = take()
                    if re.fullmatch(r"-?[0-9]+", number) is None:
                        raise fail("for 'Gt', 'Lt' operators, the value must be an integer")
                    requirements.append(
                        Requirement(key, "gt" if operator == ">" else "lt", (number,))
                    )
                elif operator in {"in", "notin"}:
                    if take() != "(":
                        raise fail(f"found {quote(operator)}, expected: '('")
                    values: list[str] = []
                    while True:
                        item = take()
                        if item == ")":
                            break
                        if item == ",":
                            continue
                        values.append(_value(item, fail))
                    if operator == "in" and not values:
                        raise fail("for 'in', 'notin' operators, values set can't be empty")
                    requirements.append(Requirement(key, operator, tuple(values)))
                else:
                    raise fail(f"found {quote(operator)}, expected: in, notin, =, ==, !=, gt, lt")
        following = peek()
        if following is None:
            break
        if take() != ",":
            raise fail("expected ',' between requirements")
        if peek() is None:
            raise fail("found '', expected: identifier after ','")

    return tuple(requirements)


_LABEL_KEY = patterns.lazy(
    r"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
    r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
)
_LABEL_VALUE = patterns.lazy(r"([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?")


def _key(token: str, fail: Any) -> str:
    if token in {"=", "==", "!=", ",", "(", ")", "!", ">", "<"} or not _LABEL_KEY.fullmatch(token):
        raise fail(f"invalid label key {quote(token)}")
    return token


def _value(token: str, fail: Any) -> str:
    if not _LABEL_VALUE.fullmatch(token):
        raise fail(f"invalid label value {quote(token)}")
    return token


def _selects(requirements: tuple[Requirement, ...], values: Any) -> bool:
    labels: Mapping[str, Any] = values if isinstance(values, dict) else {}
    for requirement in requirements:
        key, operator, wanted = requirement
        present = key in labels
        value = _text(labels.get(key))
        if operator == "exists":
            ok = present
        elif operator == "!":
            ok = not present
        elif operator == "=":
            ok = present and value == wanted[0]
        elif operator == "!=":
            ok = not present or value != wanted[0]
        elif operator == "in":
            ok = present and value in wanted
        elif operator == "notin":
            ok = not present or value not in wanted
        else:
            ok = present and _compare(value, int(wanted[0]), operator)
        if not ok:
            return False
    return True


def _compare(value: str, bound: int, operator: str) -> bool:
    if re.fullmatch(r"-?[0-9]+", value) is None:
        return False
    return int(value) > bound if operator == "gt" else int(value) < bound


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


class Index:
    """The resources of a layer, by current kind and by name (current and previous), so that a
    selector with a literal kind or name looks at its candidates only."""

    def __init__(self, resources: list[Resource]) -> None:
        self.resources = resources
        self.position: dict[int, int] = {}
        self.by_kind: dict[str, list[Resource]] = {}
        self.by_name: dict[str, list[Resource]] = {}
        for number, resource in enumerate(resources):
            self.position[id(resource)] = number
            current = resource.id
            self.by_kind.setdefault(current.kind, []).append(resource)
            names = {current.name, *(previous.name for previous in resource.previous_ids)}
            for name in sorted(names):
                self.by_name.setdefault(name, []).append(resource)

    def named(self, name: str) -> list[Resource]:
        """The resources whose current or any previous name is ``name``, in the layer's order."""
        return self.by_name.get(name, [])

    def select(self, selector: Selector) -> list[Resource]:
        """The resources ``selector`` matches, in the layer's order."""
        candidates: list[Resource] = self.resources
        if selector.kind and _META.search(selector.kind) is None:
            candidates = self.by_kind.get(selector.kind, [])
        if selector.name and _META.search(selector.name) is None:
            named = self.by_name.get(selector.name, [])
            if len(named) < len(candidates):
                candidates = named
        return [resource for resource in candidates if selector.matches(resource)]
