"""``kgen edit add secret|configmap``: add sources to a generator of a kustomization, in place.

Like ``kustomize edit add secret``/``configmap``, with kgen's checks before anything is written:
every source is validated (literal syntax, files that exist inside the kustomization directory,
valid keys, no key given twice), the edited file must read back as intended, and it is written
atomically. The file is edited in round-trip mode (:mod:`kgen.yamlio`): comments, key order,
quoting and indentation are kept; only the generator list gains or changes entries.

No message repeats a literal or anything read from an env file except its keys.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Literal

from kgen import yamlio
from kgen.decryption import Decryptor
from kgen.errors import GeneratorError, KustomizationError, LoadError, label, quote
from kgen.kustomization import (
    FILE_NAMES,
    KUSTOMIZATION_VERSION,
    GeneratorSpec,
    find_kustomization,
    parse_kustomization,
)
from kgen.loader import Loader
from kgen.paths import display
from kgen.records import NamedTuple
from kgen.sources import Pair, parse_env_file, parse_file_source
from kgen.validate import key_problem

__all__ = ["BEHAVIORS", "GeneratorEdit", "add_generator"]

BEHAVIORS = ("create", "merge", "replace")
_NEW_FILE_MODE = 0o644  # before the umask, like any new file

SourceField = Literal["literals", "files", "envs"]
_SOURCE_FIELDS: tuple[SourceField, ...] = ("literals", "files", "envs")


class GeneratorEdit(NamedTuple):
    """What ``kgen edit add secret|configmap NAME`` asks for.

    ``files`` are ``[KEY=]PATH`` and ``env_files`` are ``PATH``; a relative ``PATH`` is relative
    to the kustomization directory (an absolute one must lie inside it). ``None`` means "not
    given": on an existing generator, a given ``secret_type``/``namespace``/``behavior`` must
    match it.
    """

    kind: Literal["Secret", "ConfigMap"]
    name: str
    literals: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    env_files: tuple[str, ...] = ()
    secret_type: str | None = None
    namespace: str | None = None
    behavior: str | None = None
    disable_name_suffix_hash: bool = False
    immutable: bool = False
    force: bool = False
    restrict: bool = True
    """The build's load restrictor (``LoadRestrictionsRootOnly``) for the files an existing
    generator reads; new sources must lie inside the directory in any case."""


class _Source(NamedTuple):
    """One new source entry: the text written to ``field`` and the keys it gives."""

    field: SourceField
    text: str
    keys: tuple[Pair, ...]
    entry: str
    """``--from-literal[0]``, ``--from-file[1]``, ``--from-env-file[0]``."""


class _Origin(NamedTuple):
    """Where an existing key of the generator comes from."""

    field: SourceField
    position: int
    pair: Pair


class _Plan(NamedTuple):
    """Changes to one generator's source lists: entries replaced in place, removed, appended."""

    replace: dict[SourceField, dict[int, str]]
    remove: dict[SourceField, set[int]]
    append: dict[SourceField, list[str]]


