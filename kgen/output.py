"""``--output``: the built streams written to files, all at once or not at all (I/O edge).

- One root and ``-o FILE``: the stream, in one file.
- One root and ``-o DIR`` (an existing directory, or a path ending in ``/``): one file per
  object, named as ``kubectl kustomize -o DIR`` names them: ``<group>_<version>_<kind>_<name>
  .yaml`` in lower case (empty parts left out), prefixed ``<namespace>_`` when the namespaced
  objects span several namespaces; each holds the object's document as the stream has it.
- Several roots (or ``--all``): ``DIR/<root's relative path>.yaml`` per root. A ``.yaml`` file
  already in ``DIR`` that no root rendered (a root that no longer exists) is reported, and
  removed with ``--prune``.

Every file whose content changes is written to a temporary beside it and renamed into place
once all are written (a failure leaves no temporary and touches no target); a file that already
holds its content is left as it is. A file holding a Secret gets mode 0600,
any other 0644 (both less the umask). The directory ``-o`` names may be created, never the
directories above it: a missing parent is an error.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from pathlib import Path

from kgen import emit
from kgen.errors import KgenError
from kgen.model import Manifest, manifest_id
from kgen.paths import display
from kgen.records import NamedTuple
from kgen.scopes import is_cluster_scoped

SECRET_MARKER = "REDACTED"  # noqa: S105 - the marker that replaces values, not one
"""What ``--redact-secrets`` writes in place of every Secret value."""
_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
SECRET_MODE = 0o600
FILE_MODE = 0o644


class Rendered(NamedTuple):
    """One root's build: its stream and the objects it holds."""

    root: Path
    body: str | bytes
    """The stream; packed (zlib, see :meth:`stream_only`) when it is bytes."""
    manifests: Sequence[Manifest]
    """Its objects (for ``-o DIR`` of one root: a file per object); empty when only the
    stream is kept (several roots)."""
    secret: bool | None = None
    """Whether it holds a Secret; ``None``: see its ``manifests``."""

    @property
    def text(self) -> str:
        """The stream (unpacked at each use)."""
        if isinstance(self.body, str):
            return self.body
        import zlib

        return zlib.decompress(self.body).decode("utf-8")

    def holds_secret(self) -> bool:
        return holds_secret(self.manifests) if self.secret is None else self.secret

    def stream_only(self) -> Rendered:
        """The same build keeping only its stream, packed: what several roots need until
        all are built (all or nothing), in a small part of the memory of their objects or
        their text. The packing is in memory only: nothing is written anywhere."""
        import zlib

        packed = zlib.compress(self.text.encode("utf-8"), 1)
        return Rendered(self.root, packed, (), self.holds_secret())


class Written(NamedTuple):
    """What a write did: the files it made, the stale ones found (removed with prune), and
    the files whose content it changed (written anew, or removed)."""

    files: tuple[Path, ...]
    stale: tuple[Path, ...]
    changed: tuple[Path, ...] = ()


def redact_secrets(manifests: Sequence[Manifest]) -> list[Manifest]:
    """The objects with every Secret's ``data``/``stringData`` value (and its last-applied
    annotation, which repeats them) replaced by :data:`SECRET_MARKER`, for rendered files
    committed for review; the Secret's hashed name still changes when a value does. Other
    objects are the same objects; a Secret is a copy."""
    return [_redacted(manifest) for manifest in manifests]


def _redacted(manifest: Manifest) -> Manifest:
    kind = manifest.get("kind")
    items = manifest.get("items")
    if kind != "Secret":
        if isinstance(items, list) and holds_secret(items):
            return {
                **manifest,
                "items": [_redacted(i) if isinstance(i, dict) else i for i in items],
            }
        return manifest
    copy = dict(manifest)
    for field in ("data", "stringData"):
        values = copy.get(field)
        if isinstance(values, dict):
            copy[field] = dict.fromkeys(values, SECRET_MARKER)
    metadata = copy.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    if isinstance(annotations, dict) and _LAST_APPLIED in annotations:
        assert isinstance(metadata, dict)
        copy["metadata"] = {
            **metadata,
            "annotations": {**annotations, _LAST_APPLIED: SECRET_MARKER},
        }
    return copy


def holds_secret(manifests: Sequence[Manifest]) -> bool:
    """Whether any object is a Secret (or a list holding one)."""
    pending: list[object] = list(manifests)
    while pending:
        node = pending.pop()
        if not isinstance(node, dict):
            continue
        if node.get("kind") == "Secret":
            return True
        items = node.get("items")
        if isinstance(items, list):
            pending.extend(items)
    return False


def is_directory_target(path: Path, raw: str) -> bool:
    """``-o`` names a directory: one that exists, or a path written with a trailing ``/``."""
    return raw.endswith(("/", os.sep)) or path.is_dir()


def plan(
    output: Path,
    rendered: Sequence[Rendered],
    *,
    several: bool,
    base: Path | None,
    raw: str = "",
) -> tuple[dict[Path, tuple[str, bool]], bool]:
    """The files ``-o output`` makes (path -> (text, holds a Secret)), and whether ``output``
    is a directory of them; ``raw`` is ``-o`` as given (its trailing ``/``)."""
    if several:
        files = {output / _root_file(item.root, base): item for item in rendered}
        return {path: (item.text, item.holds_secret()) for path, item in files.items()}, True
    (only,) = rendered
    if is_directory_target(output, raw or str(output)):
        planned = {output / name: entry for name, entry in per_object(only.manifests)}
        return planned, True
    return {output: (only.text, only.holds_secret())}, False


