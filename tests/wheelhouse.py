"""A local package index for the pre-commit tests, so that they run without network access.

pre-commit installs a ``language: python`` hook with ``pip install .`` in an environment of its
own: pip then needs kgen's build backend and its run-time dependencies. :func:`build` writes
them as wheels into a directory, taken from what this test environment has installed (each
installed distribution packed back into a wheel with its files and tags), and
:func:`pip_environment` points pip at that directory and at virtualenv's bundled setuptools,
with the package index turned off.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

DISTRIBUTION = "kgen-manifests"
_SKIPPED_METADATA = {"INSTALLER", "REQUESTED", "RECORD", "direct_url.json"}


def runtime_closure(name: str = DISTRIBUTION) -> list[metadata.Distribution]:
    """The installed distributions ``name`` needs at run time (not ``name`` itself), in a
    stable order."""
    found: dict[str, metadata.Distribution] = {}
    pending = list(_requires(name))
    while pending:
        requirement = pending.pop()
        key = _normalized(requirement.name)
        if key in found:
            continue
        distribution = metadata.distribution(requirement.name)
        found[key] = distribution
        pending.extend(_requires(requirement.name, frozenset(requirement.extras)))
    return [found[key] for key in sorted(found)]


def _requires(name: str, extras: frozenset[str] = frozenset()) -> list[Requirement]:
    needed = []
    for text in metadata.distribution(name).requires or []:
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is None:
            needed.append(requirement)
            continue
        wanted = extras or {""}
        if any(marker.evaluate({"extra": extra}) for extra in wanted):
            needed.append(requirement)
    return needed


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pack(distribution: metadata.Distribution, directory: Path) -> Path:
    """The installed ``distribution`` as a wheel in ``directory``: its files (not the ones
    installed outside its site-packages, such as scripts, which pip makes again from the entry
    points), a new RECORD, and the file name its tags give."""
    info = distribution.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Tag:")]
    parts = [tag.split("-") for tag in tags] or [["py3", "none", "any"]]
    # the compressed tag set of the file name: py2.py3-none-any
    tag = "-".join(".".join(dict.fromkeys(part[index] for part in parts)) for index in range(3))
    stem = re.sub(r"[-_.]+", "_", distribution.metadata["Name"])
    wheel = directory / f"{stem}-{distribution.version}-{tag}.whl"
    files = [
        path
        for path in distribution.files or []
        if not str(path).startswith("..")
        and "__pycache__" not in path.parts
        and not (path.parts[0].endswith(".dist-info") and path.name in _SKIPPED_METADATA)
    ]
    info_dir = next(
        (path.parts[0] for path in files if path.parts[0].endswith(".dist-info")),
        f"{stem}-{distribution.version}.dist-info",
    )
    record = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            data = Path(str(distribution.locate_file(path))).read_bytes()
            archive.writestr(str(path), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            record.append(f"{path},sha256={digest.decode()},{len(data)}")
        record.append(f"{info_dir}/RECORD,,")
        archive.writestr(f"{info_dir}/RECORD", "\n".join(record) + "\n")
    return wheel


def build(directory: Path) -> list[Path]:
    """Every run-time dependency of kgen as a wheel in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    return [pack(distribution, directory) for distribution in runtime_closure()]


def bundled_wheels() -> Path:
    """virtualenv's own wheels (pip, setuptools): kgen's build backend comes from there."""
    from virtualenv.seed.wheels import embed

    return Path(embed.__file__).parent


def pip_environment(directory: Path) -> dict[str, str]:
    """The variables that make pip install from ``directory`` and virtualenv's wheels only."""
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": f"{directory} {bundled_wheels()}",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "VIRTUALENV_NO_DOWNLOAD": "1",
    }
