from __future__ import annotations

import base64
from typing import Any

import pytest

from kgen.fieldspecs import BUILTIN_NAME_REFERENCES, FieldSpec, NameReference, merge_name_references
from kgen.findings import RULES, Finding
from kgen.kustomization import GeneratorKind, GeneratorOptions, GeneratorSpec
from kgen.model import Gvk, ResId, Resource
from kgen.sources import Pair
from kgen.transformers import check_layer, parse_steps
from kgen.validate import (
    MAX_JSON_DEPTH,
    check_pairs,
    check_stream,
    classify,
    decode_base64,
    decode_value,
    json_object_problem,
    key_problem,
)

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
                'Secret "s" holds 1,572,864 bytes of values, more '
                'than the 1,048,576 bytes (1 MiB) the API server accepts (largest: key "a", '
                "786,432 bytes)"
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
        pytest.param(
            "kubernetes.io/dockerconfigjson",
            {".dockerconfigjson": base64.b64encode(b"[1]").decode()},
            "type kubernetes.io/dockerconfigjson: the value of .dockerconfigjson is JSON but not "
            "an object (it is an array)",
            id="dockerconfigjson-array",
        ),
        pytest.param(
            "kubernetes.io/dockerconfigjson",
            {".dockerconfigjson": base64.b64encode(b'{"auths": NaN}').decode()},
            "type kubernetes.io/dockerconfigjson: the value of .dockerconfigjson is not valid JSON",
            id="dockerconfigjson-nan",
        ),
        pytest.param(
            "kubernetes.io/dockerconfigjson",
            {".dockerconfigjson": base64.b64encode(b"[" * 20_000 + b"]" * 20_000).decode()},
            "type kubernetes.io/dockerconfigjson: the value of .dockerconfigjson nests deeper "
            "than 10,000 levels, more than the API server's JSON decoder reads",
            id="dockerconfigjson-deep",
        ),
        pytest.param(
            "kubernetes.io/dockerconfigjson",
            {".dockerconfigjson": "e30K=="},
            None,  # not base64: a data-value finding, not a JSON one (see test_data_values)
            id="dockerconfigjson-not-base64",
        ),
        pytest.param(
            "kubernetes.io/dockercfg",
            {".dockercfg": base64.b64encode(b'"registry"').decode()},
            "type kubernetes.io/dockercfg: the value of .dockercfg is JSON but not an object (it "
            "is a string)",
            id="dockercfg-string",
        ),
        pytest.param(
            "kubernetes.io/dockercfg",
            {".dockercfg": base64.b64encode(b"null").decode()},
            None,  # Go's json.Unmarshal of null into a map is no error
            id="dockercfg-null",
        ),
        pytest.param(
            "kubernetes.io/ssh-auth",
            {"ssh-privatekey": ""},
            "type kubernetes.io/ssh-auth: the value of ssh-privatekey is empty",
            id="ssh-auth-empty",
        ),
        pytest.param(
            "kubernetes.io/basic-auth", {"password": ""}, None, id="basic-auth-empty-is-fine"
        ),
        pytest.param("example.com/custom", {}, None, id="custom-type"),
    ],
)
def test_secret_types(secret_type: str, data: dict[str, str], message: str | None) -> None:
    found = [m for m in messages([secret("s", data, secret_type)]) if m[0] != "data-value"]
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


ENV_AT = "envs[0]: a.env line 2"


