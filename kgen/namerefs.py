"""Name references: kustomize's nameReference table as data, and the rewrite of references.

kustomize fixes, once at the top level after the name hash, every field that names another object
whose name changed (``api/internal/accumulator/namereferencetransformer.go``,
``api/filters/nameref/nameref.go``). Which fields name which targets is the ``nameReference``
table (``api/internal/konfig/builtinpluginconsts/namereference.go``) plus ``configurations:``.

The table is data in :mod:`kgen.fieldspecs`; this module applies it.

Fidelity notes (kustomize semantics reproduced on kgen's model):

* A referrer is matched by its *original* GVK as kustomize computes ``Resource.OrgId()``: the
  current group/version with the kind of the first previous id, or the current GVK when the object
  was never renamed.
* A target's previous ids are read as kustomize's ``PrevIds()``: previous names and kinds with the
  *current* group/version.
* Only string values are references; non-string scalars are left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kgen.errors import ResourceError
from kgen.fieldspecs import FieldSpec, NameReference, join_path, selects
from kgen.model import Gvk, Manifest, ResId, Resource
from kgen.order import gvk_string
from kgen.records import NamedTuple
from kgen.scopes import is_cluster_scoped
from kgen.walker import FieldPathError, FieldTrie, find_fields

# --------------------------------------------------------------------------------------------
# Rewriting


def res_id_string(res_id: ResId) -> str:
    """kustomize's ``ResId.String()``: ``Kind.version.group/name.namespace``."""
    return f"{gvk_string(res_id.gvk)}/{res_id.name or '[noName]'}.{res_id.namespace or '[noNs]'}"


_ROLE_REF_NAME = "roleRef/name"
_SERVICE_ACCOUNT = "ServiceAccount"


class _Info(NamedTuple):
    """What the rewrite needs to know about one resource, computed once."""

    position: int
    resource: Resource
    id: ResId
    cluster_scoped: bool
    scope: str | None
    """The effective namespace (``""`` reads as ``default``), ``None`` when cluster-scoped."""
    org_gvk: Gvk
    """kustomize's ``OrgId().Gvk``: current group/version, kind of the first previous id."""
    org_namespace: str | None
    """kustomize's ``OrgId().EffectiveNamespace()``, ``None`` when cluster-scoped."""
    previous_names: tuple[str, ...]
    previous_kinds: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]


def _csv_list(values: list[str]) -> tuple[str, ...]:
    """kustomize keeps prefixes/suffixes in a comma-joined annotation, without empty entries."""
    return tuple(part for value in values if value for part in value.split(","))


def _effective_namespace(gvk: Gvk, namespace: str) -> str | None:
    if is_cluster_scoped(gvk):
        return None
    return namespace or "default"


def _make_info(position: int, resource: Resource) -> _Info:
    res_id = resource.id
    gvk = res_id.gvk
    previous = resource.previous_ids
    if previous:
        first = previous[0]
        org_gvk = Gvk(gvk.group, gvk.version, first.kind)
        org_namespace = _effective_namespace(first.gvk, first.namespace)
    else:
        org_gvk = gvk
        org_namespace = _effective_namespace(gvk, res_id.namespace)
    scope = _effective_namespace(gvk, res_id.namespace)
    return _Info(
        position,
        resource,
        res_id,
        scope is None,
        scope,
        org_gvk,
        org_namespace,
        tuple(dict.fromkeys(prev.name for prev in previous)),
        frozenset(prev.kind for prev in previous),
        _csv_list(resource.prefixes),
        _csv_list(resource.suffixes),
    )


