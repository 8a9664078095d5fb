"""The libxl (Xen) driver: parser config, post-parse defaults, capability
check and validation, with libvirt's texts (src/libxl/libxl_domain.c)."""

from __future__ import annotations

import pytest

from drivers import get_driver
from drivers.libxl import XEN_EMULATOR, builtin_host_caps
from postparse.driver import Feature
from virtxml.errors import PostParseError, ValidationError
from virtxml.flags import ParseFlags

from .drvtest import HOSTS, cli_lint_text, cli_smoke, doc, fmt, parse, profile_file_matches


def hvm(devices: str = "", **kw):
    kw.setdefault("arch", "x86_64")
    return doc(devices, virt="xen", ostype="hvm", **kw)


def pv(devices: str = "", **kw):
    kw.setdefault("arch", "x86_64")
    return doc(devices, virt="xen", ostype="xen", **kw)


def xl(xml: str, **kw):
    return parse(xml, "libxl", **kw)


def test_parser_config():
    drv = get_driver("libxl")
    assert drv.mac_prefix == "00:16:3e" and drv.net_prefix == "vif" and drv.def_arch is None
    assert drv.features == Feature.USER_ALIAS | Feature.FW_AUTOSELECT | Feature.NET_MODEL_STRING


def test_generated_mac_has_the_xen_prefix_and_vif_target_is_dropped():
    dom = xl(pv("    <interface type='bridge'>\n      <source bridge='br0'/>\n      <target dev='vif3.0'/>\n"
                "    </interface>"))
    out = fmt(dom)
    assert "<mac address='00:16:3e:" in out
    assert "vif3.0" not in out


def test_builtin_profile_file():
    assert profile_file_matches(HOSTS / "libxl-test.xml", builtin_host_caps())
    assert [(g.os_type, g.arch, g.emulator) for g in builtin_host_caps().guests] == [
        ("hvm", "x86_64", XEN_EMULATOR), ("xen", "x86_64", XEN_EMULATOR), ("xenpvh", "x86_64", XEN_EMULATOR)]


# ---------------------------------------------------------------- domain callback
def test_pv_guest_gets_a_pty_xen_console():
    out = fmt(xl(pv()))
    assert "<console type='pty'>\n      <target type='xen' port='0'/>\n    </console>" in out


def test_pv_guest_console_kept_and_none_target_becomes_xen():
    dom = xl(pv("    <console type='pty'>\n      <target type='none'/>\n    </console>"))
    assert len(dom.devices.consoles) == 1 and dom.devices.consoles[0].target.type == "xen"


def test_hvm_guest_gets_no_console_and_serial_console_stays_serial():
    assert not xl(hvm()).devices.consoles
    dom = xl(hvm("    <console type='pty'/>"))
    assert dom.devices.consoles[0].target.type == "serial"


def test_implicit_inputs_ps2_for_hvm_xen_for_pv():
    assert [(i.type, i.bus) for i in xl(hvm()).devices.inputs] == [("mouse", "ps2"), ("keyboard", "ps2")]
    assert [(i.type, i.bus) for i in xl(pv()).devices.inputs] == [("mouse", "xen"), ("keyboard", "xen")]


def test_existing_input_not_duplicated():
    dom = xl(hvm("    <input type='mouse' bus='ps2'/>"))
    assert [(i.type, i.bus) for i in dom.devices.inputs] == [("mouse", "ps2"), ("keyboard", "ps2")]


def test_x86_64_hvm_gets_pae():
    assert "<features>\n    <pae/>\n  </features>" in fmt(xl(hvm()))
    assert "<pae/>" not in fmt(xl(pv()))


def test_i686_hvm_gets_no_pae():
    dom = xl(hvm(arch="i686"), flags=ParseFlags.INACTIVE | ParseFlags.SKIP_VALIDATE)
    assert "<pae/>" not in fmt(dom)