@pytest.mark.parametrize(
    ("pair", "finding"),
    [
        pytest.param(
            Pair("Pasted-t0ken", b"", ENV_AT, whole_line=True),
            Finding(
                "env-line",
                f"{W}.{ENV_AT}",
                "the line has no '=', so the whole line becomes a key with an empty value (is "
                "an '=' missing, or is it a value without its key?); the key is not shown in "
                "messages",
            ),
            id="no-equals",
        ),
        pytest.param(
            Pair("Pasted t0ken", b"", ENV_AT, whole_line=True),
            Finding(
                "secret-key",
                f"{W}.{ENV_AT}",
                "the line has no '=', so the whole line would be the key, which is not a valid "
                "key (is an '=' missing?)",
            ),
            id="no-equals-invalid-key",
        ),
        pytest.param(
            Pair("Pasted-t0ken\rKEY", b"v", ENV_AT, bare_cr=True),
            Finding(
                "secret-key",
                f"{W}.{ENV_AT}",
                "the line holds a carriage return without a line feed before its '=', so the "
                "key would hold it, which is not a valid key (convert the file to LF or CRLF "
                "line endings)",
            ),
            id="bare-cr-in-key",
        ),
        pytest.param(
            Pair("KEY", b"one\rPasted-t0ken", ENV_AT, bare_cr=True),
            Finding(
                "env-line",
                f"{W}.{ENV_AT}",
                'the value of key "KEY" holds a carriage return without a line feed, which env '
                "files do not read as a line break (convert the file to LF or CRLF line "
                "endings)",
            ),
            id="bare-cr-in-value",
        ),
    ],
)
def test_env_lines_that_are_not_key_value(pair: Pair, finding: Finding) -> None:
    assert check_pairs(spec(), [pair]) == [finding]
    assert "Pasted" not in finding.message


def test_keys_from_env_lines_are_named_by_file_and_line() -> None:
    target = secret("db-h1", {"user": "YQ==", "7Pasted-t0ken": "", "A\rB": "YQ=="})
    target.hidden_keys = {
        "7Pasted-t0ken": "the key from envs[0]: a.env line 2 (a line without '=')",
        "A\rB": "the key from envs[0]: a.env line 3 (a bare carriage return)",
    }
    big = secret("big-h1", {"7Pasted-t0ken": "A" * 1_500_000})
    big.hidden_keys = {"7Pasted-t0ken": "the key from envs[0]: b.env line 1 (a line without '=')"}
    env = [{"name": "B", "valueFrom": {"secretKeyRef": {"name": "db-h1", "key": "pass"}}}]
    spec = {
        "containers": [{"name": "c", "env": env, "envFrom": [{"secretRef": {"name": "db-h1"}}]}]
    }
    at = "pod.yaml: document 1 (Pod p)"
    found = messages([target, big, pod(spec)])
    assert found == [
        (
            "object-size",
            "gen[big-h1]",
            (
                'Secret "big-h1" holds 1,125,000 bytes of values, more than the 1,048,576 '
                "bytes (1 MiB) the API server accepts (largest: the key from envs[0]: b.env "
                "line 1 (a line without '='), 1,125,000 bytes)"
            ),
        ),
        (
            "missing-key",
            at,
            (
                'spec.containers[0].env[0].valueFrom.secretKeyRef.key: Secret "db-h1" has no key '
                '"pass" (it has: "user", the key from envs[0]: a.env line 2 (a line without '
                "'='), the key from envs[0]: a.env line 3 (a bare carriage return)); the Pod "
                "would not start"
            ),
        ),
        (
            "envfrom-key",
            at,
            (
                'spec.containers[0].envFrom[0].secretRef: Secret "db-h1" has keys that are not '
                "valid environment variable names, which the kubelet skips (unless "
                "RelaxedEnvironmentVariableValidation is on): the key from envs[0]: a.env line 2 "
                "(a line without '='), the key from envs[0]: a.env line 3 (a bare carriage return)"
            ),
        ),
    ]
    assert not any("Pasted" in message for _, _, message in found)


