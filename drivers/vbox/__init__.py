"""libvirt's VirtualBox driver (``vbox:///session``, src/vbox/vbox_common.c).

Parser config (``vboxDomainDefParserConfig``): MAC prefix ``08:00:27``,
feature NAME_SLASH, no default arch (the host's).  One callback, the
device post-parse (``vboxDomainDevicesDefPostParse``): a ``default`` video
model becomes ``vbox``.  No domain post-parse, no capabilities check (the
driver's ``vboxCapsInit`` only feeds ``virsh capabilities``), no validation
callbacks; the generic post-parse and validation apply."""

from __future__ import annotations

from typing import Any

from drivers.vmx.helpers import default_video_type, is_video
from postparse.driver import Driver, Feature, PostParseContext


class VboxDriver(Driver):
    name = "vbox"
    features = Feature.NAME_SLASH
    def_arch = None
    mac_prefix = "08:00:27"
    description = "libvirt's VirtualBox driver"

    def device(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        if is_video(dev):
            default_video_type(dev, "vbox")


driver = VboxDriver()

__all__ = ["VboxDriver", "driver"]
