"""Writer process of the crash test: define/undefine cycles on an embedded
root, journaled so that the checker knows what may be on disk.

    python -m tests.connect.crash_writer ROOT JOURNAL TOTAL PARSE_DRIVER

Journal lines (unbuffered appends): ``B i name op version`` before an
operation, ``E i`` after it.  On start the writer continues at the first
operation without an ``E``; whether to define or undefine is decided from
what it finds on disk, so a redone operation is consistent."""

from __future__ import annotations

import os
import sys

NAMES = [f"g{i}" for i in range(7)]
PAD = 6000


def uuid_of(name: str) -> str:
    return f"00000000-0000-4000-8000-{int(name[1:]):012d}"


def xml_of(name: str, version: int) -> str:
    from tests.connect.helpers import guest_xml

    return guest_xml(name, uuid_of(name), version, pad=PAD + 97 * (version % 13))


def completed(journal: str) -> int:
    try:
        with open(journal) as fh:
            return sum(1 for line in fh if line.startswith("E "))
    except FileNotFoundError:
        return 0


def main(root: str, journal: str, total: int, parse_driver: str) -> int:
    import virtxml.connect as vc

    from tests.connect.helpers import TEST_OPTIONS

    conn = vc.open(f"qemu:///embed?root={root}", parse_driver=parse_driver, options=TEST_OPTIONS)
    # warm up (first parse compiles tables, loads drivers) so that the kill
    # lands inside the cycles, not in one-time start-up work
    from virtxml import api

    api.parse(xml_of("g0", 0), driver=parse_driver, options=TEST_OPTIONS)
    fd = os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    start = completed(journal)
    os.write(fd, b"R\n")
    for i in range(start, total):
        name = NAMES[i % len(NAMES)]
        defined = name in conn.list_domain_names()
        op = "undefine" if defined and (i // len(NAMES)) % 3 == 2 else "define"
        os.write(fd, f"B {i} {name} {op} {i}\n".encode())
        if op == "define":
            conn.define_xml(xml_of(name, i))
        else:
            conn.undefine(name)
        os.write(fd, f"E {i}\n".encode())
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
