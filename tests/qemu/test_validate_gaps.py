"""QEMU driver checks added after comparing with real libvirt 9.0: the
branches the x86_64 oracle inputs (testdata/oracle-generic/qemu/qgap-*,
qc*-) cannot reach because they depend on a capability that QEMU 7.2 for
x86_64 has, or on another architecture.  The rules are called with the
real model classes and a capability set that lacks one flag."""

from __future__ import annotations

from typing import Any

import pytest

from drivers.qemu import validate as v
from drivers.qemu import validate_common as vc
from drivers.qemu import validate_devices as vd
from drivers.qemu import validate_disks as vk
from tests.oracle_cases.test_golden import _qemu_driver
from virtxml.errors import ValidationError

BASE = ("<domain type='qemu'><name>a</name><memory>1048576</memory>{mb}<vcpu>1</vcpu>{os}{cpu}"
        "<devices>{dev}</devices></domain>")


def _define(dev: str = "", os: str = "<os><type>hvm</type></os>", mb: str = "", cpu: str = "") -> Any:
    drv = _qemu_driver()
    return drv.define(BASE.format(dev=dev, os=os, mb=mb, cpu=cpu).encode(), "t.xml")


def _first(dom: Any, name: str) -> Any:
    return getattr(dom.devices, name)[0]


