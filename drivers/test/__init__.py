"""libvirt's test driver (``test:///default``, src/test/test_driver.c):
its parser config (features, default arch i686) and its only callback, the
device post-parse that picks the type of a ``default`` video (behaviour §9).
No domain, address or validation callbacks: no capability checks."""

from __future__ import annotations

from typing import Any

from postparse.driver import Driver, Feature, PostParseContext
from postparse.util import arch_is_ppc64, get, os_arch, os_type


def default_video_type(dom: Any) -> str:
    """testDomainDeviceDefPostParse: xen for os xen/linux, vga on ppc64,
    else cirrus."""
    if os_type(dom) in ("xen", "linux"):
        return "xen"
    if arch_is_ppc64(os_arch(dom)):
        return "vga"
    return "cirrus"


class TestDriver(Driver):
    name = "test"
    features = (Feature.MEMORY_HOTPLUG | Feature.OFFLINE_VCPUPIN | Feature.INDIVIDUAL_VCPUS
                | Feature.USER_ALIAS | Feature.FW_AUTOSELECT | Feature.NET_MODEL_STRING)
    def_arch = "i686"
    description = "libvirt's test driver (test:///default)"

    def device(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        if getattr(type(dev), "__xml_tag__", None) != "video":
            return
        model = get(dev, "model")
        if model is not None and get(model, "type") == "default":
            model.type = default_video_type(dom)


driver = TestDriver()
