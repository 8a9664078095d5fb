"""Inputs shared by the bad-input tests of the API and of ``virtxml lint``."""

from __future__ import annotations

#: the smallest domain the generic parser accepts; ``{extra}`` (format it)
#: goes after ``<os>``
MINIMAL_DOMAIN = """<domain type='qemu'>
  <name>g</name>
  <memory unit='KiB'>1024</memory>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
  {extra}
</domain>
"""


def billion_laughs() -> str:
    """The entity-expansion bomb: each of nine entities holds ten of the
    one below, the domain name the top one (10**9 times "lol")."""
    parts = ['<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n']
    for i in range(1, 10):
        prev = f"lol{i - 1}" if i > 1 else "lol"
        parts.append(f' <!ENTITY lol{i} "' + f"&{prev};" * 10 + '">\n')
    parts.append("]>\n<domain type='qemu'><name>&lol9;</name></domain>\n")
    return "".join(parts)