def add_generator(directory: Path, edit: GeneratorEdit) -> Path:
    """Edit the kustomization in ``directory`` in place (create ``kustomization.yaml`` when
    there is none); return its path. Raises :class:`kgen.errors.KgenError` subclasses, before
    anything is written."""
    path, exists = _kustomization_path(directory)
    where = display(path)
    root = path.parent
    field = "secretGenerator" if edit.kind == "Secret" else "configMapGenerator"
    at = f"{where}: {field}[{label(edit.name)}]"
    _check_edit(edit, at)
    sources = _new_sources(edit, root, at)

    if exists:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise LoadError(where, f"cannot read file: {exc.strerror}") from None
        document = yamlio.load_round_trip(data, where)
        loaded = yamlio.load_documents(data, where, "kustomization")
        before: dict[str, Any] = loaded[0] if loaded else {}
    else:
        document = yamlio.new_round_trip_document()
        document.data["apiVersion"] = KUSTOMIZATION_VERSION
        document.data["kind"] = "Kustomization"
        before = {}

    specs = _existing_specs(before, field, path, where)
    index = _find_generator(specs, edit, at)
    key = _field_key(document.data, field)
    entries = _generator_list(document.data, field, len(specs), where)
    if index is None:
        appended = {name: [s.text for s in sources if s.field == name] for name in _SOURCE_FIELDS}
        plan = _Plan({}, {}, appended)
        _append(entries, _new_generator(edit, plan))
        spec = None
    else:
        spec = specs[index]
        plan = _plan(spec, sources, root, edit, at)
        _edit_generator(entries[index], edit, plan, at)
    if key is None or document.data[key] is None:
        _append_field(document, field, entries)
    legacy_env = _has_legacy_env(before, field, index)
    expected = _expected_spec(
        edit=edit, field=field, at=at, plan=plan, spec=spec, legacy_env=legacy_env
    )

    if index is None and not sources:
        raise GeneratorError(
            at, "a new generator needs a source: --from-literal, --from-file or --from-env-file"
        )

    out = yamlio.dump_round_trip(document)
    _refuse_what_the_build_refuses(out, edit, path, root)
    _verify(
        out,
        before=before if exists else None,
        field=field,
        specs=specs,
        index=index,
        expected=expected,
        path=path,
        where=where,
    )
    _write_atomically(path, out)
    return path


def _refuse_what_the_build_refuses(out: bytes, edit: GeneratorEdit, path: Path, root: Path) -> None:
    """The build's checks of the edited generator's object, as the edited file ``out`` gives
    it (its name, keys, a typed Secret's keys, its size): an error among them refuses the
    edit, under the same rule ids."""
    from kgen import sources as pair_sources
    from kgen.errors import FindingsError
    from kgen.paths import read_file
    from kgen.validate import check_generated

    where = display(path)
    documents = yamlio.load_documents(out, where, "kustomization")
    edited = parse_kustomization(documents[0], path, where)
    spec = next(
        generator
        for generator in edited.generators
        if (generator.kind, generator.name, generator.namespace)
        == (edit.kind, edit.name, edit.namespace or "")
    )

    decryptor = Decryptor()  # an encrypted file stays encrypted: it is checked in memory
    pairs = pair_sources.load_pairs(
        spec,
        lambda path, where: decryptor.source(root / path, read_file(root / path, where), where),
    )
    errors = [f for f in check_generated(spec, pairs) if f.severity == "error"]
    if errors:
        raise FindingsError(spec.where, [(f.where, f.message, f.rule) for f in errors])


# --------------------------------------------------------------------------------------------
# Inputs


def _kustomization_path(directory: Path) -> tuple[Path, bool]:
    """The kustomization file of ``directory`` and whether it exists."""
    if not directory.is_dir():
        raise LoadError(display(directory), "not a directory")
    names = {entry.name for entry in directory.iterdir()}
    if not any(name in names for name in FILE_NAMES):
        return directory / FILE_NAMES[0], False
    return find_kustomization(directory, display(directory)), True


def _check_edit(edit: GeneratorEdit, at: str) -> None:
    if not edit.name:
        raise GeneratorError(at, "a generator needs a name")
    if edit.kind == "ConfigMap" and edit.secret_type is not None:
        raise GeneratorError(at, "--type is only for a Secret")
    if edit.secret_type == "":
        raise GeneratorError(at, "--type: must not be empty")
    if edit.behavior is not None and edit.behavior not in BEHAVIORS:
        raise GeneratorError(
            at, f"--behavior: must be create, merge or replace, not {quote(edit.behavior)}"
        )


