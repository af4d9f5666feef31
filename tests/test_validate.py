from __future__ import annotations

from typing import Any

import pytest

from kgen.kustomization import GeneratorKind, GeneratorOptions, GeneratorSpec
from kgen.model import Gvk, ResId, Resource
from kgen.sources import Pair
from kgen.validate import RULES, Finding, check_pairs, check_stream, classify, key_problem

W = "kustomization.yaml: secretGenerator[s]"


def spec(kind: GeneratorKind = "Secret") -> GeneratorSpec:
    return GeneratorSpec(
        kind=kind,
        name="s",
        namespace="",
        behavior="create",
        literals=(),
        files=(),
        envs=(),
        secret_type="Opaque",
        options=GeneratorOptions(),
        where=W,
    )


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        pytest.param("ok-key_1.txt", "", id="valid"),
        pytest.param(".secret-file", "", id="dotfile"),
        pytest.param(
            "export X",
            "is not a valid key: remove 'export ' (env files are not shell scripts)",
            id="export",
        ),
        pytest.param("a key", "is not a valid key: keys cannot contain whitespace", id="space"),
        pytest.param(
            "a/b",
            "is not a valid key: only alphanumerics, '-', '_' and '.' are allowed",
            id="slash",
        ),
        pytest.param(
            "", "is not a valid key: only alphanumerics, '-', '_' and '.' are allowed", id="empty"
        ),
        pytest.param(
            "..x", "is not a valid key: must not be '.' or '..' or start with '..'", id="dotdot"
        ),
        pytest.param("k" * 254, "is not a valid key: longer than 253 characters", id="long"),
    ],
)
def test_key_problem(key: str, problem: str) -> None:
    assert key_problem(key) == problem


def test_check_pairs_names_entry_and_never_the_value() -> None:
    pairs = [
        Pair("export TOKEN", b"hunter22", "envs[0]: app.env line 3"),
        Pair("Q", b'"hunter22"', "envs[0]: app.env line 4"),
        Pair("L", b'"quoted literal"', "literals[0]"),
    ]
    findings = check_pairs(spec(), pairs)
    assert findings == [
        Finding(
            "secret-key",
            f"{W}.envs[0]: app.env line 3",
            'key "export TOKEN" is not a '
            "valid key: remove 'export ' (env files are not shell scripts)",
        ),
        Finding(
            "env-quotes",
            f"{W}.envs[0]: app.env line 4",
            'the value of "Q" is wrapped in '
            "quotes, which are kept as part of the value (env files take values verbatim)",
        ),
    ]
    assert all("hunter22" not in f.message for f in findings)
    assert check_pairs(spec("ConfigMap"), [Pair("a b", b"", "literals[0]")])[0].rule == (
        "configmap-key"
    )


def secret(name: str, data: dict[str, str], secret_type: str = "Opaque", **meta: Any) -> Resource:
    manifest = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, **meta},
        "type": secret_type,
        "data": data,
    }
    res = Resource(manifest, f"gen[{name}]", Gvk("", "v1", "Secret"), generated=True)
    res.previous_ids.append(
        ResId("", "v1", "Secret", name.split("-h", maxsplit=1)[0], meta.get("namespace", ""))
    )
    return res


def pod(spec: dict[str, Any], namespace: str = "") -> Resource:
    meta = {"name": "p", **({"namespace": namespace} if namespace else {})}
    return Resource(
        {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec},
        "pod.yaml: document 1 (Pod p)",
        Gvk("", "v1", "Pod"),
    )


def messages(resources: list[Resource]) -> list[tuple[str, str, str]]:
    return [(f.rule, f.where, f.message) for f in check_stream(resources)]


def test_object_name_and_size() -> None:
    big = "A" * (1024 * 1024)  # base64 text of 786,432 bytes
    assert messages([secret("Bad_Name", {"k": "YQ=="}), secret("s", {"a": big, "b": big})]) == [
        (
            "object-name",
            "gen[Bad_Name]",
            (
                'Secret name "Bad_Name" is not a valid DNS subdomain (lowercase '
                "alphanumerics, '-' and '.', starting and ending with an alphanumeric, at most "
                "253 characters)"
            ),
        ),
        (
            "object-size",
            "gen[s]",
            (
                'Secret "s" holds 1,572,866 bytes of keys and values, more '
                'than the 1,048,576 bytes (1 MiB) the API server accepts (largest: key "a", '
                "786,433 bytes)"
            ),
        ),
    ]


