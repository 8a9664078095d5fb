"""Do two definitions mean the same guest?  Compare after both went through
the same pipeline: device order and what libvirt generates do not count,
a memory change does.

    python examples/semantic_diff.py [QEMU_CAPS_FILE]
"""
import sys
from pathlib import Path

import orjson

import virtxml
from virtxml import builder as b
from virtxml.diff import diff

root = Path(__file__).resolve().parents[1]
caps = sys.argv[1] if len(sys.argv) > 1 else str(
    root.parent / "shared/corpus/libvirt-9.0.0/qemucapabilitiesdata/caps_7.2.0.x86_64.xml")
options = {"qemu_caps": [f"/usr/bin/qemu-system-x86_64={caps}"]}


def define(dom: virtxml.Domain) -> virtxml.Domain:
    """What libvirt would store for ``dom`` (QEMU driver, QEMU 7.2 host)."""
    return b.validate(dom, driver="qemu", options=options)


base = b.new_domain("web02", memory_mib=2048, vcpus=2, machine="q35", emulator="/usr/bin/qemu-system-x86_64",
                    uuid="0b3f6a4e-5d8c-4a4f-9f63-7e0f1d9c2b11")
b.add_device(base, b.disk_file("/images/web02-os.qcow2", "vda"))
b.add_device(base, b.disk_file("/images/web02-data.qcow2", "vdb"))

reordered = b.evolve(base, devices=b.evolve(base.devices, disks=list(reversed(base.devices.disks))))
resized = b.evolve(base, memory=b.evolve(base.memory, value=3 * 1024 * 1024))

a, same, other = define(base), define(reordered), define(resized)
print("reordered disks:", diff(a, same) or "same guest")
assert diff(a, same) == []
changes = diff(a, other)
for c in changes:
    print(c.text())
print(orjson.dumps([c.as_dict() for c in changes], option=orjson.OPT_INDENT_2).decode())