def test_vnuma_turns_acpi_on():
    dom = xl(hvm(extra="<cpu><numa><cell id='0' cpus='0' memory='524288'/></numa></cpu>"))
    assert dom.features.acpi is True and dom.features.pae is True
    assert not xl(hvm()).features.acpi


def test_xen_memballoon_added_unless_present():
    assert xl(hvm()).devices.memballoon.model == "xen"
    assert xl(hvm("    <memballoon model='none'/>")).devices.memballoon.model == "none"


def test_xenbus_controller_added_once():
    dom = xl(pv())
    assert [(c.type, c.index) for c in dom.devices.controllers] == [("xenbus", 0)]
    dom = xl(pv("    <controller type='xenbus' index='0' maxGrantFrames='64'/>"))
    assert [(c.type, c.index, c.max_grant_frames) for c in dom.devices.controllers] == [("xenbus", 0, 64)]


# ---------------------------------------------------------------- device callback
HOSTDEV = ("    <hostdev mode='subsystem' type='pci' managed='yes'>\n      <source>\n"
           "        <address domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>\n"
           "      </source>\n    </hostdev>")


def test_pci_hostdev_backend_defaults_to_xen():
    out = fmt(xl(hvm(HOSTDEV)))
    assert "<hostdev mode='subsystem' type='pci' managed='yes'>\n      <driver name='xen'/>" in out


def test_interface_hostdev_backend_defaults_to_xen():
    dom = xl(hvm("    <interface type='hostdev'>\n      <source>\n        <address type='pci' domain='0' bus='0'"
                 " slot='2' function='0'/>\n      </source>\n    </interface>"))
    assert "<driver name='xen'/>" in fmt(dom)


def test_capabilities_mode_hostdev_refused():
    with pytest.raises(PostParseError) as ei:
        xl(hvm("    <hostdev mode='capabilities' type='storage'>\n      <source>\n"
               "        <block>/dev/sdf1</block>\n      </source>\n    </hostdev>"))
    assert ei.value.message == "hostdev mode 'capabilities' is not supported in xen"


@pytest.mark.parametrize("maker,vtype,vram", [
    (pv, "xen", 4096),       # xen os type: xen; vram left to the generic default (4 MiB)
    (hvm, "cirrus", 8192),   # hvm: cirrus, 8 MiB with qemu-xen
])
def test_default_video(maker, vtype, vram):
    dom = xl(maker("    <graphics type='vnc'/>"))
    assert (dom.devices.videos[0].model.type, dom.devices.videos[0].model.vram) == (vtype, vram)


@pytest.mark.parametrize("vtype,dm,vram", [
    ("vga", "qemu-xen", 16384), ("xen", "qemu-xen", 16384), ("cirrus", "qemu-xen", 8192),
    ("vga", "qemu-xen-traditional", 8192), ("cirrus", "qemu-xen-traditional", 4096),
    ("qxl", "qemu-xen", 131072),
])
def test_hvm_video_vram_by_device_model(vtype, dm, vram):
    dom = xl(hvm(f"    <video>\n      <model type='{vtype}'/>\n    </video>"),
             options={"libxl_device_model": dm})
    assert dom.devices.videos[0].model.vram == vram


def test_explicit_vram_kept():
    dom = xl(hvm("    <video>\n      <model type='vga' vram='32768'/>\n    </video>"))
    assert dom.devices.videos[0].model.vram == 32768


def test_network_disk_driver_qemu_and_raw_format():
    dom = xl(hvm("    <disk type='network' device='disk'>\n      <source protocol='nbd' name='x'>\n"
                 "        <host name='h' port='10809'/>\n      </source>\n      <target dev='xvda'/>\n    </disk>\n"
                 "    <disk type='file' device='disk'>\n      <source file='/a.img'/>\n"
                 "      <target dev='xvdb'/>\n    </disk>"))
    d0, d1 = dom.devices.disks
    assert (d0.driver.name, d0.driver.type) == ("qemu", "raw")
    assert (d1.driver.name, d1.driver.type) == (None, "raw")


