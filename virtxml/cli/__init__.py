"""The ``virtxml`` command (STUB: being written)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("virtxml: command line being written", file=sys.stderr)
    return 2