def _same_ending(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """kustomize's ``SameEndingSubSlice``."""
    shortest, longest = (first, second) if len(first) <= len(second) else (second, first)
    if not shortest:
        return not longest
    return longest[len(longest) - len(shortest) :] == shortest


def _prefixes_suffixes_equal(candidate: _Info, referrer: _Info, allow_empty: bool) -> bool:
    """kustomize's ``Resource.PrefixesSuffixesEquals``."""
    if allow_empty:
        prefixes_ok = (
            not candidate.prefixes
            or not referrer.prefixes
            or _same_ending(candidate.prefixes, referrer.prefixes)
        )
        suffixes_ok = (
            not candidate.suffixes
            or not referrer.suffixes
            or _same_ending(candidate.suffixes, referrer.suffixes)
        )
        return prefixes_ok and suffixes_ok
    return _same_ending(candidate.prefixes, referrer.prefixes) and _same_ending(
        candidate.suffixes, referrer.suffixes
    )


def _previous_id_selected(info: _Info, selector: Gvk) -> bool:
    """Some previous id (current group/version, previous kind) is selected by ``selector``."""
    return (
        (not selector.group or selector.group == info.id.group)
        and (not selector.version or selector.version == info.id.version)
        and (not selector.kind or selector.kind in info.previous_kinds)
    )


class _Index:
    """All resources, indexed once by previous name (and namespace) for constant-time lookups."""

    def __init__(self, resources: list[Resource]) -> None:
        self.infos = [_make_info(position, resource) for position, resource in enumerate(resources)]
        self.by_name: dict[str, list[int]] = {}
        self.by_name_scope: dict[tuple[str, str | None], list[int]] = {}
        self.by_name_raw_namespace: dict[tuple[str, str], list[int]] = {}
        self.by_name_org_namespace: dict[tuple[str, str], list[int]] = {}
        self.org_namespaces: set[str] = set()
        self.org_namespaces_by_scope: dict[str | None, set[str]] = {}
        self.org_namespaces_by_raw_namespace: dict[str, set[str]] = {}
        for info in self.infos:
            if info.org_namespace is not None:
                self.org_namespaces.add(info.org_namespace)
                self.org_namespaces_by_scope.setdefault(info.scope, set()).add(info.org_namespace)
                self.org_namespaces_by_raw_namespace.setdefault(info.id.namespace, set()).add(
                    info.org_namespace
                )
            for name in info.previous_names:
                self.by_name.setdefault(name, []).append(info.position)
                self.by_name_scope.setdefault((name, info.scope), []).append(info.position)
                self.by_name_raw_namespace.setdefault((name, info.id.namespace), []).append(
                    info.position
                )
                if info.org_namespace is not None:
                    self.by_name_org_namespace.setdefault((name, info.org_namespace), []).append(
                        info.position
                    )


class _Referrer(NamedTuple):
    info: _Info
    role_binding_namespaces: frozenset[str]
    role_binding_namespace_list: tuple[str, ...]


def _role_binding_namespaces(info: _Info) -> tuple[str, ...]:
    """kustomize's ``getNamespacesForRoleBinding``: namespaces of ServiceAccount subjects."""
    if info.id.kind != "RoleBinding":
        return ()
    subjects = info.resource.manifest.get("subjects")
    if not isinstance(subjects, list):
        return ()
    result: dict[str, None] = {}
    for subject in subjects:
        if not isinstance(subject, dict) or "namespace" not in subject or "kind" not in subject:
            continue
        if subject["kind"] != _SERVICE_ACCOUNT:
            continue
        namespace = subject["namespace"]
        if not isinstance(namespace, str):
            raise ResourceError(
                info.resource.origin,
                f"{res_id_string(info.id)}: the namespace of a ServiceAccount subject must be "
                "a string",
            )
        result[namespace] = None
    return tuple(result)


def _merge_positions(lists: list[list[int]]) -> list[int]:
    present = [positions for positions in lists if positions]
    if not present:
        return []
    if len(present) == 1:
        return present[0]
    return sorted({position for positions in present for position in positions})


class _WalkError(Exception):
    """An ambiguous reference or a malformed referrer field; reported as a ResourceError."""


class _Leaf(NamedTuple):
    """A fieldSpec whose path ends at a trie node."""

    target: Gvk
    path: str
    """The fieldSpec path as written (for messages and the ``roleRef/name`` check)."""
    role_ref: bool
    """Candidates must also match the referrer's ``roleRef`` group and kind."""


class _Field(NamedTuple):
    """One (referrer, target, fieldSpec) being fixed."""

    referrer: _Referrer
    target: Gvk
    role_ref: Gvk | None
    """For a ``roleRef/name`` path: the roleRef's group/kind that candidates must also match."""


class _Rewriter:
    def __init__(self, index: _Index) -> None:
        self.index = index
        self._scalars: dict[tuple[Any, ...], str | None] = {}
        """:meth:`_new_scalar`'s answers by what they depend on: objects alike (a namespace,
        prefixes and suffixes) naming one object through fields of one target find it once."""

    # ---- candidates -------------------------------------------------------------------------

    @staticmethod
    def _in_subset(referrer: _Referrer, info: _Info) -> bool:
        """``SubsetThatCouldBeReferencedByResource(referrer)`` membership."""
        if referrer.info.cluster_scoped or info.cluster_scoped:
            return True
        return (
            info.scope == referrer.info.scope
            or info.id.namespace in referrer.role_binding_namespaces
        )

    def _candidates(self, referrer: _Referrer, name: str) -> list[int]:
        """Resources in the referrer's subset with a previous id named ``name``, in input order."""
        index = self.index
        if referrer.info.cluster_scoped:
            return index.by_name.get(name, [])
        lists = [
            index.by_name_scope.get((name, None), []),
            index.by_name_scope.get((name, referrer.info.scope), []),
        ]
        lists.extend(
            index.by_name_raw_namespace.get((name, namespace), [])
            for namespace in referrer.role_binding_namespace_list
        )
        return _merge_positions(lists)

    def _candidates_in_namespace(self, referrer: _Referrer, name: str, namespace: str) -> list[int]:
        """``filterMapCandidatesByNamespace``: the subset grouped by original namespace if that
        group exists, else by current namespace; then those with a previous id named ``name``."""
        index = self.index
        info = referrer.info
        if info.cluster_scoped:
            original_exists = namespace in index.org_namespaces
        else:
            groups = [
                index.org_namespaces_by_scope.get(None, set()),
                index.org_namespaces_by_scope.get(info.scope, set()),
            ]
            groups.extend(
                index.org_namespaces_by_raw_namespace.get(raw, set())
                for raw in referrer.role_binding_namespace_list
            )
            original_exists = any(namespace in group for group in groups)
        if original_exists:
            positions = index.by_name_org_namespace.get((name, namespace), [])
        else:
            positions = index.by_name_scope.get((name, namespace), [])
        return [p for p in positions if self._in_subset(referrer, index.infos[p])]

    def _select(
        self, field: _Field, positions: list[int], *, compare_namespaces: bool
    ) -> _Info | None:
        """kustomize's ``selectReferral`` over candidates whose previous name already matches."""
        infos = self.index.infos
        me = field.referrer.info
        role_ref = field.role_ref
        candidates = [
            info
            for info in (infos[position] for position in positions)
            if _previous_id_selected(info, field.target)
            and (role_ref is None or _previous_id_selected(info, role_ref))
            and (
                me.cluster_scoped
                or info.cluster_scoped
                or info.id.kind == _SERVICE_ACCOUNT
                or info.scope == me.scope
            )
        ]
        if len(candidates) == 1:
            return candidates[0]
        candidates = [c for c in candidates if _prefixes_suffixes_equal(c, me, allow_empty=True)]
        if len(candidates) > 1:
            candidates = [
                c for c in candidates if _prefixes_suffixes_equal(c, me, allow_empty=False)
            ]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            return None
        first = candidates[0].id
        if all(
            c.id.name == first.name
            and (not compare_namespaces or c.id.namespace == first.namespace)
            for c in candidates
        ):
            return candidates[0]
        ids = ", ".join(res_id_string(c.id) for c in candidates)
        raise _WalkError(f"found multiple possible referrals: {ids}")

    # ---- setting ----------------------------------------------------------------------------

    def _new_scalar(self, field: _Field, value: str) -> str | None:
        """``setScalar``: the new name for a scalar reference, or ``None`` to leave it."""
        referrer = field.referrer
        info = referrer.info
        key = (
            value,
            field.target,
            field.role_ref,
            info.cluster_scoped,
            info.scope,
            info.prefixes,
            info.suffixes,
            referrer.role_binding_namespace_list,
        )
        try:
            return self._scalars[key]
        except KeyError:
            pass
        new: str | None = None
        positions = self._candidates(referrer, value)
        if positions:
            referral = self._select(field, positions, compare_namespaces=False)
            if referral is not None and referral.id.name != value:
                new = referral.id.name
        self._scalars[key] = new
        return new

    def _set_mapping(self, field: _Field, node: dict[Any, Any]) -> None:
        """``setMapping``: a map with ``name`` and maybe ``namespace``."""
        if "name" not in node:
            raise _WalkError("path config error; no 'name' field in node")
        old_name = node["name"]
        if not isinstance(old_name, str):
            return
        if "namespace" in node:
            namespace = node["namespace"]
            if not isinstance(namespace, str):
                return
            positions = self._candidates_in_namespace(field.referrer, old_name, namespace)
        else:
            positions = self._candidates(field.referrer, old_name)
        if not positions:
            return
        referral = self._select(field, positions, compare_namespaces=True)
        if referral is None:
            return
        new_name, new_namespace = referral.id.name, referral.id.namespace
        if new_name == old_name and not new_namespace:
            return
        node["name"] = new_name
        if new_namespace:
            node["namespace"] = new_namespace

    def _set(self, field: _Field, container: dict[Any, Any] | list[Any], key: Any) -> None:
        """The node at the end of a path: a scalar, a map, or a sequence of either."""
        value = container[key]
        if isinstance(value, str):
            new = self._new_scalar(field, value)
            if new is not None:
                container[key] = new
        elif isinstance(value, dict):
            self._set_mapping(field, value)
        elif isinstance(value, list):
            for position, element in enumerate(value):
                if isinstance(element, str):
                    new = self._new_scalar(field, element)
                    if new is not None:
                        value[position] = new
                elif isinstance(element, dict):
                    self._set_mapping(field, element)
                elif isinstance(element, list):
                    raise _WalkError(
                        "a list element is expected to be either a string or a map of string"
                    )

    # ---- walking ----------------------------------------------------------------------------

    def rewrite(self, referrer: _Referrer, tries: list[FieldTrie[_Leaf]]) -> None:
        """Apply the tries (each the merged paths of some fieldSpecs) to the referrer, in order:
        at the end of each path, set (then the walk goes on below the new value)."""
        manifest = referrer.info.resource.manifest
        for trie in tries:
            try:
                for leaf, container, key, _ in find_fields(
                    manifest, trie, strict=True, located=False
                ):
                    role_ref = _role_ref_gvk(manifest) if leaf.role_ref else None
                    try:
                        self._set(_Field(referrer, leaf.target, role_ref), container, key)
                    except _WalkError as error:
                        raise _fail(referrer, leaf.path, str(error)) from None
            except FieldPathError as error:
                raise _fail(referrer, error.path, error.message) from None


def _fail(referrer: _Referrer, path: str, message: str) -> ResourceError:
    return ResourceError(
        referrer.info.resource.origin,
        f"updating name reference in '{path}' field of '{res_id_string(referrer.info.id)}': "
        f"{message}",
    )


def _role_ref_gvk(manifest: Manifest) -> Gvk | None:
    """``getRoleRefGvk``: ``roleRef.apiGroup`` + ``roleRef.kind`` (``None`` = accept all)."""
    role_ref = manifest.get("roleRef")
    if not isinstance(role_ref, dict):
        return None
    group = role_ref.get("apiGroup")
    kind = role_ref.get("kind")
    if not isinstance(group, str) or not isinstance(kind, str):
        return None
    return Gvk(group, "", kind)


class _Plan:
    """The table grouped by referrer kind, so each resource only walks the specs for its kind."""

    def __init__(self, table: Sequence[NameReference]) -> None:
        self.by_kind: dict[str, list[tuple[int, Gvk, FieldSpec]]] = {}
        ordinal = 0
        for entry in table:
            for spec in entry.referrers:
                self.by_kind.setdefault(spec.kind, []).append((ordinal, entry.target, spec))
                ordinal += 1
        self._cache: dict[Gvk, list[FieldTrie[_Leaf]]] = {}

    def tries_for(self, gvk: Gvk) -> list[FieldTrie[_Leaf]]:
        """The fieldSpecs that select ``gvk``, as tries to walk in order (usually one)."""
        cached = self._cache.get(gvk)
        if cached is None:
            rows = self.by_kind.get(gvk.kind, []) + (self.by_kind.get("", []) if gvk.kind else [])
            rows.sort(key=lambda row: row[0])
            specs = [(target, spec) for _, target, spec in rows if selects(spec, gvk)]
            merged: FieldTrie[_Leaf] = FieldTrie()
            for target, spec in specs:
                merged.add(spec.path, _leaf(target, spec))
            if merged.has_inner_ends():
                cached = []
                for target, spec in specs:
                    single: FieldTrie[_Leaf] = FieldTrie()
                    single.add(spec.path, _leaf(target, spec))
                    cached.append(single)
            else:
                cached = [merged] if specs else []
            self._cache[gvk] = cached
        return cached


def _leaf(target: Gvk, spec: FieldSpec) -> _Leaf:
    path = join_path(spec.path)
    return _Leaf(target, path, path.endswith(_ROLE_REF_NAME))


def rewrite_references(resources: list[Resource], table: Sequence[NameReference]) -> None:
    """Fix name references in ``resources`` in place, as kustomize's name-reference transformer.

    For each resource (the referrer) and each (target, fieldSpec) of ``table`` whose fieldSpec
    selects the referrer's original GVK, in table order: every string found at the field path
    (scalars, ``name``/``namespace`` maps, or sequences of either) that equals a *previous* name of
    a resource the referrer can see (cluster-scoped referrer: all; else cluster-scoped resources,
    its own effective namespace, and for a RoleBinding the namespaces of its ServiceAccount
    subjects), of the target GVK, is replaced with that resource's current name (a map also gets
    the referral's namespace when it has one). Several candidates are narrowed by the
    prefix/suffix history; if they still differ, a :class:`ResourceError` names the referrer, the
    field and the candidates. Linear in the number of resources and fields.
    """
    plan = _Plan(table)
    index = _Index(resources)
    rewriter = _Rewriter(index)
    for info in index.infos:
        tries = plan.tries_for(info.org_gvk)
        if not tries:
            continue
        namespaces = _role_binding_namespaces(info)
        rewriter.rewrite(_Referrer(info, frozenset(namespaces), namespaces), tries)
