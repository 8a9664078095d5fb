"""Generate a guest with the builder and lint it as libvirt's QEMU driver
would on a QEMU 7.2 x86_64 host; then show what lint says about a broken
variant.

    python examples/generate_and_lint.py [QEMU_CAPS_FILE]
"""
import sys
from pathlib import Path

import virtxml
from virtxml import builder as b
from virtxml.lint import LintOptions, lint_bytes

caps = sys.argv[1] if len(sys.argv) > 1 else str(
    Path(__file__).resolve().parents[1].parent / "shared/corpus/libvirt-9.0.0/qemucapabilitiesdata/caps_7.2.0.x86_64.xml")
opts = LintOptions(driver="qemu", options={"qemu_caps": [f"/usr/bin/qemu-system-x86_64={caps}"]})

dom = b.new_domain("app01", memory_mib=1024, vcpus=1, machine="q35", emulator="/usr/bin/qemu-system-x86_64")
b.add_device(dom, b.disk_file("/var/lib/libvirt/images/app01.qcow2", "vda"))
b.add_device(dom, b.network_interface(bridge="br0"))
xml = virtxml.format(dom).encode()

findings = lint_bytes(xml, "app01.xml", opts)
print("app01.xml:", "clean" if not findings else [f.text() for f in findings])
assert not findings

broken = virtxml.format(b.evolve(dom, os=b.evolve(dom.os, type=b.evolve(dom.os.type, machine="pc-q35-1.0"))))
for f in lint_bytes(broken.encode(), "app01-old-machine.xml", opts):
    print(f.text(), f"[{f.rule}]")