def _new_sources(edit: GeneratorEdit, root: Path, at: str) -> list[_Source]:
    """Every new source, checked: syntax, files, keys (valid, none given twice)."""
    sources: list[_Source] = []
    for index, literal in enumerate(edit.literals):
        entry = f"--from-literal[{index}]"
        key, sep, _ = literal.partition("=")
        if not sep:
            raise GeneratorError(at, f"{entry}: expected KEY=VALUE")
        if not key:
            raise GeneratorError(at, f"{entry}: expected KEY=VALUE (the key is empty)")
        sources.append(_Source("literals", literal, (Pair(key, b"", entry),), entry))
    for index, file_source in enumerate(edit.files):
        entry = f"--from-file[{index}]"
        try:
            key, given = parse_file_source(file_source, entry)
        except GeneratorError as exc:
            raise GeneratorError(at, f"{exc.where}: {exc.message}") from None
        relative = _relative_file(given, root, at, entry)
        if "=" in file_source:
            text = f"{key}={relative}"
        else:
            key, text = Path(relative).name, relative
        sources.append(_Source("files", text, (Pair(key, b"", entry),), entry))
    for index, given in enumerate(edit.env_files):
        entry = f"--from-env-file[{index}]"
        relative = _relative_file(given, root, at, entry)
        pairs = parse_env_file(_read(root / relative, at, entry), f"{entry}: {relative}", at)
        sources.append(_Source("envs", relative, tuple(pairs), entry))

    seen: dict[str, Pair] = {}
    for source in sources:
        for pair in source.keys:
            problem = key_problem(pair.key)
            if problem and pair.whole_line:
                raise GeneratorError(
                    at,
                    f"{pair.entry}: the line has no '=', so the whole line would be the key, "
                    "which is not a valid key (is an '=' missing?)",
                )
            if problem:
                raise GeneratorError(at, f"{pair.entry}: {pair.describe_key()} {problem}")
            if pair.key in seen:
                raise GeneratorError(
                    at,
                    f"{pair.entry}: {pair.describe_key()} is given twice "
                    f"(first by {seen[pair.key].entry})",
                )
            seen[pair.key] = pair
    return sources


def _relative_file(given: str, root: Path, at: str, entry: str) -> str:
    """``given`` (relative to ``root``, or absolute) as stored: relative to ``root``, ``/``
    separated. It must be an existing file inside ``root``, symlinks resolved."""
    path = Path(given)
    candidate = path if path.is_absolute() else root / path
    shown = display(candidate)
    if not candidate.exists():
        raise LoadError(at, f"{entry}: file not found: {shown}")
    absolute_root = Path(os.path.normpath(root.absolute()))
    lexical = Path(os.path.normpath(candidate.absolute()))
    real_root = root.resolve()
    real = candidate.resolve()
    inside = absolute_root in lexical.parents and real != real_root and real_root in real.parents
    if not inside:
        raise LoadError(
            at, f"{entry}: {shown} is outside the kustomization directory {display(root)}"
        )
    if not real.is_file():
        raise LoadError(at, f"{entry}: {shown} is not a file")
    return lexical.relative_to(absolute_root).as_posix()


