"""``buildMetadata:`` of the top kustomization: kustomize's build annotations, written last
(``api/krusty/kustomizer.go``).

- ``originAnnotations``: ``config.kubernetes.io/origin``, where each object came from (its
  resource file, or the generator that made it);
- ``transformerAnnotations``: ``alpha.config.kubernetes.io/transformations``, the transformers
  that ran over it, in order;
- ``managedByLabel``: the ``app.kubernetes.io/managed-by`` label of ``--enable-managedby-label``.

kgen tracks origins beside the objects (:attr:`kgen.model.Resource.build_origin`) and writes
the annotations once the stream is ordered; their text is kyaml's ``Marshal`` of kustomize's
``resource.Origin`` (fields in its struct order, empty ones left out, indent 2).
"""

from __future__ import annotations

from kgen import patterns, yamlio
from kgen.model import Origin, Resource

ORIGIN_ANNOTATIONS = "originAnnotations"
TRANSFORMER_ANNOTATIONS = "transformerAnnotations"
MANAGED_BY_LABEL = "managedByLabel"
ORIGIN_KEY = "config.kubernetes.io/origin"
TRANSFORMATIONS_KEY = "alpha.config.kubernetes.io/transformations"

_BY_FIELDS = ("apiVersion", "kind", "name", "namespace")
_OLD_BOOLS = frozenset(("y", "Y", "yes", "Yes", "YES", "on", "On", "ON"))
_OLD_BOOLS |= frozenset(("n", "N", "no", "No", "NO", "off", "Off", "OFF"))
_BASE60_FLOAT = patterns.lazy(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


def _not_plain_string(text: str) -> bool:
    """goyaml.v3's encoder (``stringv``): a string that reads back as another type (``0O0``,
    ``0b1``, ``1e3``, ``NULL``, ``2001-12-14``), or a YAML 1.1 bool or base-60 float
    (``Yes``, ``1:20``), is written double-quoted."""
    return (
        not yamlio.plain_scalar_is_string(text)
        or text in _OLD_BOOLS
        or _BASE60_FLOAT.fullmatch(text) is not None
    )


def _plain(text: str) -> bool:
    """Whether goyaml's emitter can write ``text`` as a plain scalar in block context."""
    if not text or text != text.strip(" ") or not text.isprintable():
        return False
    if text[0] in "#,[]{}&*!|>'\"%@`" or (text[0] in "-?:" and text[1:2] in ("", " ")):
        return False
    return ": " not in text and " #" not in text and not text.endswith(":")


def _scalar(text: str) -> str:
    """A string as goyaml.v3 writes it in a block mapping: plain, else double-quoted when it
    would read as another type or cannot be single-quoted, else single-quoted."""
    if _not_plain_string(text) or ("'" in text and not _plain(text)) or not text.isprintable():
        return '"' + "".join(map(_escaped, text)) + '"'
    return text if _plain(text) else f"'{text}'"


def _escaped(character: str) -> str:
    """A character inside a double-quoted YAML scalar."""
    if character in '"\\':
        return "\\" + character
    if character.isprintable():
        return character
    code = ord(character)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def origin_lines(origin: Origin) -> list[str]:
    """kyaml's ``Marshal`` of one ``resource.Origin``, line by line."""
    lines = []
    if origin.path:
        lines.append(f"path: {_scalar(origin.path)}")
    if origin.configured_in:
        lines.append(f"configuredIn: {_scalar(origin.configured_in)}")
    by = [
        f"  {name}: {_scalar(value)}"
        for name, value in zip(_BY_FIELDS, origin.configured_by, strict=True)
        if value
    ]
    if by:
        lines.extend(("configuredBy:", *by))
    return lines


def origin_text(origin: Origin) -> str:
    return "".join(f"{line}\n" for line in origin_lines(origin))


def transformations_text(origins: list[Origin]) -> str:
    lines = []
    for origin in origins:
        for number, line in enumerate(origin_lines(origin) or ["{}"]):
            lines.append(f"{'- ' if number == 0 else '  '}{line}\n")
    return "".join(lines)


def annotate(resources: list[Resource], options: tuple[str, ...]) -> None:
    """Write the build annotations ``options`` asks for into each object (in place). As
    kustomize, drop those it does not ask for, even ones an input object had (an emptied
    annotations map goes too)."""
    origins = ORIGIN_ANNOTATIONS in options
    transformations = TRANSFORMER_ANNOTATIONS in options
    for resource in resources:
        entries: dict[str, str] = {}
        if origins and resource.build_origin is not None:
            entries[ORIGIN_KEY] = origin_text(resource.build_origin)
        if transformations and resource.transformations:
            entries[TRANSFORMATIONS_KEY] = transformations_text(resource.transformations)
        metadata = resource.manifest.get("metadata")
        if not isinstance(metadata, dict):
            continue
        annotations = metadata.get("annotations")
        if isinstance(annotations, dict):
            stale = [key for key in (ORIGIN_KEY, TRANSFORMATIONS_KEY) if key in annotations]
            for key in stale:
                del annotations[key]
            if stale and not annotations and not entries:
                del metadata["annotations"]
        if not entries:
            continue
        if not isinstance(annotations, dict):
            annotations = metadata["annotations"] = {}
        annotations.update(entries)