def write(
    output: Path,
    rendered: Sequence[Rendered],
    *,
    several: bool,
    base: Path | None,
    raw: str = "",
    prune: bool = False,
    private: Collection[str] = (),
) -> Written:
    """Write the builds to ``output`` as the module docstring says; a file holding one of
    the ``private`` texts (decrypted SOPS values, which any object may carry) is written
    with the mode of a Secret's."""
    planned, directory = plan(output, rendered, several=several, base=base, raw=raw)
    if private:
        from kgen.decryption import MIN_SECRET_CHARS

        lines = {
            line for text in private for line in text.splitlines() if len(line) >= MIN_SECRET_CHARS
        }
        planned = {
            path: (text, secret or any(line in text for line in lines))
            for path, (text, secret) in planned.items()
        }
    if directory:
        _check_target_directory(output)
    else:
        _check_parent(output)
    stale = stale_files(output, set(planned)) if several else []
    changed = [path for path, (text, _) in planned.items() if _content(path) != text]
    write_files({path: planned[path] for path in changed})
    if prune:
        for path in stale:
            path.unlink(missing_ok=True)
        changed += stale
    return Written(tuple(planned), tuple(stale), tuple(changed))


def _content(path: Path) -> str | None:
    """A file's text as kgen would have written it, ``None`` when there is none to read."""
    if not path.is_file():  # a FIFO is never opened (it would block): it is refused later
        return None
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def per_object(manifests: Sequence[Manifest]) -> list[tuple[str, tuple[str, bool]]]:
    """Each object's file name (kustomize's) and its document; a later object with the same
    name replaces an earlier one, as kustomize overwrites it."""
    ids = [manifest_id(manifest) for manifest in manifests]
    namespaces = {rid.namespace for rid in ids if not is_cluster_scoped(rid.gvk)}
    files: dict[str, tuple[str, bool]] = {}
    for rid, manifest in zip(ids, manifests, strict=True):
        gvk = "_".join(part for part in (rid.group, rid.version, rid.kind) if part)
        name = f"{gvk}_{rid.name}".lower() + ".yaml"
        if len(namespaces) > 1 and not is_cluster_scoped(rid.gvk):
            name = f"{rid.namespace.lower()}_{name}"
        files[name] = (emit.emit_document(manifest), rid.kind == "Secret")
    return list(files.items())


def _root_file(root: Path, base: Path | None) -> str:
    """``<root's relative path>.yaml``, relative to ``--all DIR`` or to the working directory
    (a root given by its absolute path names the same file as given relative); the root
    ``.`` is ``root.yaml``; a root outside is named by its whole real path (``-o out``:
    ``out/srv/apps/prod.yaml``), so that every file stays under ``-o``'s directory."""
    relative = os.path.relpath(root, base if base is not None else os.curdir)
    if relative == ".":
        return "root.yaml"
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        relative = os.path.normpath(root.resolve()).lstrip(os.sep)
    return relative + ".yaml"


def _check_target_directory(directory: Path) -> None:
    """The directory ``-o`` names may be created, not the ones above it."""
    if directory.exists() and not directory.is_dir():
        raise KgenError(display(directory), "cannot write: not a directory")
    if not directory.exists():
        _check_parent(directory)


def _check_parent(path: Path) -> None:
    """``path``'s directory exists (kgen creates no directory above what ``-o`` names)."""
    above = path.parent
    if above.is_dir():
        return
    while not above.exists() and above.parent != above:
        above = above.parent
    if above.exists() and not above.is_dir():
        raise KgenError(display(path), "cannot write: a path above it is not a directory")
    raise KgenError(display(path), f"cannot write: {display(path.parent)} does not exist")


def stale_files(directory: Path, planned: set[Path]) -> list[Path]:
    """``.yaml`` files below ``directory`` that this write does not produce."""
    if not directory.is_dir():
        return []
    found = sorted(path for path in directory.rglob("*.yaml") if path.is_file())
    return [path for path in found if path not in planned]


def write_files(files: dict[Path, tuple[str, bool]]) -> None:
    """Write every file (text, holds a Secret) to a temporary beside it, then rename them all
    into place; on any failure no temporary remains and no target is touched. A target that
    exists and is not a regular file (a device, a FIFO) is refused: renaming over it would
    replace it."""
    for path in files:
        if path.exists() and not path.is_file():
            raise KgenError(display(path), "cannot write: not a regular file")
    umask = _umask()
    temporaries: list[tuple[Path, Path]] = []
    current = Path()
    try:
        for path, (text, secret) in files.items():
            current = path
            _make_parent(path)
            import tempfile

            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            temporaries.append((Path(name), path))
            os.fchmod(handle, (SECRET_MODE if secret else FILE_MODE) & ~umask)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
        for temporary, path in temporaries:
            current = path
            temporary.replace(path)
    except OSError as exc:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
        raise KgenError(display(current), f"cannot write: {exc.strerror}") from None
    except BaseException:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _make_parent(path: Path) -> None:
    """The file's directory (:func:`write` has checked that the one ``-o`` names, or its
    parent, exists: what is created here lies below it)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise KgenError(display(path), "cannot write: a path above it is not a directory") from None
