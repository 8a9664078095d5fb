"""QEMU driver mismatches against libvirt 9.0 found by differential testing
(each checked with the oracle: real libvirt 9.0 + QEMU 7.2)."""

from __future__ import annotations

import pytest

from virtxml import api
from virtxml.errors import PostParseError, VirtXMLError


def _doc(devices: str, os_extra: str = "", top: str = "") -> bytes:
    return f"""<domain type='qemu'><name>g</name><memory>1048576</memory><vcpu>1</vcpu>{top}
<os><type arch='x86_64' machine='pc'>hvm</type>{os_extra}</os>
<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>{devices}</devices></domain>""".encode()


def _refusal(doc: bytes) -> VirtXMLError:
    with pytest.raises(VirtXMLError) as ei:
        api.parse(doc, driver="qemu")
    return ei.value


def test_pci_root_without_model_prints_null() -> None:
    err = _refusal(_doc("<controller type='pci' index='0'/>"))
    assert isinstance(err, PostParseError)
    assert err.message == ("The PCI controller with index='0' must be model='pci-root' for this "
                           "machine type, but model='(null)' was found instead")


def test_pci_root_with_other_model_names_it() -> None:
    err = _refusal(_doc("<controller type='pci' index='0' model='pcie-root'/>"))
    assert "but model='pcie-root' was found instead" in err.message


def test_pci_address_zero_domain_bus_slot_is_empty_whatever_the_function() -> None:
    # virPCIDeviceAddressIsEmpty ignores the function: the address is assigned
    doc = _doc("<controller type='ide' index='0'><address type='pci' domain='0x0000' "
               "bus='0x00' function='0x1'/></controller>")
    out = api.format(api.parse(doc, driver="qemu"))
    assert ("<controller type='ide' index='0'>\n      <address type='pci' domain='0x0000' "
            "bus='0x00' slot='0x01' function='0x1'/>") in out


def test_rom_loader_with_nvram_accepted() -> None:
    # qemu_validate.c (9.0) has no loader-type rule: only the generic
    # virDomainDefOSValidate, which looks at the type when stateless='no'
    doc = _doc("", os_extra="<loader type='rom'>/usr/share/seabios/bios.bin</loader>"
                            "<nvram>/tmp/x_VARS.fd</nvram>")
    out = api.format(api.parse(doc, driver="qemu"))
    assert "<loader type='rom'>/usr/share/seabios/bios.bin</loader>" in out
    assert "<nvram>/tmp/x_VARS.fd</nvram>" in out


def test_rom_loader_not_stateless_refused_by_generic_check() -> None:
    doc = _doc("", os_extra="<loader type='rom' stateless='no'>/usr/share/seabios/bios.bin</loader>")
    assert _refusal(doc).message == "Only pflash loader type permits NVRAM"


@pytest.mark.parametrize("label", [
    "<seclabel/>",
    "<seclabel type='static' relabel='no'><label>system_u:system_r:svirt_t:s0:c1</label></seclabel>",
])
def test_lone_seclabel_without_model_not_defaultable(label: str) -> None:
    from virtxml.errors import ParseError
    from virtxml.flags import ParseFlags

    with pytest.raises(VirtXMLError) as ei:
        api.parse(_doc("", top=label), driver="qemu", flags=ParseFlags.INACTIVE)
    assert isinstance(ei.value, ParseError)
    assert ei.value.message == "missing security model in domain seclabel"


def test_lone_dynamic_seclabel_gets_default_model() -> None:
    from virtxml.flags import ParseFlags

    dom = api.parse(_doc("", top="<seclabel type='dynamic'/>"), driver="qemu",
                    flags=ParseFlags.INACTIVE)
    assert dom.seclabels[0].model is not None


NO_TARGET_DISK = "<disk type='file'><source file='/a'/></disk>"


def _define_error(doc: bytes) -> VirtXMLError:
    from virtxml.flags import ParseFlags

    with pytest.raises(VirtXMLError) as ei:
        api.parse(doc, driver="qemu", flags=ParseFlags.INACTIVE)
    return ei.value


def test_bootloader_refused_before_disk_without_target() -> None:
    doc = _doc(NO_TARGET_DISK).replace(b"</devices>", b"</devices><bootloader>/x</bootloader>")
    assert _define_error(doc).message == "bootloader is not supported by QEMU"


def test_missing_emulator_reported_before_disk_without_target() -> None:
    doc = _doc(NO_TARGET_DISK).replace(b"/usr/bin/qemu-system-x86_64", b"/usr/bin/nonexist")
    assert _define_error(doc).message == ("Cannot check QEMU binary /usr/bin/nonexist: "
                                          "No such file or directory")


def test_disk_without_target_alone() -> None:
    assert _define_error(_doc(NO_TARGET_DISK)).message == "missing target information for device /a"


def test_unsupported_virt_type_reported_before_disk_without_target() -> None:
    doc = _doc(NO_TARGET_DISK).replace(b"type='qemu'", b"type='hvf'", 1)
    assert _define_error(doc).message == ("Emulator '/usr/bin/qemu-system-x86_64' does not "
                                          "support virt type 'hvf'")