def _read(path: Path, at: str, entry: str) -> bytes:
    """The content of a new env file, decrypted in memory when it is a SOPS file (the file
    itself stays encrypted: the kustomization lists it, the build decrypts it)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(at, f"{entry}: cannot read {display(path)}: {exc.strerror}") from None
    return Decryptor().source(path, data, f"{at}.{entry}")


# --------------------------------------------------------------------------------------------
# The existing generators (as kgen reads them: YAML 1.1, like kustomize)


def _field_key(data: Any, field: str) -> Any:
    """The key of ``field`` in a mapping (field names match case-insensitively), or None."""
    found = [key for key in data if str(key).lower() == field.lower()]
    return found[-1] if found else None


def _existing_specs(
    before: dict[str, Any], field: str, path: Path, where: str
) -> list[GeneratorSpec]:
    key = _field_key(before, field)
    if key is None or before[key] is None:
        return []
    return list(parse_kustomization({field: before[key]}, path, where).generators)


def _has_legacy_env(before: dict[str, Any], field: str, index: int | None) -> bool:
    """Whether the generator uses the older ``env:`` field (kgen reads it after ``envs``)."""
    if index is None:
        return False
    entry = before[_field_key(before, field)][index]
    key = _field_key(entry, "env")
    return key is not None and bool(entry[key])


def _find_generator(specs: list[GeneratorSpec], edit: GeneratorEdit, at: str) -> int | None:
    """The index of the generator ``edit`` adds to, or None for a new one."""
    same = [index for index, spec in enumerate(specs) if spec.name == edit.name]
    if edit.namespace is not None:
        exact = [index for index in same if specs[index].namespace == edit.namespace]
        if not exact and same:
            raise GeneratorError(
                at,
                f"--namespace {quote(edit.namespace)} does not match: the generator has "
                f"{_namespace(specs[same[0]].namespace)}",
            )
        same = exact
    if len(same) > 1:
        namespaces = ", ".join(_namespace(specs[index].namespace) for index in same)
        raise GeneratorError(
            at, f"several generators have this name ({namespaces}): give --namespace"
        )
    if not same:
        return None
    spec = specs[same[0]]
    if edit.secret_type is not None and edit.secret_type != spec.secret_type:
        raise GeneratorError(
            at,
            f"--type {quote(edit.secret_type)} does not match: the generator has type "
            f"{quote(spec.secret_type)}",
        )
    if edit.behavior is not None and edit.behavior != spec.behavior:
        raise GeneratorError(
            at,
            f"--behavior {quote(edit.behavior)} does not match: the generator has behavior "
            f"{quote(spec.behavior)}",
        )
    return same[0]


def _namespace(namespace: str) -> str:
    return f"namespace {quote(namespace)}" if namespace else "no namespace"


def _existing_keys(
    spec: GeneratorSpec, root: Path, at: str, *, restrict: bool
) -> dict[str, _Origin]:
    """Every key the generator has now, with the entry it comes from."""
    reader = Loader(restrict=restrict).reader()
    keys: dict[str, _Origin] = {}
    for index, literal in enumerate(spec.literals):
        key, sep, _ = literal.partition("=")
        if sep and key:
            keys.setdefault(key, _Origin("literals", index, Pair(key, b"", f"literals[{index}]")))
    for index, source in enumerate(spec.files):
        try:
            key, _ = parse_file_source(source, at)
        except GeneratorError:
            continue  # the build reports it
        keys.setdefault(key, _Origin("files", index, Pair(key, b"", f"files[{index}]")))
    for index, path in enumerate(spec.envs):
        entry = f"envs[{index}]"
        data = reader.source(root, path, f"{at}.{entry}")
        for pair in parse_env_file(data, f"{entry}: {path}", at):
            keys.setdefault(pair.key, _Origin("envs", index, pair))
    return keys


def _plan(
    spec: GeneratorSpec, sources: list[_Source], root: Path, edit: GeneratorEdit, at: str
) -> _Plan:
    """How the generator's lists change: a key that exists is an error, or with ``force`` its
    literal or file entry is replaced (in place when the new source is of the same kind)."""
    existing = _existing_keys(spec, root, at, restrict=edit.restrict)
    force = edit.force
    plan = _Plan({}, {}, {})
    for source in sources:
        replaced: _Origin | None = None
        for pair in source.keys:
            origin = existing.get(pair.key)
            if origin is None:
                continue
            described = origin.pair.describe_key()
            if not force:
                raise GeneratorError(at, f"{described} already exists (use --force to replace it)")
            if origin.field == "envs":
                raise GeneratorError(
                    at,
                    f"{described} cannot be replaced: it comes from env file "
                    f"{spec.envs[origin.position]}",
                )
            if source.field == origin.field and replaced is None:
                replaced = origin
            else:
                plan.remove.setdefault(origin.field, set()).add(origin.position)
        if replaced is not None:
            plan.replace.setdefault(source.field, {})[replaced.position] = source.text
        else:
            plan.append.setdefault(source.field, []).append(source.text)
    return plan


# --------------------------------------------------------------------------------------------
# Editing the round-trip document


def _generator_list(data: Any, field: str, count: int, where: str) -> list[Any]:
    key = _field_key(data, field)
    entries = None if key is None else data[key]
    if entries is None:
        return yamlio.new_sequence()
    if not isinstance(entries, list) or len(entries) != count:
        raise KustomizationError(where, f"{field}: cannot be edited (not a plain list)")
    return entries


def _append_field(document: yamlio.RoundTripDocument, field: str, entries: list[Any]) -> None:
    key = _field_key(document.data, field)
    if key is not None:
        document.data[key] = entries
        return
    comment = yamlio.detach_trailing_comment(document.data, only_after_blank_line=True)
    document.data[field] = entries
    yamlio.attach_trailing_comment(document.data, comment)


def _append(collection: list[Any], item: Any) -> None:
    comment = yamlio.detach_trailing_comment(collection)
    collection.append(item)
    yamlio.attach_trailing_comment(collection, comment)


def _set(mapping: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` (a new key goes last, before what followed the mapping)."""
    found = _field_key(mapping, key)
    if found is not None:
        mapping[found] = value
        return
    comment = yamlio.detach_trailing_comment(mapping)
    mapping[key] = value
    yamlio.attach_trailing_comment(mapping, comment)