def resource(kind: str, name: str = "r", **fields: Any) -> Resource:
    """A Secret or ConfigMap read from a resource file (not generated)."""
    manifest = {"apiVersion": "v1", "kind": kind, "metadata": {"name": name}, **fields}
    return Resource(manifest, f"r.yaml ({kind} {name})", Gvk("", "v1", kind))


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        pytest.param({"kubernetes.io/service-account.name": "build-robot"}, None, id="named"),
        pytest.param(
            {"kubernetes.io/service-account.name": ""},
            "type kubernetes.io/service-account-token: the annotation "
            "kubernetes.io/service-account.name must name a service account (it is empty)",
            id="empty",
        ),
        pytest.param(
            {"kubernetes.io/service-account.name": 7},
            "type kubernetes.io/service-account-token: the annotation "
            "kubernetes.io/service-account.name must name a service account (it is a number)",
            id="number",
        ),
        pytest.param(
            {"other": "x"},
            "type kubernetes.io/service-account-token needs the annotation "
            "kubernetes.io/service-account.name",
            id="missing",
        ),
    ],
)
def test_service_account_token(annotation: dict[str, Any], message: str | None) -> None:
    token = resource(
        "Secret",
        type="kubernetes.io/service-account-token",
        metadata={"name": "t", "annotations": annotation},
    )
    expected = [("secret-type", "r.yaml (Secret r)", message)] if message else []
    # (a number also gets an object-type finding: see test_label_and_annotation_values_are_strings)
    assert [found for found in messages([token]) if found[0] == "secret-type"] == expected


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        pytest.param("", b"", id="empty"),
        pytest.param("YQ==", b"a", id="padded"),
        pytest.param("YWJj", b"abc", id="no-padding-needed"),
        pytest.param("YR==", b"a", id="nonzero-trailing-bits"),  # Go's decoder is not Strict()
        pytest.param("YWJj\nZGVm\r\n", b"abcdef", id="line-breaks"),
        pytest.param("YQ=\n=", b"a", id="line-break-in-padding"),
        pytest.param("YQ", None, id="padding-missing"),
        pytest.param("YQ=", None, id="padding-short"),
        pytest.param("YQ==YQ==", None, id="data-after-padding"),
        pytest.param("=YQ=", None, id="leading-padding"),
        pytest.param("YW Jj", None, id="space"),
        pytest.param("YW\tJj", None, id="tab"),
        pytest.param("YW-_", None, id="url-alphabet"),
        pytest.param("ENC[AES256_GCM,data:bm9wZQ==,type:str]", None, id="sops-value"),
        pytest.param("YWJé", None, id="non-ascii"),
        pytest.param("e30K==", None, id="padding-after-full-quantum"),
        pytest.param("YWJj=", None, id="one-pad-after-full-quantum"),
        pytest.param("YWI=", b"ab", id="one-pad"),
        pytest.param("YWI==", None, id="too-much-padding"),
        pytest.param("Y", None, id="one-char"),
    ],
)
def test_decode_base64(text: str, decoded: bytes | None) -> None:
    assert decode_base64(text) == decoded


@pytest.mark.parametrize(
    ("value", "base64_field", "decoded"),
    [
        pytest.param("YQ==", True, (b"a", ""), id="base64"),
        pytest.param("é", False, ("é".encode(), ""), id="string-utf8"),
        pytest.param(None, True, (b"", ""), id="null-base64"),
        pytest.param(None, False, (b"", ""), id="null-string"),
        pytest.param(5432, False, (None, "is a number, not a string"), id="number"),
        pytest.param(True, True, (None, "is a boolean, not a string"), id="boolean"),
        pytest.param({"a": "b"}, False, (None, "is a mapping, not a string"), id="mapping"),
        pytest.param(
            "YQ",
            True,
            (
                None,
                (
                    "is not valid base64 (the API server decodes it as standard base64 with '=' "
                    "padding; only line breaks may be added)"
                ),
            ),
            id="bad-base64",
        ),
    ],
)
def test_decode_value(value: Any, base64_field: bool, decoded: tuple[bytes | None, str]) -> None:
    assert decode_value(value, base64=base64_field) == decoded


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(b'{"auths": {"r.example": {"auth": "eDp5"}}}', "", id="object"),
        pytest.param(b' {"a": [1, -0.5e3, true, false, null, "\\u00e9\\n"]}\n', "", id="values"),
        pytest.param(b"null", "", id="null"),
        pytest.param(b'{"a": "\xff"}', "", id="invalid-utf8-in-string"),
        pytest.param(b'{"a": 1e-400}', "", id="underflow"),
        pytest.param(b"[1]", "is JSON but not an object (it is an array)", id="array"),
        pytest.param(b'"s"', "is JSON but not an object (it is a string)", id="string"),
        pytest.param(b"12", "is JSON but not an object (it is a number)", id="number"),
        pytest.param(b"true", "is JSON but not an object (it is a boolean)", id="boolean"),
        pytest.param(b'{"a": NaN}', "is not valid JSON", id="nan"),
        pytest.param(b'{"a": -Infinity}', "is not valid JSON", id="infinity"),
        pytest.param(b"\xef\xbb\xbf{}", "is not valid JSON", id="bom"),
        pytest.param("{}".encode("utf-16"), "is not valid JSON", id="utf-16"),
        pytest.param(b"", "is not valid JSON", id="empty"),
        pytest.param(b'{"a": 01}', "is not valid JSON", id="leading-zero"),
        pytest.param(b'{"a": .5}', "is not valid JSON", id="bare-fraction"),
        pytest.param(b'{"a": 1,}', "is not valid JSON", id="trailing-comma"),
        pytest.param(b"[1,]", "is not valid JSON", id="trailing-comma-array"),
        pytest.param(b'{"a"}', "is not valid JSON", id="no-colon"),
        pytest.param(b"{1: 2}", "is not valid JSON", id="number-key"),
        pytest.param(b'{"a": "\t"}', "is not valid JSON", id="control-in-string"),
        pytest.param(b'{"a": "\\x"}', "is not valid JSON", id="bad-escape"),
        pytest.param(b'{"a": truex}', "is not valid JSON", id="bad-literal"),
        pytest.param(b"{}{}", "is not valid JSON", id="two-values"),
        pytest.param(b'{"a": [}', "is not valid JSON", id="unbalanced"),
        pytest.param(
            b'{"a": 1e400}',
            "holds a number too large for the API server's JSON decoder (a 64-bit float)",
            id="overflow",
        ),
        pytest.param(
            b'{"a":' + b"[" * (MAX_JSON_DEPTH - 1) + b"]" * (MAX_JSON_DEPTH - 1) + b"}",
            "",
            id="depth-10000",
        ),
        pytest.param(
            b'{"a":' + b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH + b"}",
            "nests deeper than 10,000 levels, more than the API server's JSON decoder reads",
            id="depth-10001",
        ),
        pytest.param(
            b"[" * 1_000_000,
            "nests deeper than 10,000 levels, more than the API server's JSON decoder reads",
            id="depth-million",
        ),
    ],
)
def test_json_object_problem(text: bytes, problem: str) -> None:
    assert json_object_problem(text) == problem


