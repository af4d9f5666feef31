"""--output: one file, one file per object (kubectl kustomize -o DIR's names), or one per root."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kgen import emit
from kgen.errors import KgenError
from kgen.output import Rendered, Written, holds_secret, per_object, redact_secrets, write

KUBECTL = shutil.which("kubectl")

SECRET: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {"name": "Db"},
    "data": {"k": "dg=="},
}
DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web"},
}
NAMESPACE: dict[str, Any] = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "prod"}}
ROLE: dict[str, Any] = {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "ClusterRole",
    "metadata": {"name": "reader"},
}


def _in(namespace: str, manifest: dict[str, Any]) -> dict[str, Any]:
    return {**manifest, "metadata": {**manifest["metadata"], "namespace": namespace}}


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_per_object_names_are_kustomizes_lowercased_group_version_kind_name() -> None:
    names = [name for name, _ in per_object([SECRET, DEPLOYMENT, ROLE])]
    assert names == [
        "v1_secret_db.yaml",
        "apps_v1_deployment_web.yaml",
        "rbac.authorization.k8s.io_v1_clusterrole_reader.yaml",
    ]


def test_objects_in_several_namespaces_get_a_namespace_prefix_cluster_scoped_ones_not() -> None:
    names = [
        name
        for name, _ in per_object([_in("a", SECRET), DEPLOYMENT, NAMESPACE, _in("B", DEPLOYMENT)])
    ]
    assert names == [
        "a_v1_secret_db.yaml",
        "_apps_v1_deployment_web.yaml",
        "v1_namespace_prod.yaml",
        "b_apps_v1_deployment_web.yaml",
    ]


def test_a_file_holding_a_secret_is_0600_others_0644(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write(
            tmp_path / "out",
            [Rendered(tmp_path, "x", [SECRET, DEPLOYMENT])],
            several=False,
            base=None,
            raw="out/",
        )
        write(
            tmp_path / "all.yaml", [Rendered(tmp_path, "x", [DEPLOYMENT])], several=False, base=None
        )
    finally:
        os.umask(old)
    assert _mode(tmp_path / "out" / "v1_secret_db.yaml") == 0o600
    assert _mode(tmp_path / "out" / "apps_v1_deployment_web.yaml") == 0o644
    assert (tmp_path / "out" / "apps_v1_deployment_web.yaml").read_text() == emit.emit_document(
        DEPLOYMENT
    )
    assert _mode(tmp_path / "all.yaml") == 0o644
    assert holds_secret([{"kind": "List", "items": [SECRET]}])


def test_a_missing_parent_directory_is_an_error_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rendered = [Rendered(tmp_path, "x", [DEPLOYMENT])]
    with pytest.raises(KgenError) as error:
        write(Path("no/such/out.yaml"), rendered, several=False, base=None)
    assert str(error.value) == "no/such/out.yaml: cannot write: no/such does not exist"
    with pytest.raises(KgenError) as error:
        write(Path("no/dir"), rendered, several=False, base=None, raw="no/dir/")
    assert str(error.value) == "no/dir: cannot write: no does not exist"
    assert list(tmp_path.iterdir()) == []


def test_several_roots_report_and_prune_files_no_root_renders(tmp_path: Path) -> None:
    out = tmp_path / "rendered"
    (out / "gone").mkdir(parents=True)
    (out / "gone" / "old.yaml").write_text("stale")
    (out / "notes.txt").write_text("kept")
    rendered = [Rendered(tmp_path / "apps" / "web", "w", [DEPLOYMENT])]
    written = write(out, rendered, several=True, base=tmp_path)
    web, old = out / "apps" / "web.yaml", out / "gone" / "old.yaml"
    assert written == Written((web,), (old,), (web,))
    assert old.exists()
    assert write(out, rendered, several=True, base=tmp_path, prune=True) == Written(
        (web,), (old,), (old,)
    )
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "apps/web.yaml",
        "notes.txt",
    ]


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
def test_one_file_per_object_as_kubectl_kustomize_writes_them(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "kustomization.yaml").write_text(
        "namespace: prod\nresources: [res.yaml]\nsecretGenerator:\n- name: db\n  literals: [a=b]\n"
    )
    (tmp_path / "app" / "res.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\n"
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n  namespace: dev\n"
    )
    (tmp_path / "theirs").mkdir()
    assert KUBECTL is not None
    subprocess.run(
        [KUBECTL, "kustomize", str(tmp_path / "app"), "-o", str(tmp_path / "theirs")], check=True
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kgen",
            "build",
            str(tmp_path / "app"),
            "--hash",
            "kustomize",
            "-o",
            str(tmp_path / "ours") + "/",
        ],
        check=True,
    )
    theirs = {p.name: p.read_bytes() for p in (tmp_path / "theirs").iterdir()}
    ours = {p.name: p.read_bytes() for p in (tmp_path / "ours").iterdir()}
    assert ours == theirs


def test_an_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    rendered = [Rendered(tmp_path, "same\n", [DEPLOYMENT])]
    target = tmp_path / "out.yaml"
    assert write(target, rendered, several=False, base=None).changed == (target,)
    os.utime(target, (0, 0))
    assert write(target, rendered, several=False, base=None).changed == ()
    assert target.stat().st_mtime == 0


def test_redacted_secrets_keep_their_keys_and_name_not_their_values() -> None:
    applied = "kubectl.kubernetes.io/last-applied-configuration"
    secret = {
        **SECRET,
        "stringData": {"s": "plain"},
        "metadata": {"name": "db-h4sh", "annotations": {applied: '{"data":{"k":"dg=="}}'}},
    }
    listed = {"apiVersion": "v1", "kind": "List", "items": [secret, DEPLOYMENT]}
    redacted = redact_secrets([secret, DEPLOYMENT, listed])
    expected = {
        **secret,
        "data": {"k": "REDACTED"},
        "stringData": {"s": "REDACTED"},
        "metadata": {"name": "db-h4sh", "annotations": {applied: "REDACTED"}},
    }
    assert redacted == [expected, DEPLOYMENT, {**listed, "items": [expected, DEPLOYMENT]}]
    assert redacted[1] is DEPLOYMENT
    assert secret["data"] == {"k": "dg=="}  # the build's objects are left as they are


def test_a_stream_kept_for_later_is_packed_and_gives_back_its_text(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: Secret\n" * 1000
    kept = Rendered(tmp_path, text, [SECRET]).stream_only()
    assert isinstance(kept.body, bytes)
    assert len(kept.body) < len(text) // 20
    assert (kept.text, kept.manifests, kept.holds_secret()) == (text, (), True)
    assert Rendered(tmp_path, "x", [DEPLOYMENT]).stream_only().holds_secret() is False
