"""Generate kgen/data/patchschema_v1_21_2.json, the built-in schema's patch metadata.

Source: the PyPI package ``kubernetes-validate`` 1.21.0, whose sdist ships the Kubernetes
v1.21.0 OpenAPI definitions (``kubernetes-json-schema/v1.21.0-local/_definitions.json``) with
the ``x-kubernetes-patch-*``, ``x-kubernetes-list-*`` and ``x-kubernetes-group-version-kind``
extensions kept. kustomize v5.5.0 embeds v1.21.2; a Kubernetes patch release changes no API
type, and the differential tests against kustomize check the merges.

Run by hand::

    python scripts/gen_schema.py            # pip-downloads the sdist into ~/.cache/kgen
    python scripts/gen_schema.py --sdist kubernetes-validate-1.21.0.tar.gz
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgen.schema import compact_definitions

PACKAGE: Final = "kubernetes-validate"
VERSION: Final = "1.21.0"
MEMBER: Final = "kubernetes-json-schema/v1.21.0-local/_definitions.json"
CACHE: Final = Path.home() / ".cache" / "kgen" / "schema-source"
OUTPUT: Final = (
    Path(__file__).resolve().parent.parent / "kgen" / "data" / "patchschema_v1_21_2.json"
)


def sdist_path(cache: Path = CACHE) -> Path | None:
    """The cached sdist, if any."""
    found = sorted(cache.glob(f"kubernetes[-_]validate-{VERSION}.tar.gz"))
    return found[0] if found else None


def download_sdist(cache: Path = CACHE) -> Path:
    """The sdist, downloaded with pip into ``cache`` unless it is there already."""
    found = sdist_path(cache)
    if found is not None:
        return found
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--dest",
            str(cache),
            f"{PACKAGE}=={VERSION}",
        ],
        check=True,
    )
    found = sdist_path(cache)
    if found is None:
        raise FileNotFoundError(f"pip left no {PACKAGE} {VERSION} sdist in {cache}")
    return found


def read_definitions(sdist: Path) -> dict[str, Any]:
    """The ``definitions`` of the v1.21.0 schema inside the sdist."""
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            if member.name.endswith(MEMBER):
                handle = archive.extractfile(member)
                if handle is None:
                    break
                document = json.loads(handle.read())
                definitions: dict[str, Any] = document["definitions"]
                return definitions
    raise FileNotFoundError(f"{sdist} has no {MEMBER}")


def render(definitions: dict[str, Any]) -> str:
    """The data file's text: the compact table, one definition a line."""
    table = compact_definitions(definitions)
    lines = ['{"source":' + json.dumps(f"{PACKAGE}=={VERSION}:{MEMBER}") + ","]
    lines.append('"gvk":' + json.dumps(table["gvk"], separators=(",", ":"), sort_keys=True) + ",")
    lines.append('"definitions":{')
    names = list(table["definitions"])
    for index, name in enumerate(names):
        entry = json.dumps(table["definitions"][name], separators=(",", ":"), sort_keys=True)
        comma = "," if index < len(names) - 1 else ""
        lines.append(f"{json.dumps(name)}:{entry}{comma}")
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdist", type=Path, help="the kubernetes-validate 1.21.0 sdist")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    sdist = args.sdist if args.sdist is not None else download_sdist()
    text = render(read_definitions(sdist))
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text.encode())} bytes)")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
