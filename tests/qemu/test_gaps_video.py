"""Two primary videos (libvirt 9.0, checked with the oracle): the parser
puts each primary video first without complaint; "Only one primary video
device is supported" is virDomainDefVideoValidate, a generic validation
check that runs after every device's own checks and after the earlier
domain-wide checks (duplicate disk targets)."""

from __future__ import annotations

import pytest

from virtxml import api
from virtxml.errors import ValidationError, VirtXMLError

QXL = "<video><model type='qxl' primary='yes'/></video>"
VGA = "<video><model type='vga' primary='yes'/></video>"
DISKS = ("<disk type='file' device='disk'><source file='/a'/><target dev='vda' bus='virtio'/></disk>"
         "<disk type='file' device='disk'><source file='/b'/><target dev='vda' bus='virtio'/></disk>")


def _doc(devices: str) -> bytes:
    return f"""<domain type='qemu'><name>g</name><memory>1048576</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type></os>
<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>{devices}</devices></domain>""".encode()


def _refusal(devices: str) -> VirtXMLError:
    with pytest.raises(VirtXMLError) as ei:
        api.parse(_doc(devices), driver="qemu")
    return ei.value


def test_two_primary_videos_refused_by_validation() -> None:
    err = _refusal(QXL + VGA)
    assert isinstance(err, ValidationError)
    assert err.message == "Only one primary video device is supported"


@pytest.mark.parametrize("devices,msg", [
    # a later device's parse error comes first: the parser does not refuse
    (QXL + VGA + "<memballoon model='bogus'/>", "Invalid value for attribute 'model' in element 'memballoon': 'bogus'."),
    # per-device validation comes first
    (QXL + VGA + "<video><model type='none'/></video>",
     "a 'none' video type must be the only video device defined for the domain"),
    (QXL + VGA + "<video><model type='bochs'><acceleration accel3d='yes'/></model></video>",
     "video type 'bochs' is only valid as primary video device"),
    # so does the duplicate disk target check of virDomainDefValidateInternal
    (QXL + VGA + DISKS, "target 'vda' duplicated for disk sources '/a' and '/b'"),
])
def test_error_precedence(devices: str, msg: str) -> None:
    assert _refusal(devices).message == msg


def test_skip_validate_keeps_both_primary_first_last_wins() -> None:
    from virtxml.flags import ParseFlags

    dom = api.parse(_doc(QXL + "<video><model type='virtio'/></video>" + VGA), driver="qemu",
                    flags=ParseFlags.SKIP_VALIDATE)
    assert [v.model.type for v in dom.devices.videos] == ["vga", "qxl", "virtio"]  # type: ignore[attr-defined]
