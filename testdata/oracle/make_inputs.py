"""Write the oracle scenario inputs (testdata/oracle/inputs/{graphics,machines}/*.xml).

Small x86_64 TCG guests without disks, each with a fixed UUID (so the
oracle's output does not depend on a random one).  Run once; the inputs
are committed, and run_oracle.sh records libvirt's outputs for them.
"""

from __future__ import annotations

import hashlib
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

GRAPHICS = {
    # VNC
    "vnc-bare": "<graphics type='vnc'/>",
    "vnc-port": "<graphics type='vnc' port='5905' autoport='no'/>",
    "vnc-port-minus1": "<graphics type='vnc' port='-1'/>",
    "vnc-port-autoport": "<graphics type='vnc' port='5907' autoport='yes'/>",
    "vnc-addr": "<graphics type='vnc'><listen type='address' address='0.0.0.0'/></graphics>",
    "vnc-addr-port": "<graphics type='vnc' port='5906' autoport='no'><listen type='address' address='127.0.0.1'/></graphics>",
    "vnc-addr-noaddr": "<graphics type='vnc'><listen type='address'/></graphics>",
    "vnc-addr-noaddr-port": "<graphics type='vnc' port='5908' autoport='no'><listen type='address'/></graphics>",
    "vnc-legacy-listen": "<graphics type='vnc' listen='127.0.0.1'/>",
    "vnc-socket": "<graphics type='vnc'><listen type='socket' socket='/tmp/vnc-user.sock'/></graphics>",
    "vnc-socket-attr": "<graphics type='vnc' socket='/tmp/vnc-attr.sock'/>",
    "vnc-socket-nopath": "<graphics type='vnc'><listen type='socket'/></graphics>",
    "vnc-none": "<graphics type='vnc'><listen type='none'/></graphics>",
    "vnc-network": "<graphics type='vnc'><listen type='network' network='default'/></graphics>",
    "vnc-websocket": "<graphics type='vnc' websocket='-1'/>",
    "vnc-websocket-port": "<graphics type='vnc' port='5910' autoport='no' websocket='5711'/>",
    # SPICE
    "spice-bare": "<graphics type='spice'/>",
    "spice-autoport": "<graphics type='spice' autoport='yes'/>",
    "spice-autoport-no": "<graphics type='spice' autoport='no'/>",
    "spice-autoport-no-listen": "<graphics type='spice' autoport='no'><listen type='address'/></graphics>",
    "spice-port": "<graphics type='spice' port='5903'><listen type='address'/></graphics>",
    "spice-port-addr": "<graphics type='spice' port='5904' autoport='no'><listen type='address' address='0.0.0.0'/></graphics>",
    "spice-tlsport": "<graphics type='spice' port='5903' tlsPort='5904'><listen type='address'/></graphics>",
    "spice-addr": "<graphics type='spice' autoport='yes'><listen type='address' address='0.0.0.0'/></graphics>",
    "spice-addr-noaddr": "<graphics type='spice' autoport='yes'><listen type='address'/></graphics>",
    "spice-legacy-listen": "<graphics type='spice' autoport='yes' listen='127.0.0.1'/>",
    "spice-socket": "<graphics type='spice'><listen type='socket' socket='/tmp/spice-user.sock'/></graphics>",
    "spice-socket-nopath": "<graphics type='spice'><listen type='socket'/></graphics>",
    "spice-none": "<graphics type='spice'><listen type='none'/></graphics>",
    "spice-network": "<graphics type='spice' autoport='yes'><listen type='network' network='default'/></graphics>",
    "spice-autoport-insecure": "<graphics type='spice' autoport='yes' defaultMode='insecure'/>",
    # both
    "vnc-and-spice": "<graphics type='vnc'><listen type='address'/></graphics>"
                     "<graphics type='spice' autoport='yes'><listen type='address'/></graphics>",
    "vnc-and-spice-sockets": "<graphics type='vnc'><listen type='socket'/></graphics>"
                             "<graphics type='spice'><listen type='socket'/></graphics>",
}