def test_data_values() -> None:
    """Values are read as the API server's JSON decoder reads them, strictly: a value that does
    not decode is named (field and key), never shown, and counts for no other check."""
    bad = "is not valid base64 (the API server decodes it as standard base64 with '=' padding; "
    bad += "only line breaks may be added)"
    opaque = resource("Secret", "opaque", data={"ok": "YQ==", "typo": "aHVudGVyMj"})
    registry = resource(
        "Secret",
        "registry",
        type="kubernetes.io/dockerconfigjson",
        data={".dockerconfigjson": "e30K=="},
    )
    typed = resource("Secret", "typed", stringData={"port": 5432, "empty": None})
    config = resource(
        "ConfigMap", "config", data={"port": 8080, "ok": "x"}, binaryData={"blob": "AA="}
    )
    listed = resource("ConfigMap", "listed", data=["a=b"], binaryData=None)
    assert messages([opaque, registry, typed, config, listed]) == [
        ("data-value", "r.yaml (Secret opaque)", f'data: the value of key "typo" {bad}'),
        (
            "data-value",
            "r.yaml (Secret registry)",
            f'data: the value of key ".dockerconfigjson" {bad}',
        ),
        (
            "data-value",
            "r.yaml (Secret typed)",
            'stringData: the value of key "port" is a number, not a string',
        ),
        (
            "data-value",
            "r.yaml (ConfigMap config)",
            'data: the value of key "port" is a number, not a string',
        ),
        ("data-value", "r.yaml (ConfigMap config)", f'binaryData: the value of key "blob" {bad}'),
        ("data-value", "r.yaml (ConfigMap listed)", "data: the field is a list, not a mapping"),
    ]


