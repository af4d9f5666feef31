"""``python -m kgen``."""

from __future__ import annotations

from kgen.cli import main

if __name__ == "__main__":
    main()