def _strings(texts: list[str]) -> list[Any]:
    sequence = yamlio.new_sequence()
    sequence.extend(yamlio.string_scalar(text) for text in texts)
    return sequence


def _new_generator(edit: GeneratorEdit, plan: _Plan) -> dict[str, Any]:
    entry = yamlio.new_mapping()
    entry["name"] = yamlio.string_scalar(edit.name)
    if edit.namespace:
        entry["namespace"] = yamlio.string_scalar(edit.namespace)
    if edit.behavior is not None:
        entry["behavior"] = edit.behavior
    if edit.secret_type is not None:
        entry["type"] = yamlio.string_scalar(edit.secret_type)
    for field in _SOURCE_FIELDS:
        if plan.append.get(field):
            entry[field] = _strings(plan.append[field])
    options = _new_options(edit)
    if options:
        entry["options"] = options
    return entry


def _new_options(edit: GeneratorEdit) -> dict[str, Any]:
    options = yamlio.new_mapping()
    if edit.disable_name_suffix_hash:
        options["disableNameSuffixHash"] = True
    if edit.immutable:
        options["immutable"] = True
    return options


def _edit_generator(entry: Any, edit: GeneratorEdit, plan: _Plan, at: str) -> None:
    if not isinstance(entry, dict):
        raise KustomizationError(at, "cannot be edited (not a plain mapping)")
    for field in _SOURCE_FIELDS:
        key = _field_key(entry, field)
        current = None if key is None else entry[key]
        if current is not None and not isinstance(current, list):
            raise KustomizationError(at, f"{field}: cannot be edited (not a plain list)")
        for index, text in plan.replace.get(field, {}).items():
            assert current is not None  # replaced entries exist
            current[index] = yamlio.string_scalar(text)
        removed = sorted(plan.remove.get(field, ()), reverse=True)
        if current is not None and removed:
            comment = yamlio.detach_trailing_comment(current)
            for index in removed:
                del current[index]
            if not current:
                del entry[key]
            yamlio.attach_trailing_comment(current if current else entry, comment)
        appended = plan.append.get(field, [])
        if not appended:
            continue
        if current is None or (removed and not current):
            _set(entry, field, _strings(appended))
        else:
            comment = yamlio.detach_trailing_comment(current)
            current.extend(yamlio.string_scalar(text) for text in appended)
            yamlio.attach_trailing_comment(current, comment)
    wanted = _new_options(edit)
    if not wanted:
        return
    key = _field_key(entry, "options")
    options = None if key is None else entry[key]
    if options is None:
        _set(entry, "options", wanted)
        return
    if not isinstance(options, dict):
        raise KustomizationError(at, "options: cannot be edited (not a plain mapping)")
    for name, value in wanted.items():
        _set(options, name, value)


