"""Output order of the built resources (kustomize's ``SortOrderTransformer``).

``legacy`` reproduces ``api/internal/builtins/SortOrderTransformer.go`` (``legacyIDSorter``):

1. rank by kind only (group and version ignored): the kinds of ``orderFirst`` come first, in list
   order, the kinds of ``orderLast`` last, in list order, all other kinds in between;
2. same rank, different group/version/kind: by the string ``group_version_kind``
   (``~G``/``~V``/``~K`` for empty parts), bytewise, except that two ``Namespace`` kinds of which
   one has an empty group compare the other way round (so the core ``v1`` Namespace comes first);
3. same group/version/kind: by ``Kind.version.group|namespace|name`` (``[noGrp]``/``[noVer]``/
   ``[noKind]`` for empty gvk parts, ``~X`` for no namespace, ``~N`` for no name), bytewise.

``fifo`` keeps the input order.
"""

from __future__ import annotations

import functools

from kgen.errors import KustomizationError
from kgen.model import Gvk, ResId, Resource, SortOptions
from kgen.records import NamedTuple

DEFAULT_ORDER_FIRST: tuple[str, ...] = (
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
)
"""kustomize's ``defaultOrderFirst``."""

DEFAULT_ORDER_LAST: tuple[str, ...] = (
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
)
"""kustomize's ``defaultOrderLast``."""

_NAMESPACE_KIND = "Namespace"


def kind_ranks(order_first: tuple[str, ...], order_last: tuple[str, ...]) -> dict[str, int]:
    """kustomize's ``typeOrders``: negative ranks for ``order_first``, positive for ``order_last``.

    Kinds not listed rank 0. A kind listed twice keeps its last position; a kind in both lists
    ranks as in ``order_last``.
    """
    ranks: dict[str, int] = {}
    for index, kind in enumerate(order_first):
        ranks[kind] = index - len(order_first)
    for index, kind in enumerate(order_last):
        ranks[kind] = index + 1
    return ranks


def gvk_sort_string(gvk: Gvk) -> str:
    """``legacyGVKSortString``: ``group_version_kind`` with ``~G``/``~V``/``~K`` for empty parts."""
    return "_".join((gvk.group or "~G", gvk.version or "~V", gvk.kind or "~K"))


def gvk_string(gvk: Gvk) -> str:
    """kustomize's ``Gvk.String()``: ``Kind.version.group``, ``[noKind]`` etc. when empty."""
    return ".".join((gvk.kind or "[noKind]", gvk.version or "[noVer]", gvk.group or "[noGrp]"))


def id_sort_string(res_id: ResId) -> str:
    """``legacyResIDSortString``: ``Kind.version.group|namespace|name`` (``~X``/``~N`` if empty)."""
    return "|".join((gvk_string(res_id.gvk), res_id.namespace or "~X", res_id.name or "~N"))


class _SortKey(NamedTuple):
    rank: int
    gvk: Gvk
    gvk_string: str
    id_string: str


def _less(a: _SortKey, b: _SortKey) -> bool:
    """``legacyIDSorter.Less`` with ``gvkLessThan``, verbatim."""
    if a.gvk != b.gvk:
        if a.rank != b.rank:
            return a.rank < b.rank
        if (
            a.gvk.kind == _NAMESPACE_KIND
            and b.gvk.kind == _NAMESPACE_KIND
            and (a.gvk.group == "" or b.gvk.group == "")
        ):
            return a.gvk_string > b.gvk_string
        return a.gvk_string < b.gvk_string
    return a.id_string < b.id_string


def _compare(a: _SortKey, b: _SortKey) -> int:
    if _less(a, b):
        return -1
    if _less(b, a):
        return 1
    return 0


def _needs_namespace_special_case(keys: list[_SortKey]) -> bool:
    """True if two different Namespace GVKs, one of them without group, are present."""
    namespace_gvks = {key.gvk for key in keys if key.gvk.kind == _NAMESPACE_KIND}
    return len(namespace_gvks) > 1 and any(gvk.group == "" for gvk in namespace_gvks)


def legacy_order(
    resources: list[Resource],
    order_first: tuple[str, ...] = DEFAULT_ORDER_FIRST,
    order_last: tuple[str, ...] = DEFAULT_ORDER_LAST,
) -> list[Resource]:
    """kustomize's legacy sort of ``resources`` by their current ids (a new list; stable)."""
    ranks = kind_ranks(order_first, order_last)
    keyed: list[tuple[_SortKey, Resource]] = []
    for resource in resources:
        res_id = resource.id
        gvk = res_id.gvk
        keyed.append(
            (
                _SortKey(ranks.get(gvk.kind, 0), gvk, gvk_sort_string(gvk), id_sort_string(res_id)),
                resource,
            )
        )
    keys = [key for key, _ in keyed]
    if _needs_namespace_special_case(keys):
        # The reversed compare for Namespace kinds can't be expressed as a plain key.
        compare = functools.cmp_to_key(_compare)
        keyed.sort(key=lambda item: compare(item[0]))
    else:
        # Equivalent to ``_less`` whenever the Namespace special case can't occur.
        keyed.sort(key=lambda item: (item[0].rank, item[0].gvk_string, item[0].id_string))
    return [resource for _, resource in keyed]


def order_resources(resources: list[Resource], options: SortOptions) -> list[Resource]:
    """Return ``resources`` in output order (a new list).

    ``options.order`` ``legacy``: kustomize's legacy sort; when neither ``order_first`` nor
    ``order_last`` is given the default kind lists apply, otherwise the given lists replace them
    (a missing one counts as empty, as in kustomize when ``legacySortOptions`` is present).
    ``fifo``: input order.
    """
    if options.order == "fifo":
        if options.order_first is not None or options.order_last is not None:
            raise KustomizationError(
                "",
                "the field 'sortOptions.legacySortOptions' is set but the selected sort order "
                "is 'fifo', not 'legacy'",
            )
        return list(resources)
    if options.order != "legacy":
        raise KustomizationError("", "the field 'sortOptions.order' must be one of [fifo, legacy]")
    if options.order_first is None and options.order_last is None:
        return legacy_order(resources)
    return legacy_order(resources, options.order_first or (), options.order_last or ())