def test_explicit_disk_format_kept():
    dom = xl(hvm("    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
                 "      <source file='/a.img'/>\n      <target dev='xvda'/>\n    </disk>"))
    assert (dom.devices.disks[0].driver.name, dom.devices.disks[0].driver.type) == ("qemu", "qcow2")


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize("virt,ostype,arch,text", [
    ("xen", "hvm", "i686", "could not find capabilities for arch=i686 domaintype=xen "),
    ("kvm", "hvm", "x86_64", "could not find capabilities for arch=x86_64 domaintype=kvm "),
    ("xen", "xen", "aarch64", "could not find capabilities for ostype=xen arch=aarch64 domaintype=xen "),
])
def test_capabilities_triple_checked_at_validation(virt, ostype, arch, text):
    xml = doc(virt=virt, ostype=ostype, arch=arch)
    with pytest.raises(PostParseError) as ei:
        xl(xml)
    assert ei.value.message == text
    # a validation step: skipped with SKIP_VALIDATE (libvirt's libxlDomainDefValidate)
    xl(xml, flags=ParseFlags.INACTIVE | ParseFlags.SKIP_VALIDATE)


def test_xenpvh_is_in_the_profile():
    assert xl(doc(virt="xen", ostype="xenpvh", arch="x86_64")).os.type.type == "xenpvh"


def test_host_caps_file_option(tmp_path):
    caps = tmp_path / "h.xml"
    caps.write_text((HOSTS / "libxl-test.xml").read_text().replace("<arch name='x86_64'>", "<arch name='i686'>", 1))
    xl(hvm(arch="i686"), options={"host_caps": str(caps)})


def test_secure_boot_refused_with_efi_firmware_feature():
    with pytest.raises(ValidationError) as ei:
        xl(doc(virt="xen", arch="x86_64", ostype="hvm", os="<firmware><feature enabled='yes' name='secure-boot'/>"
               "</firmware>").replace("<os>", "<os firmware='efi'>"))
    assert ei.value.message == "Secure boot is not supported on Xen"


def test_secure_boot_refused_with_old_style_uefi_loader():
    with pytest.raises(ValidationError) as ei:
        xl(hvm(os="<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"))
    assert ei.value.message == "Secure boot is not supported on Xen"


def test_secure_boot_disabled_is_fine():
    xl(hvm(os="<loader readonly='yes' secure='no' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"))


@pytest.mark.parametrize("model", ["ich6", "es1370", "ac97", "sb16"])
def test_supported_sound_models(model):
    xl(hvm(f"    <sound model='{model}'/>"))


@pytest.mark.parametrize("model", ["ich9", "usb", "pcspk", "ich7"])
def test_unsupported_sound_model(model):
    with pytest.raises(ValidationError) as ei:
        xl(hvm(f"    <sound model='{model}'/>"))
    assert ei.value.message == f"unsupported audio model {model}"


def test_only_first_sound_model_checked():
    xl(hvm("    <sound model='ac97'/>\n    <sound model='usb'/>"))


def test_name_with_newline_refused():
    with pytest.raises(ValidationError) as ei:
        xl(hvm(name="a&#10;b"))
    assert ei.value.message == "invalid char in name: \n"


# ---------------------------------------------------------------- CLI
def test_cli_convert_and_lint_hvm(capsys):
    out = cli_smoke("libxl", "libxl-hvm.xml", capsys)
    assert "<controller type='xenbus' index='0'/>" in out and "<memballoon model='xen'/>" in out


def test_cli_convert_and_lint_pv(capsys):
    out = cli_smoke("libxl", "libxl-pv.xml", capsys)
    assert "<target type='xen' port='0'/>" in out


def test_cli_lint_reports_libvirt_text(tmp_path, capsys):
    rc, out = cli_lint_text("libxl", hvm("    <sound model='usb'/>"), tmp_path, capsys)
    assert rc == 1 and "unsupported audio model usb" in out
