"""Generate kgen/data/help.txt: ``kgen --help`` as typer renders it on a terminal 80 or more
columns wide (click wraps help at 78 columns from there on). ``kgen --help`` prints the file
without importing typer (start-up); ``tests/test_run.py`` fails when it is stale.

Run after changing the top-level commands or their one-line help::

    python scripts/gen_help.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgen.cli import render_top_help
from kgen.run import TOP_HELP

if __name__ == "__main__":
    TOP_HELP.write_text(render_top_help(), encoding="utf-8")
