"""What a check finds, and the rules it finds it under (pure data, no dependencies).

Every finding carries a rule id from :data:`RULES` (its severity, and the id ``--allow``
takes), names where (a kustomization entry, a generator source, an object and field path) and
never quotes a secret value. Validation (:mod:`kgen.validate`) and the transformers' own checks
of their entries produce them.
"""

from __future__ import annotations

from typing import Literal

from kgen.records import NamedTuple

Severity = Literal["error", "warning"]


class Rule(NamedTuple):
    severity: Severity
    summary: str


RULES: dict[str, Rule] = {
    "secret-key": Rule("error", "Secret data keys: alphanumerics, '-', '_', '.'"),
    "configmap-key": Rule("error", "ConfigMap data keys: alphanumerics, '-', '_', '.'"),
    "object-name": Rule("error", "object names follow their kind's naming rule"),
    "object-type": Rule("error", "apiVersion, kind, label and annotation values are strings"),
    "object-size": Rule("error", "Secret/ConfigMap values: at most 1 MiB in all"),
    "data-value": Rule("error", "Secret/ConfigMap values decode as the API server decodes them"),
    "sops-encrypted": Rule(
        "error", "SOPS files are decrypted (no sops block, no encrypted generator source)"
    ),
    "list-items": Rule("error", "a List holds its objects under items"),
    "secret-type": Rule("error", "typed Secrets carry their required keys"),
    "missing-key": Rule("error", "a key reference names a key the object has"),
    "image-ref": Rule("error", "images entries make image references the container runtime pulls"),
    "replica-count": Rule("error", "replicas entries set a count of 0 or more"),
    "label-key": Rule(
        "error", "label keys: [DNS subdomain prefix/]name, name at most 63 characters"
    ),
    "label-value": Rule(
        "error", "label values: at most 63 characters, alphanumerics, '-', '_', '.'"
    ),
    "annotation-key": Rule(
        "error", "annotation keys: [DNS subdomain prefix/]name, like label keys"
    ),
    "envfrom-key": Rule("warning", "envFrom keys are valid environment variable names"),
    "cross-namespace": Rule("warning", "references stay within their namespace"),
    "stale-name": Rule("warning", "fields kustomize does not rewrite name the hashed object"),
    "env-quotes": Rule("warning", "env-file values are not wrapped in quotes"),
    "env-line": Rule("warning", "env-file lines are KEY=value, one per line"),
    "deprecated-field": Rule("warning", "kustomization fields kustomize deprecates are replaced"),
    "unused-var": Rule("warning", "every var is substituted somewhere (kustomize logs it too)"),
}


class Finding(NamedTuple):
    rule: str
    where: str
    message: str

    @property
    def severity(self) -> Severity:
        return RULES[self.rule].severity
