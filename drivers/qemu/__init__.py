"""libvirt's QEMU driver on the post-parse Driver interface (behaviour
§2.4, §3, §4, §10).

Capabilities come from ``ctx.options`` (see :mod:`drivers.qemu.options`):
each guest is judged by the capabilities of the emulator binary its XML
names.  No emulator for the arch, or no capabilities for the binary, is a
*tolerable* failure (libvirt's callbacks returning 1)."""

from __future__ import annotations

from typing import Any

from postparse.driver import Driver, Feature, PostParseContext
from virtxml.errors import PostParseError, PostParseTolerableError, VirtXMLError
from virtxml.flags import ParseFlags

from . import cpu as cpumod
from . import defaults_devices, device_defaults, machine, options as optionsmod, validate as validatemod
from .addresses import assign_addresses
from .graphics import recheck_internal_paths
from .util import emulator


_ABI_UPDATE = int(ParseFlags.ABI_UPDATE)  # an int: no enum arithmetic per document


class QemuDriver(Driver):
    name = "qemu"
    features = (Feature.MEMORY_HOTPLUG | Feature.OFFLINE_VCPUPIN | Feature.INDIVIDUAL_VCPUS
                | Feature.USER_ALIAS | Feature.FW_AUTOSELECT | Feature.NET_MODEL_STRING
                | Feature.DISK_FD)
    def_arch = None
    description = "libvirt's QEMU driver (qemu:///system), capabilities per emulator binary"

    def prepare_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """The capability source (which reads the --qemu-caps files once),
        qemu.conf and the host's swtpm versions, resolved for a whole run.
        One that cannot be resolved is left as given: each document then
        reports the error, as without this step."""
        ctx = PostParseContext(driver=self, options=dict(options))
        for resolve in (optionsmod.caps_source, optionsmod.qemu_conf, optionsmod.swtpm_versions):
            try:
                resolve(ctx)
            except VirtXMLError:
                pass
        return ctx.options

    def basic(self, dom: Any, ctx: PostParseContext) -> None:
        machine.basic(dom, ctx)

    def data_alloc(self, dom: Any, ctx: PostParseContext) -> Any:
        return machine.data_alloc(dom, ctx)

    def domain(self, dom: Any, ctx: PostParseContext) -> None:
        # parse-time in libvirt (virSecurityLabelDefsParseXML with the
        # driver's default model): before every post-parse step
        cpumod.seclabel_default_model(dom, ctx)
        caps = ctx.data
        if caps is None:
            raise PostParseTolerableError(ctx.options.get(
                "_qemu_caps_error",
                f"no QEMU capabilities for emulator '{emulator(dom)}'"))
        if getattr(dom, "bootloader", None) is not None or getattr(dom, "bootloader_args", None) is not None:
            raise PostParseError("bootloader is not supported by QEMU")
        machine.machine_post_parse(dom, caps)
        machine.nvram_default(dom, ctx)
        defaults_devices.add_default_devices(dom, caps, ctx)
        cpumod.set_default_cpu(dom, caps)
        cpumod.enable_default_features(dom, caps)
        recheck_internal_paths(dom, ctx)
        cpumod.vcpus_post_parse(dom)
        cpumod.cpu_post_parse(dom, caps)
        cpumod.tseg_post_parse(dom, caps)
        cpumod.numa_cpus_rectify(dom, caps)

    def device(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        device_defaults.device_post_parse(dom, dev, ctx)

    def assign_addresses(self, dom: Any, ctx: PostParseContext) -> None:
        # parse-time in libvirt (virSecurityLabelDefsParseXML with the
        # driver's default model): before every post-parse step
        cpumod.seclabel_default_model(dom, ctx)
        caps = ctx.data
        if caps is None:
            raise PostParseTolerableError(ctx.options.get(
                "_qemu_caps_error", "no QEMU capabilities to assign addresses with"))
        assign_addresses(dom, caps, ctx.flags & _ABI_UPDATE)

    def validate(self, dom: Any, ctx: PostParseContext) -> None:
        validatemod.validate_domain(dom, ctx)

    def device_validate(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        validatemod.validate_device(dom, dev, ctx)


driver = QemuDriver()

__all__ = ["QemuDriver", "driver"]