MACHINES = {
    # (machine, devices)
    "pc-bare": ("pc", ""),
    "pc-usb-piix3": ("pc", "<controller type='usb' index='0' model='piix3-uhci'/>"),
    "pc-usb-default": ("pc", "<controller type='usb' index='0'/>"),
    "pc-usb-ehci": ("pc", "<controller type='usb' index='0' model='ich9-ehci1'/>"),
    "pc-usb-none": ("pc", "<controller type='usb' model='none'/>"),
    "pc-usb-xhci": ("pc", "<controller type='usb' index='0' model='qemu-xhci'/>"),
    "pc-pci-root": ("pc", "<controller type='pci' index='0' model='pci-root'/>"),
    "q35-bare": ("q35", ""),
    "q35-usb-xhci": ("q35", "<controller type='usb' index='0' model='qemu-xhci'/>"),
    "q35-usb-none": ("q35", "<controller type='usb' model='none'/>"),
    "q35-usb-ich9": ("q35", "<controller type='usb' index='0' model='ich9-ehci1'/>"),
    "pc-audio-default-vnc": ("pc", "<graphics type='vnc'/>"),
    "pc-audio-default-spice": ("pc", "<graphics type='spice' autoport='yes'/>"),
    "pc-audio-none": ("pc", "<audio id='1' type='none'/>"),
    "pc-audio-explicit-spice": ("pc", "<graphics type='spice' autoport='yes'/><audio id='1' type='spice'/>"),
    "pc-sound-ich6": ("pc", "<sound model='ich6'/>"),
    "pc-sound-ich6-vnc": ("pc", "<graphics type='vnc'/><sound model='ich6'/>"),
    "pc-ps2-kbd": ("pc", "<input type='keyboard' bus='ps2'/>"),
    "pc-ps2-mouse-kbd": ("pc", "<input type='mouse' bus='ps2'/><input type='keyboard' bus='ps2'/>"),
    "pc-usb-tablet": ("pc", "<input type='tablet' bus='usb'/>"),
    "q35-ps2-kbd-tablet": ("q35", "<input type='tablet' bus='usb'/><input type='keyboard' bus='ps2'/>"),
    "pc-a-long-domain-name-over-20": ("pc", "<graphics type='vnc'><listen type='socket'/></graphics>"),
    "pc-serial-console": ("pc", "<serial type='pty'/><console type='pty'/>"),
    "pc-memballoon-none": ("pc", "<memballoon model='none'/>"),
    "pc-video-vga": ("pc", "<graphics type='vnc'/><video><model type='vga'/></video>"),
    "pc-kvm-keyboard-virtio": ("pc", "<input type='keyboard' bus='virtio'/>"),
}

DEVICES = {
    # (machine, devices) -- runtime-generated parts other than graphics
    "dev-cdrom-ide": ("pc", "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>"),
    "dev-cdrom-sata": ("q35", "<disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>"),
    "dev-cdrom-scsi": ("pc", "<disk type='file' device='cdrom'><target dev='sda' bus='scsi'/><readonly/></disk>"
                             "<controller type='scsi' model='virtio-scsi'/>"),
    "dev-net-user": ("pc", "<interface type='user'><mac address='52:54:00:12:34:56'/></interface>"),
    "dev-net-user-virtio": ("q35", "<interface type='user'><mac address='52:54:00:12:34:57'/>"
                                   "<model type='virtio'/></interface>"),
    "dev-channel-ga": ("pc", "<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>"),
    "dev-channel-ga-path": ("pc", "<channel type='unix'><source mode='bind' path='/tmp/ga.sock'/>"
                                  "<target type='virtio' name='org.qemu.guest_agent.0'/></channel>"),
    "dev-channel-spicevmc": ("pc", "<graphics type='spice' autoport='yes'/><channel type='spicevmc'>"
                                   "<target type='virtio' name='com.redhat.spice.0'/></channel>"),
    "dev-serial-pty-2": ("pc", "<serial type='pty'/><serial type='pty'/>"),
    "dev-console-virtio": ("pc", "<console type='pty'><target type='virtio'/></console>"),
    "dev-sound-ich9": ("q35", "<sound model='ich9'><codec type='micro'/></sound>"),
    "dev-rng": ("pc", "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"),
    "dev-watchdog": ("pc", "<watchdog model='i6300esb'/>"),
    "dev-usb-hub-redir": ("pc", "<graphics type='spice' autoport='yes'/><hub type='usb'/>"
                                "<redirdev bus='usb' type='spicevmc'/>"),
    "dev-video-qxl": ("pc", "<graphics type='spice' autoport='yes'/><video><model type='qxl'/></video>"),
    "dev-spice-secure-channel": ("pc", "<graphics type='spice' autoport='yes'><channel name='main' mode='secure'/>"
                                       "</graphics>"),
    "dev-vnc-spice-ports": ("pc", "<graphics type='vnc' port='5900' autoport='no'/>"
                                  "<graphics type='spice' autoport='yes'/>"),
}

DOM = """<domain type='qemu'>
  <name>{name}</name>
  <uuid>{uuid}</uuid>
  <memory unit='KiB'>131072</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='{machine}'>hvm</type>
  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    {devices}
  </devices>
</domain>
"""


def uuid_for(name: str) -> str:
    h = hashlib.sha256(name.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def main() -> int:
    for sub, table in (("graphics", {k: ("pc", v) for k, v in GRAPHICS.items()}), ("machines", MACHINES),
                       ("devices", DEVICES)):
        d = os.path.join(HERE, "inputs", sub)
        os.makedirs(d, exist_ok=True)
        for name, (machine, devices) in table.items():
            with open(os.path.join(d, name + ".xml"), "w") as fh:
                fh.write(DOM.format(name=name, uuid=uuid_for(name), machine=machine, devices=devices))
    return 0


if __name__ == "__main__":
    sys.exit(main())
