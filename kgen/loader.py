"""Reading the files a build needs besides resources and generator sources.

(The tree walk, the load restrictor and the parse cache move here: see DESIGN.md, "one loader".)
"""

from __future__ import annotations

from pathlib import Path

from kgen import yamlio
from kgen.errors import LoadError
from kgen.fieldspecs import TransformerConfig, parse_transformer_config
from kgen.paths import ReadBudget, check_within, display, read_file


def read_configuration(
    root: Path,
    entry: str,
    where: str,
    *,
    restrict: bool,
    budget: ReadBudget | None = None,
    nodes: yamlio.Budget | None = None,
) -> TransformerConfig:
    """A ``configurations:`` file of the kustomization in ``root`` (``budget``, ``nodes``: the
    build's read and YAML budgets)."""
    path = root / entry
    if not path.exists():
        raise LoadError(where, f"no such file: {display(path)}")
    if restrict:
        check_within(path, root, where)
    shown = display(path)
    documents = yamlio.load_documents(read_file(path, where, budget), shown, "kustomization", nodes)
    return parse_transformer_config(documents[0] if documents else None, shown)