def test_object_size_sums_values_only() -> None:
    """The API server sums the decoded values (Secret data with stringData merged in,
    ConfigMap data and binaryData), not the keys."""
    long_key = "k" * 253
    at_limit = base64.b64encode(b"x" * (1024 * 1024)).decode()
    over = base64.b64encode(b"x" * (1024 * 1024 + 1)).decode()
    assert messages([resource("Secret", "fits", data={long_key: at_limit})]) == []
    merged = resource(
        "Secret", "merged", data={"a": over}, stringData={"a": "small", "b": "x" * 1000}
    )
    assert messages([merged]) == []
    both = resource(
        "ConfigMap", "both", data={"t": "x" * 700_000}, binaryData={"b": at_limit[:800_000]}
    )
    assert messages([resource("Secret", "over", data={"a": over}), both]) == [
        (
            "object-size",
            "r.yaml (Secret over)",
            (
                'Secret "over" holds 1,048,577 bytes of values, more than the 1,048,576 bytes '
                '(1 MiB) the API server accepts (largest: key "a", 1,048,577 bytes)'
            ),
        ),
        (
            "object-size",
            "r.yaml (ConfigMap both)",
            (
                'ConfigMap "both" holds 1,300,000 bytes of values, more than the 1,048,576 bytes '
                '(1 MiB) the API server accepts (largest: key "t", 700,000 bytes)'
            ),
        ),
    ]


def test_configmap_key_in_data_and_binary_data() -> None:
    config = resource("ConfigMap", "c", data={"k": "v", "z": ""}, binaryData={"k": "AA==", "b": ""})
    assert messages([config]) == [
        (
            "configmap-key",
            "r.yaml (ConfigMap c)",
            'data: key "k" is also a binaryData key (a key can be in only one)',
        )
    ]


def test_sops_encrypted_object_gets_one_finding() -> None:
    encrypted = resource(
        "Secret",
        "creds",
        type="kubernetes.io/dockerconfigjson",
        data={".dockerconfigjson": "ENC[AES256_GCM,data:c2VjcmV0,iv:aXY=,type:str]"},
        sops={"mac": "ENC[AES256_GCM,data:bWFj,type:str]", "version": "3.8.1"},
    )
    config = resource("ConfigMap", "Not_A_Name", data={"k": 1}, sops={"version": "3.8.1"})
    not_sops = resource("ConfigMap", "c", data={"k": "v"}, sops="a field named sops")
    sops = (
        "the file is SOPS-encrypted (this object has a sops block) and was not decrypted "
        "(--no-decrypt): its values are ciphertext"
    )
    assert messages([encrypted, config, not_sops]) == [
        ("sops-encrypted", "r.yaml (Secret creds)", sops),
        ("sops-encrypted", "r.yaml (ConfigMap Not_A_Name)", sops),
    ]
    # Allowed (a GitOps controller decrypts after the build), nothing else reports ciphertext.
    assert classify(check_stream([encrypted, config]), ["sops-encrypted"], strict=False) == (
        [],
        [],
    )


@pytest.mark.parametrize(
    ("fields", "found"),
    [
        pytest.param(
            {"metadata": {}, "Items": [{"kind": "ConfigMap"}]},
            [
                (
                    "list-items",
                    (
                        'List holds its objects under "Items", but Kubernetes and kustomize read '
                        'only "items" (lowercase): none of them is built, and the List stays one '
                        "object (write items:)"
                    ),
                )
            ],
            id="Items",
        ),
        pytest.param(
            {"metadata": {"name": "named"}, "ITEMS": []},
            [
                (
                    "list-items",
                    (
                        'List holds its objects under "ITEMS", but Kubernetes and kustomize read '
                        'only "items" (lowercase): none of them is built, and the List stays one '
                        "object (write items:)"
                    ),
                )
            ],
            id="ITEMS-named",
        ),
        pytest.param(
            {"metadata": {"resourceVersion": ""}},
            [("object-name", "List: metadata.name is missing")],
            id="no-items",
        ),
    ],
)
def test_list_items(fields: dict[str, Any], found: list[tuple[str, str]]) -> None:
    listed = Resource(
        {"apiVersion": "v1", "kind": "List", **fields}, "r.yaml (List)", Gvk("", "v1", "List")
    )
    assert [(f.rule, f.message) for f in check_stream([listed])] == found


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


