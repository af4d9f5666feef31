"""``python -m kgen``."""

from __future__ import annotations

from kgen.run import main

if __name__ == "__main__":
    main()