# --------------------------------------------------------------------------------------------
# Checking the result and writing it


def _expected_spec(
    *,
    edit: GeneratorEdit,
    field: str,
    at: str,
    plan: _Plan,
    spec: GeneratorSpec | None,
    legacy_env: bool,
) -> dict[str, Any]:
    """What kgen must read back for the edited generator (its sources, type, namespace...)."""
    lists: dict[str, tuple[str, ...]] = {}
    legacy: tuple[str, ...] = ()
    for name in _SOURCE_FIELDS:
        current = list(getattr(spec, name)) if spec is not None else []
        if name == "envs" and legacy_env:
            legacy = (current.pop(),)
        for index, text in plan.replace.get(name, {}).items():
            current[index] = text
        removed = plan.remove.get(name, set())
        current = [text for index, text in enumerate(current) if index not in removed]
        lists[name] = (*current, *plan.append.get(name, []))
    lists["envs"] = (*lists["envs"], *legacy)
    disable = edit.disable_name_suffix_hash or (
        spec is not None and spec.options.disable_name_suffix_hash
    )
    immutable = edit.immutable or (spec is not None and spec.options.immutable)
    return {
        "name": edit.name,
        "where": at,
        "namespace": spec.namespace if spec is not None else (edit.namespace or ""),
        "behavior": spec.behavior if spec is not None else (edit.behavior or "create"),
        "secret_type": spec.secret_type if spec is not None else (edit.secret_type or "Opaque"),
        "disable_name_suffix_hash": disable,
        "immutable": immutable,
        **lists,
        "field": field,
    }


def _verify(
    out: bytes,
    *,
    before: dict[str, Any] | None,
    field: str,
    specs: list[GeneratorSpec],
    index: int | None,
    expected: dict[str, Any],
    path: Path,
    where: str,
) -> None:
    """The edited file must read (as kgen reads it) like the original, but for the one
    generator, which must read as intended."""
    failure = KustomizationError(
        where, "the edited file would not read back as intended; nothing was written"
    )
    loaded = yamlio.load_documents(out, where, "kustomization")
    after: dict[str, Any] = loaded[0] if loaded else {}
    key = _field_key(after, field)
    if before is None:
        rest_before: dict[str, Any] = {"apiVersion": KUSTOMIZATION_VERSION, "kind": "Kustomization"}
    else:
        rest_before = {k: v for k, v in before.items() if k != _field_key(before, field)}
    rest_after = {k: v for k, v in after.items() if k != key}
    if rest_after != rest_before or key is None:
        raise failure
    specs_after = list(parse_kustomization({field: after[key]}, path, where).generators)
    target = len(specs) if index is None else index
    others_after = specs_after[:target] + specs_after[target + 1 :]
    if len(specs_after) != len(specs) + (index is None) or others_after != [
        spec for number, spec in enumerate(specs) if number != index
    ]:
        raise failure
    spec = specs_after[target]
    got = {
        "name": spec.name,
        "where": spec.where,
        "namespace": spec.namespace,
        "behavior": spec.behavior,
        "secret_type": spec.secret_type,
        "disable_name_suffix_hash": spec.options.disable_name_suffix_hash,
        "immutable": spec.options.immutable,
        "literals": spec.literals,
        "files": spec.files,
        "envs": spec.envs,
        "field": field,
    }
    if got != expected:
        raise failure


def _write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path`` (whose
    permissions it keeps): ``path`` is never left partly written."""
    target = path.resolve() if path.is_symlink() else path
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _NEW_FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            temporary.chmod(mode)
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise LoadError(display(path), f"cannot write file: {exc.strerror}") from None