@pytest.mark.parametrize(
    ("secret_type", "data", "message"),
    [
        pytest.param(
            "kubernetes.io/tls",
            {"tls.crt": "YQ=="},
            "type kubernetes.io/tls needs the keys tls.crt and tls.key; missing: tls.key",
            id="tls",
        ),
        pytest.param(
            "kubernetes.io/basic-auth",
            {"x": "YQ=="},
            "type kubernetes.io/basic-auth needs one of the keys username or password",
            id="basic-auth",
        ),
        pytest.param(
            "kubernetes.io/ssh-auth",
            {},
            "type kubernetes.io/ssh-auth needs the key ssh-privatekey",
            id="ssh-auth",
        ),
        pytest.param(
            "kubernetes.io/dockerconfigjson",
            {".dockerconfigjson": "e30K"},
            None,
            id="dockerconfigjson-ok",
        ),
        pytest.param(
            "kubernetes.io/dockerconfigjson",
            {".dockerconfigjson": "e30x"},
            "type kubernetes.io/dockerconfigjson: the value of .dockerconfigjson is not valid JSON",
            id="dockerconfigjson-not-json",
        ),
        pytest.param(
            "kubernetes.io/service-account-token",
            {},
            "type kubernetes.io/service-account-token needs the annotation "
            "kubernetes.io/service-account.name",
            id="sa-token",
        ),
        pytest.param("example.com/custom", {}, None, id="custom-type"),
    ],
)
def test_secret_types(secret_type: str, data: dict[str, str], message: str | None) -> None:
    found = messages([secret("s", data, secret_type)])
    assert found == ([("secret-type", "gen[s]", message)] if message else [])


def test_references() -> None:
    target = secret("db-h1", {"user": "YQ==", "1st": "YQ=="})
    other_ns = secret("ns-h2", {"k": "YQ=="}, namespace="other")
    env = [
        {"name": "A", "valueFrom": {"secretKeyRef": {"name": "db-h1", "key": "user"}}},
        {"name": "B", "valueFrom": {"secretKeyRef": {"name": "db-h1", "key": "pass"}}},
        {
            "name": "C",
            "valueFrom": {"secretKeyRef": {"name": "db-h1", "key": "x", "optional": True}},
        },
        {"name": "D", "valueFrom": {"secretKeyRef": {"name": "ns", "key": "k"}}},
    ]
    spec = {
        "containers": [
            {"name": "c", "image": "i", "env": env, "envFrom": [{"secretRef": {"name": "db-h1"}}]}
        ],
        "ephemeralContainers": [
            {"name": "e", "image": "i", "envFrom": [{"secretRef": {"name": "db"}}]}
        ],
        "volumes": [
            {
                "name": "v",
                "secret": {
                    "secretName": "db-h1",
                    "items": [{"key": "user", "path": "u"}, {"key": "gone", "path": "g"}],
                },
            }
        ],
    }
    at = "pod.yaml: document 1 (Pod p)"
    has = '(it has: "1st", "user"); the Pod would not start'
    assert messages([target, other_ns, pod(spec)]) == [
        (
            "missing-key",
            at,
            (
                "spec.containers[0].env[1].valueFrom.secretKeyRef.key: "
                f'Secret "db-h1" has no key "pass" {has}'
            ),
        ),
        (
            "cross-namespace",
            at,
            (
                'spec.containers[0].env[3].valueFrom.secretKeyRef: Secret "ns" is generated in '
                "namespace other, not in default: references do not cross namespaces, so it will "
                "not resolve"
            ),
        ),
        (
            "envfrom-key",
            at,
            (
                'spec.containers[0].envFrom[0].secretRef: Secret "db-h1" has keys that are not '
                "valid environment variable names, which the kubelet skips (unless "
                'RelaxedEnvironmentVariableValidation is on): "1st"'
            ),
        ),
        (
            "stale-name",
            at,
            (
                'spec.ephemeralContainers[0].envFrom[0].secretRef: Secret "db" names a generated '
                "object by its name before the hash suffix, and kustomize does not rewrite this "
                'field: it will point at nothing (use "db-h1" or disableNameSuffixHash)'
            ),
        ),
        (
            "missing-key",
            at,
            f'spec.volumes[0].secret.items[1].key: Secret "db-h1" has no key "gone" {has}',
        ),
    ]


