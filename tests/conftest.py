"""Every test runs without the user's kgen settings: no ``KGEN_HASH`` from the environment."""

from __future__ import annotations

import pytest

from kgen.settings import HASH_VARIABLE


@pytest.fixture(autouse=True)
def _no_kgen_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HASH_VARIABLE, raising=False)
