"""``images`` (and its legacy alias ``imageTags``): kustomize's ImageTagTransformer.

kustomize runs one transformer per entry, ``images`` entries first, then ``imageTags`` entries
(``FixKustomization`` appends them). Each runs two passes over every object but a
CustomResourceDefinition (``api/filters/imagetag``): the legacy pass sets the ``image`` of every
element of every ``containers`` or ``initContainers`` list anywhere in the object, then the
fieldSpec pass sets every field of the ``images`` fieldSpecs (extended by ``configurations:``),
never creating one. A field both reach, as the pod templates' images are, is updated twice, which
shows with ``tagSuffix`` (``nginx:1.0`` becomes ``nginx:1.0-x-x``, as in kustomize).

An entry's ``name`` is a Go regular expression: it matches an image that is the name, then an
optional ``:tag``, then an optional ``@sha256:digest`` (tag and digest characters
``[a-zA-Z0-9_.{}-]``). The updated image is split on kustomize's rules (the first ``@`` or ``:``
after the first ``/``), ``newName`` replaces the name, and the tag and digest are replaced:
``newTag`` and ``digest`` together set both, ``newTag`` alone drops the digest, ``digest`` alone
drops the tag, ``tagSuffix`` (only when neither is set) appends to the tag and drops the digest.

Cost: one walk of each object collects its image fields (with how many times kustomize's passes
reach each); each field's value is then looked up by the at most four names it can match (itself,
without its digest, without its tag, without both) in a dict of the entries' names. Names with
regular-expression characters are matched as patterns: those whose only such character is ``.``
(``gcr.io/app``) only against values of a fitting length, the rest against every field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kgen import patterns
from kgen.decode import lowered, string
from kgen.errors import KustomizationError, ResourceError, describe_type, quote
from kgen.fieldspecs import TransformerConfig, join_path, selects
from kgen.findings import Finding
from kgen.model import Resource
from kgen.records import NamedTuple
from kgen.walker import Location, location_text, walk

FIELDS = ("images", "imageTags")
_ENTRY_FIELDS = ("name", "newName", "newTag", "digest", "tagSuffix")
_CONTAINER_LISTS = ("containers", "initContainers")
_SKIPPED_KIND = "CustomResourceDefinition"
RULE = "image-ref"
"""The validation rule of :func:`check`."""


class ImageEntry(NamedTuple):
    """One ``images`` (or ``imageTags``) entry."""

    field: str
    number: int
    name: str
    new_name: str = ""
    new_tag: str = ""
    digest: str = ""
    tag_suffix: str = ""

    @property
    def label(self) -> str:
        """How messages name the entry: ``images[1] "nginx"``."""
        return f"{self.field}[{self.number}] {quote(self.name)}"


def parse(fields: Mapping[str, Any], where: str) -> tuple[ImageEntry, ...] | None:
    entries = []
    for field in FIELDS:
        value = fields.get(field)
        if value is None:
            continue
        if not isinstance(value, list):
            raise KustomizationError(where, f"{field}: expected a list, got {describe_type(value)}")
        for number, item in enumerate(value):
            at = f"{field}[{number}]"
            entry = {} if item is None else item  # JSON null: the zero entry, as in kustomize
            if not isinstance(entry, dict):
                raise KustomizationError(
                    where, f"{at}: expected a mapping, got {describe_type(entry)}"
                )
            values = lowered(entry, _ENTRY_FIELDS, f"{where}: {at}")
            texts = (string(values.get(name), where, f"{at}.{name}") for name in _ENTRY_FIELDS)
            entries.append(ImageEntry(field, number, *texts))
    return tuple(entries) or None


# --------------------------------------------------------------------------------------------
# Image references


def split(image: str) -> tuple[str, str, str]:
    """kustomize's ``image.Split``: (name, tag, digest), cut at the first ``@`` or ``:`` after
    the first ``/`` (a ``:`` before it is a registry port)."""
    slash = image.find("/")
    offset = slash if slash > 0 else 0
    at = image.find("@", offset)
    colon = image.find(":", offset)
    if at < 0 and colon < 0:
        return image, "", ""
    if at >= 0 and (colon < 0 or at < colon):
        return image[:at], "", image[at + 1 :]
    if at >= 0:
        return image[:colon], image[colon + 1 : at], image[at + 1 :]
    return image[:colon], image[colon + 1 :], ""


def update(image: str, entry: ImageEntry) -> str:
    """The image ``entry`` makes of a matching ``image`` (kustomize's ``SetImageValue``)."""
    name, tag, digest = split(image)
    if entry.new_name:
        name = entry.new_name
    if entry.new_tag:
        tag, digest = entry.new_tag, entry.digest
    elif entry.digest:
        tag, digest = "", entry.digest
    elif entry.tag_suffix:
        tag, digest = tag + entry.tag_suffix, ""
    return name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")


_TAG_TEXT = patterns.lazy(r"[a-zA-Z0-9_.{}-]*")
_MATCH_SUFFIX = r"(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?\Z"
_REGEX_CHARACTERS = frozenset("\\.+*?()|[]{}^$")


def name_lengths(image: str) -> tuple[int, ...]:
    """The lengths of the names ``image`` can match: ``image`` minus an optional ``:tag`` and an
    optional ``@sha256:digest`` (at most four)."""
    lengths = [len(image)]
    bases = [image]
    at = image.rfind("@")
    if at >= 0 and image.startswith("@sha256:", at) and _TAG_TEXT.fullmatch(image, at + 8):
        lengths.append(at)
        bases.append(image[:at])
    for base in bases:
        colon = base.rfind(":")
        if colon >= 0 and _TAG_TEXT.fullmatch(base, colon + 1):
            lengths.append(colon)
    return tuple(dict.fromkeys(lengths))


class _Index(NamedTuple):
    """The entries by the way their names are matched (positions in ``entries``)."""

    entries: tuple[ImageEntry, ...]
    by_name: dict[str, list[int]]
    """Literal names."""
    by_length: dict[int, list[int]]
    """Names whose only regular-expression character is ``.``, by length."""
    patterns: list[int]
    """Every other name."""
    regexes: dict[int, re.Pattern[str] | None]
    """The pattern of every non-literal name (``None``: not a valid regular expression)."""


def _index(entries: tuple[ImageEntry, ...]) -> _Index:
    index = _Index(entries, {}, {}, [], {})
    for position, entry in enumerate(entries):
        special = _REGEX_CHARACTERS.intersection(entry.name)
        if not special:
            index.by_name.setdefault(entry.name, []).append(position)
            continue
        try:
            index.regexes[position] = re.compile("^" + entry.name + _MATCH_SUFFIX)
        except re.error:
            index.regexes[position] = None
        if special == {"."}:
            index.by_length.setdefault(len(entry.name), []).append(position)
        else:
            index.patterns.append(position)
    return index


def _matches(
    image: str, position: int, index: _Index, lengths: tuple[int, ...], where: str
) -> bool:
    entry = index.entries[position]
    if position not in index.regexes:
        return len(entry.name) in lengths and image.startswith(entry.name)
    regex = index.regexes[position]
    if regex is None:
        raise KustomizationError(
            where,
            f"{entry.label}: name is not a valid regular expression (kustomize crashes on it)",
        )
    return regex.search(image) is not None


def _next_match(image: str, after: int, index: _Index, where: str) -> int | None:
    """The first entry after position ``after`` whose name matches ``image``."""
    lengths = name_lengths(image)
    candidates: list[int] = []
    for length in lengths:
        candidates.extend(index.by_name.get(image[:length], ()))
        candidates.extend(index.by_length.get(length, ()))
    candidates.extend(index.patterns)
    for position in sorted(set(candidates)):
        if position > after and _matches(image, position, index, lengths, where):
            return position
    return None


def rewrite(image: str, visits: int, entries: tuple[ImageEntry, ...], where: str) -> str:
    """``image`` after every entry's transformer, each reaching the field ``visits`` times."""
    return _rewrite(image, visits, _index(entries), where)


def _rewrite(image: str, visits: int, index: _Index, where: str) -> str:
    position = _next_match(image, -1, index, where)
    while position is not None:
        entry = index.entries[position]
        image = update(image, entry)
        for _ in range(visits - 1):
            if not _matches(image, position, index, name_lengths(image), where):
                break
            image = update(image, entry)
        position = _next_match(image, position, index, where)
    return image


# --------------------------------------------------------------------------------------------
# The transformer


class _Field(NamedTuple):
    container: Any
    key: Any
    path: str


def _image_fields(resource: Resource, config: TransformerConfig) -> list[tuple[_Field, int]]:
    """The image fields of one object, each with how many times kustomize's passes reach it."""
    found: dict[tuple[int, Any], list[Any]] = {}

    def record(container: Any, key: Any, path: str) -> None:
        slot = found.setdefault((id(container), key), [_Field(container, key, path), 0])
        slot[1] += 1

    where = f"{resource.origin}: images"
    pending: list[Any] = [resource.manifest]
    while pending:  # the legacy pass: every containers/initContainers list, at any depth
        node = pending.pop()
        if type(node) is list:
            pending.extend(node)
            continue
        if type(node) is not dict:
            continue
        for key, value in node.items():
            kind = type(value)
            if kind is dict or kind is list:
                pending.append(value)
            if kind is not list or key not in _CONTAINER_LISTS:
                continue
            for number, container in enumerate(value):
                if container is None:
                    continue
                if not isinstance(container, dict):
                    at = _path_to(resource.manifest, value)
                    raise ResourceError(
                        where,
                        f"{at}[{number}]: expected a container (a mapping), got "
                        f"{describe_type(container)}",
                    )
                if "image" in container:
                    record(container, "image", "")  # its path is found if a message needs it
    for spec in config.images:  # the fieldSpec pass
        if selects(spec, resource.original_gvk):
            path = join_path(spec.path)

            def visit(container: Any, key: Any, path: str = path) -> None:
                record(container, key, path)

            walk(resource.manifest, spec, visit, create_kind=None, where=where)
    return [(slot[0], slot[1]) for slot in found.values()]


def _path_to(manifest: Any, target: Any) -> str:
    """Where the collection ``target`` (by identity) is in ``manifest``, for messages:
    ``spec.template.spec.containers`` (found again only when a message needs it)."""
    pending: list[tuple[Any, Location]] = [(manifest, ())]
    while pending:
        node, location = pending.pop()
        if node is target:
            return location_text(location)
        items = (
            enumerate(node) if type(node) is list else node.items() if type(node) is dict else ()
        )
        pending.extend(
            (value, (*location, key if type(node) is list else str(key)))
            for key, value in items
            if type(value) in (dict, list)
        )
    return ""


def _text(value: Any) -> str | None:
    """The text kustomize matches an image value by (``None``: left alone)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return None


def apply(
    resources: list[Resource],
    entries: tuple[ImageEntry, ...],
    config: TransformerConfig,
    where: str,
) -> None:
    index = _index(entries)
    for resource in resources:
        if resource.manifest.get("kind") == _SKIPPED_KIND:
            continue
        for field, visits in _image_fields(resource, config):
            value = field.container[field.key]
            if isinstance(value, dict | list):
                raise ResourceError(
                    f"{resource.origin}: images",
                    f"{field.path or _path_to(resource.manifest, field.container) + '.image'}: "
                    f"an image must be a string, got {describe_type(value)}",
                )
            text = _text(value)
            if text is None:
                continue
            image = _rewrite(text, visits, index, where)
            if image != text:
                field.container[field.key] = image


# --------------------------------------------------------------------------------------------
# Validation: what the container runtime would refuse


_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_NAME = rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
TAG = patterns.lazy(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
DIGEST = patterns.lazy(r"sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}")
REFERENCE = patterns.lazy(rf"(?P<name>{_NAME})(?::(?P<tag>{TAG.pattern}))?(?:@(?P<digest>[^@]+))?")
"""An image reference as the container runtime parses it (``distribution/reference``)."""
_MAX_NAME = 255
_SUFFIX = patterns.lazy(r"[A-Za-z0-9_.-]{1,127}")


def reference_problem(image: str) -> str:
    """Why ``image`` is not an image reference a runtime accepts (``""``: it is one)."""
    match = REFERENCE.fullmatch(image)
    if match is None:
        return "is not a valid image name"
    if len(match["name"]) > _MAX_NAME:
        return f"is not a valid image name: longer than {_MAX_NAME} characters"
    digest = match["digest"]
    if digest is not None and DIGEST.fullmatch(digest) is None:
        return "has a digest that is not valid"
    return ""


def check(entries: tuple[ImageEntry, ...], where: str) -> list[Finding]:
    """A finding for each value of an entry that the container runtime would refuse in the
    image it makes (pure; the build runs it unless ``--no-validate``)."""
    return [
        Finding(RULE, f"{where}: {entry.label}", message)
        for entry in entries
        for message in _entry_problems(entry)
    ]


def _entry_problems(entry: ImageEntry) -> list[str]:
    problems = []
    if not entry.name:
        problems.append("name is missing, so the entry matches no image")
    elif problem := reference_problem(entry.name):
        problems.append(f"name {quote(entry.name)} {problem}")
    if entry.new_name:
        match = REFERENCE.fullmatch(entry.new_name)
        if problem := reference_problem(entry.new_name):
            problems.append(f"newName {quote(entry.new_name)} {problem}")
        elif match is not None and match["digest"] and (entry.new_tag or entry.tag_suffix):
            problems.append(
                f"newName {quote(entry.new_name)} has a digest, so the image would have a tag "
                "after its digest"
            )
        elif match is not None and match["digest"] and entry.digest:
            problems.append(
                f"newName {quote(entry.new_name)} has a digest, so the image would have two"
            )
        elif match is not None and match["tag"] and (entry.new_tag or entry.tag_suffix):
            problems.append(
                f"newName {quote(entry.new_name)} has a tag, so the image would have two"
            )
    if entry.new_tag and TAG.fullmatch(entry.new_tag) is None:
        problems.append(f"newTag {quote(entry.new_tag)} is not a valid image tag")
    if entry.digest and DIGEST.fullmatch(entry.digest) is None:
        problems.append(
            f"digest {quote(entry.digest)} is not a valid image digest (sha256: and 64 lowercase "
            "hex digits, or sha384/sha512)"
        )
    if entry.tag_suffix and _SUFFIX.fullmatch(entry.tag_suffix) is None:
        problems.append(f"tagSuffix {quote(entry.tag_suffix)} is not valid in an image tag")
    return problems
