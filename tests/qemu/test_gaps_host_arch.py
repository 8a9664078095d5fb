"""armv7l KVM guests with host-passthrough on an aarch64 host need a QEMU
that can turn aarch64 off (QEMU_CAPS_CPU_AARCH64_OFF): the rule looks at
the driver's host arch, not at the emulator's arch.  (libvirt's
aarch64-kvm-32-on-64 test runs it with the harness host set to aarch64;
the corpus manifest does not record that host arch, so the conformance
runner, which never decides from a case name, cannot reproduce that
case: see tests/test_lint_corpus.py.)"""

from __future__ import annotations

import pytest

from virtxml import api
from virtxml.caps import CapsSource
from virtxml.caps.qemucaps import AccelCaps, MachineType, QemuCaps
from virtxml.errors import ValidationError

EMU = "/usr/bin/qemu-system-arm"
DOC = f"""<domain type='kvm'><name>armtest</name><memory>1048576</memory><vcpu>1</vcpu>
<os><type arch='armv7l' machine='virt'>hvm</type></os>
<cpu mode='host-passthrough'/>
<devices><emulator>{EMU}</emulator></devices></domain>""".encode()
MSG = "QEMU binary does not support CPU host-passthrough for armv7l on aarch64 host"


def _source(host_arch: str, *flags: str) -> CapsSource:
    caps = QemuCaps(origin="test")
    caps.arch = "armv7l"
    for accel in ("tcg", "kvm"):
        caps.accels.setdefault(accel, AccelCaps()).machines.append(MachineType(name="virt"))
        caps.set_flag(accel)
    for f in ("virtio-mmio", *flags):
        caps.set_flag(f)
    src = CapsSource(allow_probe=False, arch=host_arch, existing_binaries=[EMU])
    src.add_caps(EMU, caps)
    return src


def test_refused_on_aarch64_host_without_aarch64_off() -> None:
    with pytest.raises(ValidationError) as ei:
        api.parse(DOC, driver="qemu", options={"caps_source": _source("aarch64")})
    assert ei.value.message == MSG


@pytest.mark.parametrize("host,flags", [("aarch64", ("aarch64-off",)), ("x86_64", ())])
def test_accepted(host: str, flags: tuple[str, ...]) -> None:
    dom = api.parse(DOC, driver="qemu", options={"caps_source": _source(host, *flags)})
    assert dom.cpu.mode == "host-passthrough"  # type: ignore[attr-defined]