@pytest.mark.parametrize(
    ("path", "values", "findings"),
    [
        pytest.param(
            ("metadata",),
            {"labels": {"a": 12, "b": "x", "c": None}, "annotations": {"d": "1"}},
            [
                (
                    "object-type",
                    'metadata.labels["a"]: the value is a number, not a string; quote it',
                )
            ],
            id="label-number",
        ),
        pytest.param(
            ("spec", "template", "metadata"),
            {"labels": {"on": True}, "annotations": {"m": {"x": 1}}},
            [
                (
                    "object-type",
                    (
                        'spec.template.metadata.labels["on"]: the value is a boolean, not a '
                        "string; quote it"
                    ),
                ),
                (
                    "object-type",
                    (
                        'spec.template.metadata.annotations["m"]: the value is a mapping, not a '
                        "string; quote it"
                    ),
                ),
            ],
            id="pod-template",
        ),
        pytest.param(
            ("spec", "jobTemplate", "spec", "template", "metadata"),
            {"labels": {"v": 1.5}},
            [
                (
                    "object-type",
                    (
                        'spec.jobTemplate.spec.template.metadata.labels["v"]: the value is a '
                        "number, not a string; quote it"
                    ),
                )
            ],
            id="cronjob-template",
        ),
        pytest.param(("metadata",), {"labels": "x", "annotations": None}, [], id="not-maps"),
    ],
)
def test_label_and_annotation_values_are_strings(
    path: tuple[str, ...], values: dict[str, Any], findings: list[tuple[str, str]]
) -> None:
    manifest: dict[str, Any] = {"apiVersion": "v1", "kind": "Widget", "metadata": {"name": "w"}}
    node = manifest
    for key in path:
        node = node.setdefault(key, {})
    node.update(values)
    resource = Resource(manifest, "r.yaml", Gvk("", "v1", "Widget"))
    assert [(f.rule, f.message) for f in check_stream([resource])] == findings


def test_references_come_from_the_builds_name_reference_table() -> None:
    """A custom resource field that ``configurations:`` adds to the table is checked like a
    built-in one (it crosses namespaces here); without the table entry kgen knows nothing of
    the field and says nothing."""
    generated = secret("creds-h1", {"a": "YQ=="}, namespace="other")
    certificate = Resource(
        {
            "apiVersion": "cert-manager.io/v1",
            "kind": "Certificate",
            "metadata": {"name": "c", "namespace": "apps"},
            "spec": {"secretName": "creds"},
        },
        "cert.yaml: document 1 (Certificate c)",
        Gvk("cert-manager.io", "v1", "Certificate"),
    )
    custom = merge_name_references(
        BUILTIN_NAME_REFERENCES,
        (
            NameReference(
                Gvk("", "v1", "Secret"), (FieldSpec("", "", "Certificate", ("spec", "secretName")),)
            ),
        ),
    )
    found = [(f.rule, f.message) for f in check_stream([generated, certificate], custom)]
    assert found == [
        (
            "cross-namespace",
            (
                'spec.secretName: Secret "creds" is generated in namespace other, not in apps: '
                "references do not cross namespaces, so it will not resolve"
            ),
        )
    ]
    assert check_stream([generated, certificate]) == []


def test_a_field_kustomize_does_not_rewrite_is_stale_even_beside_rewritten_ones() -> None:
    generated = secret("tls-h1", {"a": "YQ=="})
    spec = {
        "volumes": [
            {"name": "a", "secret": {"secretName": "tls-h1"}},
            {"name": "b", "csi": {"driver": "d", "nodePublishSecretRef": {"name": "tls"}}},
        ],
        "ephemeralContainers": [{"name": "e", "envFrom": [{"secretRef": {"name": "tls"}}]}],
    }
    assert [(f.rule, f.message.split(":")[0]) for f in check_stream([generated, pod(spec)])] == [
        ("stale-name", "spec.ephemeralContainers[0].envFrom[0].secretRef"),
        ("stale-name", "spec.volumes[1].csi.nodePublishSecretRef"),
    ]


def test_check_layer_names_the_kustomization_and_entry() -> None:
    fields = {"replicas": [{"name": "w", "count": 1}], "images": [{"name": "a", "newTag": "1.2 3"}]}
    assert check_layer(parse_steps(fields, "k.yaml"), "k.yaml") == [
        Finding("image-ref", 'k.yaml: images[0] "a"', 'newTag "1.2 3" is not a valid image tag')
    ]
    assert check_layer(parse_steps({"images": [{"name": "a", "newTag": "1"}]}, "k"), "k") == []