def test_classify() -> None:
    error = Finding("secret-key", "w", "m")
    warning = Finding("env-quotes", "w", "m")
    assert classify([error, warning], [], strict=False) == ([error], [warning])
    assert classify([error, warning], [], strict=True) == ([error, warning], [])
    assert classify([error, warning], ["secret-key"], strict=False) == ([], [warning])


def test_rules_are_documented_in_the_readme() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for rule in RULES:
        assert f"`{rule}`" in readme, rule


def _named(api_version: str, kind: str, name: str) -> Resource:
    manifest: dict[str, Any] = {"apiVersion": api_version, "kind": kind, "metadata": {"name": name}}
    return Resource(manifest, f"r.yaml ({kind})", Gvk("", "v1", kind))


@pytest.mark.parametrize(
    ("api_version", "kind", "name", "problem"),
    [
        pytest.param("v1", "Service", "s" * 64, "a valid DNS-1035 label", id="service-64"),
        pytest.param("v1", "Service", "a.b", "a valid DNS-1035 label", id="service-dot"),
        pytest.param("v1", "Service", "1abc", "a valid DNS-1035 label", id="service-digit"),
        pytest.param("v1", "Namespace", "n" * 64, "a valid DNS label", id="namespace-64"),
        pytest.param(
            "batch/v1", "CronJob", "c" * 53, "a valid DNS subdomain of at most 52", id="cronjob-53"
        ),
        pytest.param("apps/v1", "Deployment", "Web", "a valid DNS subdomain", id="deploy-upper"),
        pytest.param("v1", "Service", "s" * 63, None, id="service-63-ok"),
        pytest.param(
            "rbac.authorization.k8s.io/v1", "ClusterRole", "system:edit", None, id="unchecked-kind"
        ),
    ],
)
def test_object_name_rules(api_version: str, kind: str, name: str, problem: str | None) -> None:
    found = [f for f in check_stream([_named(api_version, kind, name)]) if f.rule == "object-name"]
    if problem is None:
        assert found == []
    else:
        [finding] = found
        assert finding.message.startswith(f'{kind} name "{name}" is not {problem}')


def test_object_without_a_name() -> None:
    listed = Resource(
        {"apiVersion": "v1", "kind": "List", "metadata": {}}, "r.yaml (List)", Gvk("", "v1", "List")
    )
    assert [(f.rule, f.message) for f in check_stream([listed])] == [
        ("object-name", "List: metadata.name is missing")
    ]


@pytest.mark.parametrize(
    ("manifest", "findings"),
    [
        pytest.param(
            {"apiVersion": 1, "kind": 2, "metadata": {"name": "x"}},
            [
                ("object-type", "apiVersion is not a string; quote it"),
                ("object-type", "kind is not a string; quote it"),
            ],
            id="numbers",
        ),
        pytest.param(
            {"apiVersion": "v1", "kind": True, "metadata": {"name": "x"}},
            [("object-type", "kind is not a string; quote it")],
            id="bool-kind",
        ),
        pytest.param(
            {"apiVersion": "v1", "kind": "Widget", "metadata": {"name": 123}},
            [("object-name", "Widget: metadata.name is not a string; quote it")],
            id="number-name",
        ),
    ],
)
def test_ids_that_are_not_strings(
    manifest: dict[str, Any], findings: list[tuple[str, str]]
) -> None:
    # kustomize builds these (kyaml reads kind: 2 as "2" and writes 2); the API server does not
    resource = Resource(manifest, "r.yaml", Gvk("", "v1", "X"))
    assert [(f.rule, f.message) for f in check_stream([resource])] == findings
