"""Checks the API server or the kubelet would apply, run at build time (pure).

Each finding carries a rule id, names where (generator entry, or object and field path) and
never quotes a value. Rules, their reasons and how to silence them are listed in the README
("What kgen checks") and in :data:`RULES`.
"""

from __future__ import annotations

import binascii
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from kgen import patterns
from kgen.errors import describe_type, quote
from kgen.fieldspecs import BUILTIN_NAME_REFERENCES, FieldSpec, NameReference, selects, split_path
from kgen.findings import Finding
from kgen.kustomization import GeneratorSpec
from kgen.model import Gvk, Manifest, Resource, id_text
from kgen.records import NamedTuple
from kgen.sources import Pair
from kgen.walker import FieldTrie, Location, find_fields, location_text

MAX_SIZE = 1024 * 1024
_KEY = patterns.lazy(r"[-._a-zA-Z0-9]+")
_DNS_SUBDOMAIN = patterns.lazy(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_ENV_VAR = patterns.lazy(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
_MAX_NAME = 253

REQUIRED_KEYS: dict[str, tuple[tuple[str, ...], str]] = {
    "kubernetes.io/tls": (("tls.crt", "tls.key"), "all"),
    "kubernetes.io/dockerconfigjson": ((".dockerconfigjson",), "all"),
    "kubernetes.io/dockercfg": ((".dockercfg",), "all"),
    "kubernetes.io/basic-auth": (("username", "password"), "any"),
    "kubernetes.io/ssh-auth": (("ssh-privatekey",), "all"),
}
"""Secret types and the keys the API server requires (``all`` of them or ``any`` one)."""

SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token"  # noqa: S105 - a type name
SERVICE_ACCOUNT_NAME = "kubernetes.io/service-account.name"
NONEMPTY_KEYS = {"kubernetes.io/ssh-auth": "ssh-privatekey"}
"""Keys whose value the API server requires to be non-empty, by Secret type."""
_JSON_KEYS = {
    "kubernetes.io/dockerconfigjson": ".dockerconfigjson",
    "kubernetes.io/dockercfg": ".dockercfg",
}

POD_SPECS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
"""Where each workload kind keeps its pod spec."""

_PV_SECRET_REFS = (
    "nodePublishSecretRef",
    "controllerPublishSecretRef",
    "nodeStageSecretRef",
    "controllerExpandSecretRef",
)


# ------------------------------------------------------------------------------------------
# Generator sources: keys with their provenance (env-file line numbers).


def check_pairs(spec: GeneratorSpec, pairs: Sequence[Pair]) -> list[Finding]:
    """Keys of a generator entry and env-file values, each named by its source entry."""
    return [finding for pair in pairs for finding in check_pair(spec, pair)]


def check_pair(spec: GeneratorSpec, pair: Pair) -> list[Finding]:
    """The key and (env-file) value of one pair of a generator entry, named by its source
    entry. The build reports them only if the key reaches the output (a later ``behavior:
    replace`` may drop it, a merge override it)."""
    findings = []
    rule = "secret-key" if spec.kind == "Secret" else "configmap-key"
    where = f"{spec.where}.{pair.entry}"
    problem = key_problem(pair.key)
    if problem and pair.whole_line:
        findings.append(
            Finding(
                rule,
                where,
                "the line has no '=', so the whole line would be the key, which is not a "
                "valid key (is an '=' missing?)",
            )
        )
    elif problem and pair.hidden:
        findings.append(
            Finding(
                rule,
                where,
                "the line holds a carriage return without a line feed before its '=', so "
                "the key would hold it, which is not a valid key (convert the file to LF "
                "or CRLF line endings)",
            )
        )
    elif problem:
        findings.append(Finding(rule, where, f"{pair.describe_key()} {problem}"))
    elif pair.whole_line:
        findings.append(
            Finding(
                "env-line",
                where,
                "the line has no '=', so the whole line becomes a key with an empty value "
                "(is an '=' missing, or is it a value without its key?); the key is not "
                "shown in messages",
            )
        )
    elif pair.bare_cr:
        findings.append(
            Finding(
                "env-line",
                where,
                f"the value of {pair.describe_key()} holds a carriage return without a line "
                "feed, which env files do not read as a line break (convert the file to LF "
                "or CRLF line endings)",
            )
        )
    value = pair.value
    if (
        pair.entry.startswith("envs[")
        and len(value) >= 2
        and value[:1] == value[-1:]
        and value[:1] in (b'"', b"'")
    ):
        findings.append(
            Finding(
                "env-quotes",
                where,
                f"the value of {pair.describe_key() if pair.hidden else quote(pair.key)} is "
                "wrapped in quotes, which are kept as "
                "part of the value (env files take values verbatim)",
            )
        )
    return findings


def key_problem(key: str) -> str:
    """Why ``key`` is not a valid Secret/ConfigMap data key, or ``""``."""
    if key.startswith("export ") and _KEY.fullmatch(key[len("export ") :]):
        return "is not a valid key: remove 'export ' (env files are not shell scripts)"
    if any(ch.isspace() for ch in key):
        return "is not a valid key: keys cannot contain whitespace"
    if len(key) > _MAX_NAME:
        return f"is not a valid key: longer than {_MAX_NAME} characters"
    if not _KEY.fullmatch(key):
        return "is not a valid key: only alphanumerics, '-', '_' and '.' are allowed"
    if key in (".", "..") or key.startswith(".."):
        return "is not a valid key: must not be '.' or '..' or start with '..'"
    return ""


# ------------------------------------------------------------------------------------------
# The built stream.


class NameRule(NamedTuple):
    pattern: re.Pattern[str]
    max_length: int
    description: str


_SUBDOMAIN = NameRule(
    _DNS_SUBDOMAIN,
    _MAX_NAME,
    "a valid DNS subdomain (lowercase alphanumerics, '-' and '.', starting and ending with an "
    f"alphanumeric, at most {_MAX_NAME} characters)",
)
NAME_RULES: dict[tuple[str, str], NameRule] = {
    **dict.fromkeys(
        (
            ("v1", "Secret"),
            ("v1", "ConfigMap"),
            ("v1", "Pod"),
            ("v1", "ServiceAccount"),
            ("v1", "PersistentVolumeClaim"),
            ("apps/v1", "Deployment"),
            ("apps/v1", "ReplicaSet"),
            ("apps/v1", "DaemonSet"),
            ("apps/v1", "StatefulSet"),
            ("batch/v1", "Job"),
        ),
        _SUBDOMAIN,
    ),
    ("v1", "Service"): NameRule(
        re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?"),
        63,
        "a valid DNS-1035 label (lowercase alphanumerics and '-', starting with a letter and "
        "ending with an alphanumeric, at most 63 characters)",
    ),
    ("v1", "Namespace"): NameRule(
        re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"),
        63,
        "a valid DNS label (lowercase alphanumerics and '-', starting and ending with an "
        "alphanumeric, at most 63 characters)",
    ),
    ("batch/v1", "CronJob"): NameRule(
        _DNS_SUBDOMAIN,
        52,
        "a valid DNS subdomain of at most 52 characters (its Jobs add 11)",
    ),
}
"""Naming rules the API server applies, by (apiVersion, kind); other kinds are not checked."""


def check_generated(spec: GeneratorSpec, pairs: Sequence[Pair]) -> list[Finding]:
    """What a build would find of one generator's object alone: its pairs, then the object
    as the stream holds it (hashed name, type, size, a typed Secret's keys); for ``kgen edit``,
    which refuses what the build would refuse. Data keys that may hold a value are named by
    their source, as the build names them."""
    from kgen import generators
    from kgen.hashing import hash_suffix

    found = check_pairs(spec, pairs)
    resource = generators.make_resource(spec, pairs)
    if resource.needs_hash:
        resource.rename(f"{resource.name}-{hash_suffix(resource.manifest, 'xxhash')}")
    return found + check_stream([resource], ())


def undecrypted_source(where: str, file: str) -> Finding:
    """A generator source that is a SOPS file, read as it is (``--no-decrypt``)."""
    return Finding(
        "sops-encrypted",
        where,
        f"{file} is SOPS-encrypted and was not decrypted (--no-decrypt): the generated value "
        "would be its ciphertext",
    )


def check_stream(
    resources: Sequence[Resource], table: Sequence[NameReference] = BUILTIN_NAME_REFERENCES
) -> list[Finding]:
    """Object-level checks over the final objects (after hashing and reference rewriting);
    ``table``: the build's name-reference table, which says which fields kustomize rewrote.

    A SOPS-encrypted object gets that one finding: its values are ciphertext, so every other
    check of it would report the encryption under a wrong name."""
    findings: list[Finding] = []
    index = _Index(resources)
    referrers = _Referrers(table)
    for resource in resources:
        manifest = resource.manifest
        kind = manifest.get("kind")
        if isinstance(manifest.get("sops"), dict):
            findings.append(
                Finding(
                    "sops-encrypted",
                    resource.described,
                    "the file is SOPS-encrypted (this object has a sops block) and was not "
                    "decrypted (--no-decrypt): its values are ciphertext",
                )
            )
            continue
        findings.extend(list(_check_list(resource)) or _check_name(resource))
        findings.extend(_check_string_maps(resource))
        if kind in DATA_FIELDS and manifest.get("apiVersion") == "v1":
            findings.extend(_check_data_object(resource))
        findings.extend(_check_references(resource, index, referrers))
    return findings


#: Where an object (and the pod template it holds) keeps its labels and annotations.
_METADATA_PATHS: tuple[tuple[str, ...], ...] = (
    ("metadata",),
    ("spec", "template", "metadata"),
    ("spec", "jobTemplate", "spec", "template", "metadata"),
)


def _check_string_maps(resource: Resource) -> Iterator[Finding]:
    """Label and annotation values are strings to the API server (``map[string]string``):
    kustomize writes an unquoted ``12`` or ``true`` label back as a number or a boolean."""
    for path in _METADATA_PATHS:
        metadata = _get(resource.manifest, path)
        if not isinstance(metadata, dict):
            continue
        for field in ("labels", "annotations"):
            values = metadata.get(field)
            if not isinstance(values, dict):
                continue
            for key, value in values.items():
                if value is not None and not isinstance(value, str):  # null decodes as ""
                    yield Finding(
                        "object-type",
                        resource.described,
                        f"{'.'.join((*path, field))}[{quote(str(key))}]: the value is "
                        f"{describe_type(value)}, not a string; quote it",
                    )


def _check_list(resource: Resource) -> Iterator[Finding]:
    manifest = resource.manifest
    kind = manifest.get("kind")
    if not isinstance(kind, str) or not kind.endswith("List") or "items" in manifest:
        return
    misspelt = sorted(key for key in manifest if isinstance(key, str) and key.lower() == "items")
    if misspelt:
        yield Finding(
            "list-items",
            resource.described,
            f"{kind} holds its objects under {quote(misspelt[0])}, but Kubernetes and kustomize "
            f'read only "items" (lowercase): none of them is built, and the {kind} stays one '
            "object (write items:)",
        )


def _check_name(resource: Resource) -> Iterator[Finding]:
    manifest = resource.manifest
    metadata = manifest.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    kind = manifest.get("kind")
    for field, value in (("apiVersion", manifest.get("apiVersion")), ("kind", kind)):
        if not isinstance(value, str):
            # kustomize writes ``kind: 2`` back as a number
            yield Finding("object-type", resource.described, f"{field} is not a string; quote it")
    if not isinstance(name, str) or not name:
        problem = "is not a string; quote it" if id_text(name) else "is missing"
        yield Finding("object-name", resource.described, f"{kind}: metadata.name {problem}")
        return
    rule = NAME_RULES.get((manifest.get("apiVersion"), kind))  # type: ignore[arg-type]
    if rule is not None and (len(name) > rule.max_length or not rule.pattern.fullmatch(name)):
        yield Finding(
            "object-name",
            resource.described,
            f"{kind} name {quote(name)} is not {rule.description}",
        )


DATA_FIELDS: dict[str, tuple[str, ...]] = {
    "Secret": ("data", "stringData"),
    "ConfigMap": ("data", "binaryData"),
}
"""The value fields of each kind; Secret ``stringData`` overrides ``data`` (the API server
merges it before validating)."""
BASE64_FIELDS = {("Secret", "data"), ("ConfigMap", "binaryData")}
"""Fields the API server reads as ``[]byte``: base64 text in JSON."""


class _Values(NamedTuple):
    """The value fields of a Secret or ConfigMap as the API server decodes them."""

    fields: list[tuple[str, dict[str, bytes | None]]]
    """Each present field with its keys and values (``None``: the value does not decode)."""
    problems: list[tuple[str, str | None, str]]
    """(field, key, why its value does not decode); no key: the field itself."""


def _decode_values(manifest: Manifest) -> _Values:
    kind = manifest["kind"]
    values = _Values([], [])
    for field in DATA_FIELDS[kind]:
        found = manifest.get(field)
        if found is not None and not isinstance(found, dict):
            values.problems.append((field, None, f"is {describe_type(found)}, not a mapping"))
        if not isinstance(found, dict):
            continue
        decoded: dict[str, bytes | None] = {}
        for key, value in found.items():
            data, problem = decode_value(value, base64=(kind, field) in BASE64_FIELDS)
            decoded[str(key)] = data
            if problem:
                values.problems.append((field, str(key), problem))
        values.fields.append((field, decoded))
    return values


def decode_value(value: Any, *, base64: bool) -> tuple[bytes | None, str]:
    """A data value as the API server's JSON decoder reads it into a string (or, with
    ``base64``, into ``[]byte``): ``(bytes, "")``, or ``(None, why it does not decode)``."""
    if value is None:
        return b"", ""  # JSON null decodes to an empty value
    if not isinstance(value, str):
        return None, f"is {describe_type(value)}, not a string"
    if not base64:
        return value.encode("utf-8", errors="surrogatepass"), ""
    decoded = decode_base64(value)
    if decoded is None:
        return None, (
            "is not valid base64 (the API server decodes it as standard base64 with '=' "
            "padding; only line breaks may be added)"
        )
    return decoded, ""


_BASE64 = patterns.lazy(r"[A-Za-z0-9+/]*={0,2}")
"""With a length that is a multiple of 4: whole quantums, the last one padded if short."""


def decode_base64(text: str) -> bytes | None:
    """``text`` decoded as Go's ``encoding/json`` decodes ``[]byte``: the standard alphabet,
    ``=`` padding required (and nowhere else), ``\\r`` and ``\\n`` ignored anywhere; ``None``
    when it does not decode."""
    compact = text.replace("\r", "").replace("\n", "")
    if len(compact) % 4 or not _BASE64.fullmatch(compact):
        return None
    return binascii.a2b_base64(compact.encode("ascii"))


def _check_data_object(resource: Resource) -> Iterator[Finding]:
    manifest = resource.manifest
    kind = manifest["kind"]
    where = resource.described
    name = resource.name
    values = _decode_values(manifest)
    rule = "secret-key" if kind == "Secret" else "configmap-key"
    if not resource.generated:
        for field, found in values.fields:
            for key in found:
                problem = key_problem(key)
                if problem:
                    yield Finding(rule, where, f"{field}: key {quote(key)} {problem}")
    if kind == "ConfigMap":
        fields = dict(values.fields)
        both = sorted(set(fields.get("data", {})) & set(fields.get("binaryData", {})))
        for both_key in both:
            yield Finding(
                rule,
                where,
                f"data: key {_key_name(resource, both_key)} is also a binaryData key (a key can be "
                "in only one)",
            )
    for field, value_key, problem in values.problems:
        what = f"the value of key {quote(value_key)}" if value_key is not None else "the field"
        yield Finding("data-value", where, f"{field}: {what} {problem}")
    merged = _merged(values)
    # The API server sums the values (not the keys): Secret data after stringData is merged
    # in, ConfigMap data and binaryData both.
    entries = (
        merged.items()
        if kind == "Secret"
        else [item for _, found in values.fields for item in found.items()]
    )
    sizes: dict[str, int] = {}
    for key, value in entries:
        sizes[key] = sizes.get(key, 0) + len(value or b"")
    size = sum(sizes.values())
    if size > MAX_SIZE:
        largest = max(sorted(sizes), key=sizes.__getitem__)
        yield Finding(
            "object-size",
            where,
            f"{kind} {quote(name)} holds {size:,} bytes of values, more than the {MAX_SIZE:,} "
            f"bytes (1 MiB) the API server accepts (largest: "
            f"{'' if largest in resource.hidden_keys else 'key '}{_key_name(resource, largest)}, "
            f"{sizes[largest]:,} bytes)",
        )
    if kind == "Secret":
        yield from _check_secret_type(resource, merged)


def _merged(values: _Values) -> dict[str, bytes | None]:
    """Keys and values as the API server sees them: Secret ``stringData`` over ``data``."""
    merged: dict[str, bytes | None] = {}
    for _, found in values.fields:
        merged.update(found)
    return merged


def _check_secret_type(resource: Resource, values: dict[str, bytes | None]) -> Iterator[Finding]:
    secret_type = resource.manifest.get("type")
    if secret_type == SERVICE_ACCOUNT_TOKEN:
        yield from _check_service_account_token(resource)
        return
    if not isinstance(secret_type, str) or secret_type not in REQUIRED_KEYS:
        return
    required, mode = REQUIRED_KEYS[secret_type]
    missing = [key for key in required if key not in values]
    if (mode == "all" and missing) or (mode == "any" and len(missing) == len(required)):
        if len(required) == 1:
            needs = f"the key {required[0]}"
        elif mode == "all":
            needs = f"the keys {' and '.join(required)}; missing: {', '.join(missing)}"
        else:
            needs = f"one of the keys {' or '.join(required)}"
        yield Finding("secret-type", resource.described, f"type {secret_type} needs {needs}")
        return
    if secret_type in NONEMPTY_KEYS:
        key = NONEMPTY_KEYS[secret_type]
        if values[key] == b"":
            yield Finding(
                "secret-type",
                resource.described,
                f"type {secret_type}: the value of {key} is empty",
            )
    json_key = _JSON_KEYS.get(secret_type)
    value = values.get(json_key) if json_key is not None else None
    if value is not None:
        problem = json_object_problem(value)
        if problem:
            yield Finding(
                "secret-type",
                resource.described,
                f"type {secret_type}: the value of {json_key} {problem}",
            )


def _check_service_account_token(resource: Resource) -> Iterator[Finding]:
    metadata = resource.manifest.get("metadata")
    found = metadata.get("annotations") if isinstance(metadata, dict) else None
    annotations = found if isinstance(found, dict) else {}
    if SERVICE_ACCOUNT_NAME not in annotations:
        yield Finding(
            "secret-type",
            resource.described,
            f"type {SERVICE_ACCOUNT_TOKEN} needs the annotation {SERVICE_ACCOUNT_NAME}",
        )
        return
    value = annotations[SERVICE_ACCOUNT_NAME]
    if not isinstance(value, str) or not value:
        what = "empty" if value in ("", None) else describe_type(value)
        yield Finding(
            "secret-type",
            resource.described,
            f"type {SERVICE_ACCOUNT_TOKEN}: the annotation {SERVICE_ACCOUNT_NAME} must name a "
            f"service account (it is {what})",
        )


# ------------------------------------------------------------------------------------------
# JSON as Go's encoding/json reads it into a map (the API server's check of docker configs).

MAX_JSON_DEPTH = 10_000
"""Go's encoding/json refuses input nested deeper than this."""
_JSON_SPACE = patterns.lazy(r"[ \t\n\r]*")
_JSON_STRING = patterns.lazy(
    r'"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"'
)
_JSON_NUMBER = patterns.lazy(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_JSON_LITERAL = patterns.lazy(r"true|false|null")
_JSON_TYPES = {"[": "an array", '"': "a string", "t": "a boolean", "f": "a boolean"}
_NOT_JSON = "is not valid JSON"


def json_object_problem(data: bytes) -> str:
    """Why Go's ``json.Unmarshal(data, &map[string]interface{}{})`` fails, or ``""``.

    Checked without recursion (any depth is safe): the strict JSON grammar (no NaN, no
    Infinity, no byte order mark), at most :data:`MAX_JSON_DEPTH` levels, an object (or
    ``null``) at the top, and numbers that fit a 64-bit float."""
    text = data.decode("utf-8", errors="replace")  # Go keeps invalid UTF-8 inside strings
    end = len(text)
    stack: list[str] = []
    state = "value"  # value | first-value | key | first-key | after
    top = ""
    too_large = False
    pos = 0
    while True:
        pos = _JSON_SPACE.match(text, pos).end()  # type: ignore[union-attr]
        char = text[pos] if pos < end else ""
        if state == "after":
            if not stack:
                break
            closer = "}" if stack[-1] == "{" else "]"
            if char == ",":
                state = "key" if stack[-1] == "{" else "value"
            elif char == closer:
                stack.pop()
            else:
                return _NOT_JSON
            pos += 1
        elif state in ("key", "first-key"):
            if char == "}" and state == "first-key":
                stack.pop()
                state = "after"
                pos += 1
                continue
            match = _JSON_STRING.match(text, pos)
            if match is None:
                return _NOT_JSON
            pos = _JSON_SPACE.match(text, match.end()).end()  # type: ignore[union-attr]
            if text[pos : pos + 1] != ":":
                return _NOT_JSON
            state = "value"
            pos += 1
        elif char == "]" and state == "first-value":
            stack.pop()
            state = "after"
            pos += 1
        else:
            top = top or char
            if char in ("{", "["):
                if len(stack) >= MAX_JSON_DEPTH:
                    return (
                        f"nests deeper than {MAX_JSON_DEPTH:,} levels, more than the API "
                        "server's JSON decoder reads"
                    )
                stack.append(char)
                state = "first-key" if char == "{" else "first-value"
                pos += 1
                continue
            match = (
                _JSON_STRING.match(text, pos)
                or _JSON_NUMBER.match(text, pos)
                or _JSON_LITERAL.match(text, pos)
            )
            if match is None:
                return _NOT_JSON
            if char not in ('"', "t", "f", "n") and math.isinf(float(match.group())):
                too_large = True
            state = "after"
            pos = match.end()
    if pos != end:
        return _NOT_JSON
    if top not in ("{", "n"):
        return f"is JSON but not an object (it is {_JSON_TYPES.get(top, 'a number')})"
    if too_large:
        return "holds a number too large for the API server's JSON decoder (a 64-bit float)"
    return ""


# ------------------------------------------------------------------------------------------
# References from pod specs, ServiceAccounts and PersistentVolumes.


class _Site(NamedTuple):
    """One field naming a Secret or ConfigMap."""

    kind: str
    name: str
    namespace: str
    location: Location
    """Of the field messages name: the reference object, or the name field itself."""
    keys: tuple[tuple[str, str], ...]
    """Keys the field needs the object to have, each with where below :attr:`path` the field
    naming it is (``.key`` of a keyRef, ``.items[0].key``)."""
    optional: bool
    env_from_prefix: str | None
    """For ``envFrom``: the prefix (``""`` when none); ``None`` otherwise."""
    rewritten: bool
    """Whether kustomize rewrites this field (else a pre-hash name there is stale)."""

    @property
    def path(self) -> str:
        """For messages: ``spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef``
        (spelled out only when a message needs it)."""
        return location_text(self.location)


class _Index:
    """Generated objects by (kind, namespace, current name) and by any earlier name."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self.current: dict[tuple[str, str, str], Resource] = {}
        self.earlier: dict[tuple[str, str], list[Resource]] = {}
        self._keys: dict[int, frozenset[str]] = {}
        for resource in resources:
            if not resource.generated:
                continue
            rid = resource.id
            namespace = rid.namespace or "default"
            self.current[(rid.kind, namespace, rid.name)] = resource
            names = {previous.name for previous in resource.previous_ids} - {rid.name}
            for name in sorted(names):
                self.earlier.setdefault((rid.kind, name), []).append(resource)

    def keys(self, target: Resource) -> frozenset[str]:
        """The data keys of a generated object (computed once)."""
        found = self._keys.get(id(target))
        if found is None:
            found = frozenset(_data_keys(target.manifest))
            self._keys[id(target)] = found
        return found


def _data_keys(manifest: Manifest) -> Iterator[str]:
    for field in ("data", "binaryData", "stringData"):
        values = manifest.get(field)
        if isinstance(values, dict):
            yield from map(str, values)


def _check_references(
    resource: Resource, index: _Index, referrers: _Referrers
) -> Iterator[Finding]:
    if not index.current:
        return
    for site in _sites(resource, referrers):
        namespace = site.namespace or "default"
        target = index.current.get((site.kind, namespace, site.name))
        if target is not None:
            yield from _check_keys(resource, site, target, index.keys(target))
            continue
        at = f"{site.path}: {site.kind} {quote(site.name)}"
        renamed = index.earlier.get((site.kind, site.name), [])
        same = [t for t in renamed if (t.id.namespace or "default") == namespace]
        if same:
            yield Finding(
                "stale-name",
                resource.described,
                f"{at} names a generated object by its name before the hash suffix, and "
                f"kustomize does not rewrite this field: it will point at nothing (use "
                f"{quote(same[0].name)} or disableNameSuffixHash)",
            )
        elif renamed and site.rewritten:
            others = sorted({t.id.namespace or "default" for t in renamed})
            yield Finding(
                "cross-namespace",
                resource.described,
                f"{at} is generated in namespace {', '.join(others)}, not in {namespace}: "
                "references do not cross namespaces, so it will not resolve",
            )


def _key_name(resource: Resource, key: str) -> str:
    """A data key of ``resource`` as messages name it: quoted, or by its file and line when it
    came from an env-file line that may hold a value."""
    hidden = resource.hidden_keys.get(key)
    return hidden if hidden is not None else quote(key)


def _key_names(resource: Resource, keys: Iterable[str]) -> list[str]:
    """Keys as messages name them: the shown ones sorted, then the hidden ones by where they
    came from (so that their place among the others tells nothing about them either)."""
    hidden = resource.hidden_keys
    shown = sorted(key for key in keys if key not in hidden)
    return [quote(key) for key in shown] + sorted(hidden[key] for key in keys if key in hidden)


def _check_keys(
    resource: Resource, site: _Site, target: Resource, keys: frozenset[str]
) -> Iterator[Finding]:
    if not site.optional:
        for key, below in site.keys:
            if key not in keys:
                present = ", ".join(_key_names(target, keys)) or "none"
                yield Finding(
                    "missing-key",
                    resource.described,
                    f"{site.path}{below}: {site.kind} {quote(site.name)} has no key "
                    f"{quote(key)} (it has: {present}); the Pod would not start",
                )
    if site.env_from_prefix is not None:
        bad = [k for k in keys if not _ENV_VAR.fullmatch(site.env_from_prefix + k)]
        if bad:
            yield Finding(
                "envfrom-key",
                resource.described,
                f"{site.path}: {site.kind} {quote(site.name)} has keys that are not valid "
                "environment variable names, which the "
                "kubelet skips (unless RelaxedEnvironmentVariableValidation is on): "
                + ", ".join(_key_names(target, bad)),
            )


_POD_SPEC_REFERENCES: tuple[tuple[str, str], ...] = (
    ("Secret", "imagePullSecrets/name"),
    *(
        (kind, f"{containers}/{field}")
        for containers in ("initContainers", "containers", "ephemeralContainers")
        for kind, field in (
            ("Secret", "env/valueFrom/secretKeyRef/name"),
            ("ConfigMap", "env/valueFrom/configMapKeyRef/name"),
            ("Secret", "envFrom/secretRef/name"),
            ("ConfigMap", "envFrom/configMapRef/name"),
        )
    ),
    ("Secret", "volumes/secret/secretName"),
    ("ConfigMap", "volumes/configMap/name"),
    ("Secret", "volumes/projected/sources/secret/name"),
    ("ConfigMap", "volumes/projected/sources/configMap/name"),
    ("Secret", "volumes/csi/nodePublishSecretRef/name"),
)
"""Where a pod spec names a Secret or ConfigMap (the Kubernetes API). kustomize's name-reference
table rewrites most of these fields, not all (not ``ephemeralContainers``, CSI secret refs, or
any field of a ReplicationController): a field it does not rewrite is checked for a stale
name."""

_REFERENCES_BY_KIND: dict[str, tuple[tuple[str, FieldSpec], ...]] = {
    **{
        kind: tuple(
            (target, FieldSpec("", "", kind, (*prefix, *split_path(path))))
            for target, path in _POD_SPEC_REFERENCES
        )
        for kind, prefix in POD_SPECS.items()
    },
    "ServiceAccount": (
        ("Secret", FieldSpec("", "", "ServiceAccount", ("secrets", "name"))),
        ("Secret", FieldSpec("", "", "ServiceAccount", ("imagePullSecrets", "name"))),
    ),
    "PersistentVolume": tuple(
        ("Secret", FieldSpec("", "", "PersistentVolume", ("spec", "csi", field, "name")))
        for field in _PV_SECRET_REFS
    ),
}
"""Each kind's fields that name a Secret or ConfigMap by the Kubernetes API, whether kustomize
rewrites them or not; the fields of the name-reference table are checked as well."""

_TARGET_KINDS = ("Secret", "ConfigMap")


_Trie = FieldTrie[tuple[str, bool]]
"""Field paths of one kind, each with the kind it names (Secret, ConfigMap) and whether
kustomize rewrites it."""


class _Referrers:
    """Every field that names a core Secret or ConfigMap, by referrer GVK: the fields of the
    build's name-reference table (with its ``configurations:``), which kustomize rewrites, and
    the Kubernetes fields it does not (:data:`_REFERENCES_BY_KIND`). One trie per GVK, made
    when an object of it is first checked."""

    def __init__(self, table: Sequence[NameReference]) -> None:
        self._table = [
            (entry.target.kind, spec)
            for entry in table
            if entry.target.kind in _TARGET_KINDS and not entry.target.group
            for spec in entry.referrers
        ]
        self._tries: dict[Gvk, _Trie] = {}

    def trie(self, gvk: Gvk) -> _Trie:
        trie = self._tries.get(gvk)
        if trie is None:
            rewritten = {(target, spec.path) for target, spec in self._table if selects(spec, gvk)}
            trie = FieldTrie()
            for target, spec in _REFERENCES_BY_KIND.get(gvk.kind, ()):
                if (target, spec.path) not in rewritten:
                    trie.add(spec.path, (target, False))
            for target, path in sorted(rewritten):
                trie.add(path, (target, True))
            self._tries[gvk] = trie
        return trie


def _sites(resource: Resource, referrers: _Referrers) -> list[_Site]:
    """Every field of ``resource`` naming a Secret or ConfigMap, in field order; ``rewritten``
    when kustomize's table (as this build has it) names the field."""
    manifest = resource.manifest
    metadata = manifest.get("metadata")
    found = metadata.get("namespace") if isinstance(metadata, dict) else None
    namespace = found if isinstance(found, str) else ""
    trie = referrers.trie(resource.id.gvk)
    sites: dict[Location, _Site] = {}
    for (target, rewritten), container, key, location in find_fields(manifest, trie):
        site = _site(
            manifest,
            container,
            key,
            location,
            target=target,
            namespace=namespace,
            rewritten=rewritten,
        )
        if site is not None:
            sites[location] = site
    return [sites[location] for location in sorted(sites)]


def _site(
    manifest: Manifest,
    ref: Any,
    name_field: Any,
    location: Location,
    *,
    target: str,
    namespace: str,
    rewritten: bool,
) -> _Site | None:
    """The site of a name field (``ref[name_field]``, a string in a mapping), if it is one."""
    name = ref[name_field] if isinstance(ref, dict) else None
    if not isinstance(name, str):
        return None
    # A reference object ({name: ...}, a volume's {secretName: ...}) is named by its own path.
    last, holder = location[-1], location[-2] if len(location) > 1 else None
    by_holder = last == "name" or (last == "secretName" and holder == "secret")
    keys: tuple[tuple[str, str], ...] = ()
    key = ref.get("key")
    if location[-2] in ("secretKeyRef", "configMapKeyRef") and isinstance(key, str):
        keys = ((key, ".key"),)
    elif "items" in ref:
        keys = _item_keys(ref)
    env_from_prefix = None
    if len(location) >= 4 and location[-4] == "envFrom":  # envFrom[i].secretRef.name
        holder = _at(manifest, location[:-2])
        prefix = holder.get("prefix") if isinstance(holder, dict) else None
        env_from_prefix = prefix if isinstance(prefix, str) else ""
    own_namespace = ref.get("namespace")
    return _Site(
        kind=target,
        name=name,
        namespace=own_namespace if isinstance(own_namespace, str) else namespace,
        location=location[:-1] if by_holder else location,
        keys=keys,
        optional=ref.get("optional") is True,
        env_from_prefix=env_from_prefix,
        rewritten=rewritten,
    )


def _item_keys(source: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (item["key"], f".items[{index}].key")
        for index, item in enumerate(_list(source.get("items")))
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    )


def _at(manifest: Manifest, location: Location) -> Any:
    node: Any = manifest
    for part in location:
        node = node[part]
    return node


def _get(manifest: Manifest, path: tuple[str, ...]) -> Any:
    node: Any = manifest
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def classify(
    findings: Sequence[Finding], allow: Sequence[str], *, strict: bool
) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) once ``allow``ed rules are dropped; ``strict`` makes warnings errors."""
    kept = [finding for finding in findings if finding.rule not in allow]
    errors = [f for f in kept if strict or f.severity == "error"]
    warnings = [f for f in kept if not strict and f.severity == "warning"]
    return errors, warnings
