"""Build a q35 KVM guest with a virtio disk, a network, VNC and a serial
console, check it as libvirt's QEMU driver would, and print libvirt's XML."""
import sys
from pathlib import Path

import virtxml
from virtxml import builder as b

caps = sys.argv[1] if len(sys.argv) > 1 else str(
    Path(__file__).resolve().parents[1].parent / "shared/corpus/libvirt-9.0.0/qemucapabilitiesdata/caps_7.2.0.x86_64.xml")
dom = b.new_domain("web01", memory_mib=2048, vcpus=2, machine="q35",
                   emulator="/usr/bin/qemu-system-x86_64")
b.add_device(dom, b.disk_file("/var/lib/libvirt/images/web01.qcow2", "vda"))
b.add_device(dom, b.network_interface("default"))
b.add_device(dom, b.vnc_graphics())
for dev in b.serial_console():
    b.add_device(dom, dev)
checked = b.validate(dom, driver="qemu", options={"qemu_caps": [f"/usr/bin/qemu-system-x86_64={caps}"]})
print(virtxml.format(checked, virtxml.FormatFlags.INACTIVE))