def _raises(text: str, fn: Any, *args: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        fn(*args)
    assert exc.value.message == text


class _Caps:
    def __init__(self, *flags: str) -> None:
        self.flags = set(flags)

    def has(self, flag: str) -> bool:
        return flag in self.flags


def test_vdagent_chardev_needs_the_capability() -> None:
    dom = _define("<channel type='qemu-vdagent'><target type='virtio' name='com.redhat.spice.0'/></channel>")
    ch = _first(dom, "channels")
    vd._v_channel(dom, ch, _Caps("chardev.qemu-vdagent"))
    _raises("chardev 'qemu-vdagent' not supported in this QEMU binary", vd._v_channel, dom, ch, _Caps())


def test_dbus_audio_needs_display_dbus() -> None:
    dom = _define("<audio id='1' type='dbus'/>")
    au = _first(dom, "audios")
    vd._v_audio(dom, au, _Caps("display-dbus"))
    _raises("D-Bus audio is not supported with this QEMU", vd._v_audio, dom, au, _Caps())


def test_redirdev_needs_usb_redir_then_filter() -> None:
    dom = _define("<redirdev bus='usb' type='tcp'><source mode='connect' host='h' service='1'/></redirdev>"
                  "<redirfilter><usbdev allow='yes'/></redirfilter>")
    rd = _first(dom, "redirdevs")
    vd._v_redirdev(dom, rd, _Caps("usb-redir", "usb-redir.filter"))
    _raises("USB redirection is not supported by this version of QEMU", vd._v_redirdev, dom, rd, _Caps())
    _raises("USB redirection filter is not supported by this version of QEMU",
            vd._v_redirdev, dom, rd, _Caps("usb-redir"))


def test_intel_iommu_needs_the_capability() -> None:
    dom = _define("<iommu model='intel'/>", os="<os><type machine='q35'>hvm</type></os>")
    io = dom.devices.iommu
    io = io[0] if isinstance(io, list) else io
    vd._v_iommu(dom, io, _Caps("intel-iommu"))
    _raises("IOMMU device: 'intel' is not supported with this QEMU binary", vd._v_iommu, dom, io, _Caps())


def test_vhostuser_disk_capability_comes_before_shared_memory() -> None:
    with pytest.raises(Exception):
        _define("<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/>"
                "<source type='unix' path='/tmp/s'/><target dev='vda' bus='virtio'/></disk>")
    dom = _define("<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'/>"
                  "<source type='unix' path='/tmp/s'/><target dev='vda' bus='virtio'/></disk>",
                  mb="<memoryBacking><access mode='shared'/></memoryBacking>")
    disk = _first(dom, "disks")
    _raises("vhostuser disk is not supported with this QEMU binary", vk._v_disk_storage, dom, disk, _Caps())
    vk._v_disk_storage(dom, disk, _Caps("vhost-user-blk"))


def test_sclp_consoles_need_their_capabilities() -> None:
    dom = _define("<console type='pty'><target type='virtio'/></console>")
    con = _first(dom, "consoles")
    v._validate_consoles(dom, _Caps())
    con.target.type = "sclp"
    _raises("sclpconsole is not supported in this QEMU binary", v._validate_consoles, dom, _Caps())
    v._validate_consoles(dom, _Caps("s390-sclp"))
    con.target.type = "sclplm"
    _raises("sclplmconsole is not supported in this QEMU binary", v._validate_consoles, dom, _Caps("s390-sclp"))
    v._validate_consoles(dom, _Caps("sclplmconsole"))


def test_bios_serial_is_x86_only() -> None:
    dom = _define("<serial type='pty'/>", os="<os><type>hvm</type><bios useserial='yes'/></os>")
    v._validate_domain_misc(dom, _Caps())
    dom.os.type.arch = "aarch64"
    _raises("BIOS serial console only supported on x86 architectures", v._validate_domain_misc, dom, _Caps())


def test_shared_memory_rule_per_numa_cell() -> None:
    cell = "<cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'{a}/></numa></cpu>"
    shared = "<memoryBacking><access mode='shared'/></memoryBacking>"
    _raises("'x' requires shared memory", vc._require_shared_memory, _define(), "x")
    vc._require_shared_memory(_define(mb=shared), "x")
    vc._require_shared_memory(_define(mb=shared, cpu=cell.format(a="")), "x")
    vc._require_shared_memory(_define(cpu=cell.format(a=" memAccess='shared'")), "x")
    _raises("'x' requires shared memory", vc._require_shared_memory, _define(cpu=cell.format(a="")), "x")
    _raises("'x' requires shared memory", vc._require_shared_memory,
            _define(mb=shared, cpu=cell.format(a=" memAccess='private'")), "x")


def test_rng_backends_need_their_capabilities() -> None:
    dom = _define("<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>")
    rng = _first(dom, "rngs")
    vd._v_rng(dom, rng, _Caps("rng-random", "virtio-rng"))
    _raises("this qemu doesn't support the rng-random backend", vd._v_rng, dom, rng, _Caps())
    dom = _define("<rng model='virtio'><backend model='builtin'/></rng>")
    rng = _first(dom, "rngs")
    _raises("this qemu doesn't support the rng-builtin backend", vd._v_rng, dom, rng, _Caps())
    dom = _define("<rng model='virtio'><backend model='egd' type='tcp'>"
                  "<source mode='connect' host='h' service='1'/></backend></rng>")
    rng = _first(dom, "rngs")
    _raises("this qemu doesn't support the rng-egd backend", vd._v_rng, dom, rng, _Caps())
    vd._v_rng(dom, rng, _Caps("rng-egd", "virtio-rng"))


def test_virtio_3d_needs_a_gl_device() -> None:
    dom = _define("<video><model type='virtio'><acceleration accel3d='yes'/></model></video>")
    video = _first(dom, "videos")
    vd._v_video(dom, video, _Caps("virtio-gpu", "virtio-vga-gl"))
    _raises("3d acceleration is not supported by this QEMU binary", vd._v_video, dom, video, _Caps("virtio-gpu"))
    _raises("domain configuration does not support video model 'virtio'", vd._v_video, dom, video, _Caps())


def test_rotation_rate_needs_the_capability() -> None:
    dom = _define("<disk type='file'><source file='/a'/><target dev='sda' bus='sata' rotation_rate='1'/></disk>")
    disk = _first(dom, "disks")
    vk._v_disk_frontend(dom, disk, _Caps("rotation-rate"))
    _raises("rotation rate is not supported with this QEMU", vk._v_disk_frontend, dom, disk, _Caps())


def test_vnc_power_control_needs_the_capability() -> None:
    dom = _define("<graphics type='vnc' autoport='yes' powerControl='yes'/>")
    g = _first(dom, "graphics")
    vd._v_graphics(dom, g, _Caps("vnc", "vnc-power-control"))
    _raises("VNC power control is not available", vd._v_graphics, dom, g, _Caps("vnc"))
