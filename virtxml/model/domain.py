"""The ``<domain>`` root.  Field order is libvirt's output order
(virDomainDefFormatInternalSetRootName)."""

from __future__ import annotations

from typing import Any

import attrs

from ..binding import (INT, UINT, Enum, attribute, choice, custom_format, element, elements, raw,
                       scaled_element, text_element, xml)
from ..flags import FormatFlags
from .clock import Clock
from .cpu import CPU, Cputune, DefaultIOThread, IOThreadIDs, Numatune, Resource, Vcpu, Vcpus
from .devices import Devices
from .features import Features
from .lifecycle import PM, Perf
from .memory import Blkiotune, MaxMemory, MemoryBacking, MemoryElement, Memtune
from .namespaces import NAMESPACE_ELEMENTS
from .os import OS, Idmap
from .security import Keywrap, LaunchSecurity, Seclabel
from .sysinfo import Sysinfo

VIRT_TYPES = ("none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test", "vmware",
              "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", "hvf")

LIFECYCLE_ACTIONS = ("destroy", "restart", "rename-restart", "preserve", "coredump-destroy",
                     "coredump-restart")


def _not_inactive(obj: Any, flags: int) -> bool:
    return not flags & FormatFlags.INACTIVE


@xml("metadata")
class Metadata:
    """``<metadata>``: foreign-namespace children kept verbatim."""

    items: list[str] = raw()


@xml("domain")
class Domain:
    type: str | None = attribute("type", Enum(VIRT_TYPES, message="invalid domain type {value}"))
    id: int | None = attribute("id", INT, when=_not_inactive)
    name: str | None = text_element("name")
    uuid: str | None = text_element("uuid")
    genid: str | None = text_element("genid")
    title: str | None = text_element("title")
    description: str | None = text_element("description")
    metadata: Metadata | None = element("metadata", Metadata)
    max_memory: MaxMemory | None = element("maxMemory", MaxMemory)
    memory: MemoryElement | None = element("memory", MemoryElement)
    current_memory: int | None = scaled_element("currentMemory")
    blkiotune: Blkiotune | None = element("blkiotune", Blkiotune)
    memtune: Memtune | None = element("memtune", Memtune)
    memory_backing: MemoryBacking | None = element("memoryBacking", MemoryBacking)
    vcpu: Vcpu | None = element("vcpu", Vcpu)
    vcpus: Vcpus | None = element("vcpus", Vcpus)
    iothreads: int | None = text_element("iothreads", UINT)
    iothreadids: IOThreadIDs | None = element("iothreadids", IOThreadIDs)
    defaultiothread: DefaultIOThread | None = element("defaultiothread", DefaultIOThread)
    cputune: Cputune | None = element("cputune", Cputune)
    numatune: Numatune | None = element("numatune", Numatune)
    resource: Resource | None = element("resource", Resource)
    sysinfo: list[Sysinfo] = elements("sysinfo", Sysinfo)
    bootloader: str | None = text_element("bootloader")
    bootloader_args: str | None = text_element("bootloader_args")
    os: OS | None = element("os", OS)
    idmap: Idmap | None = element("idmap", Idmap)
    features: Features | None = element("features", Features)
    cpu: CPU | None = element("cpu", CPU)
    clock: Clock | None = element("clock", Clock)
    on_poweroff: str | None = text_element("on_poweroff")
    on_reboot: str | None = text_element("on_reboot")
    on_crash: str | None = text_element("on_crash")
    on_lockfailure: str | None = text_element("on_lockfailure")
    pm: PM | None = element("pm", PM)
    perf: Perf | None = element("perf", Perf)
    devices: Devices | None = element("devices", Devices)
    seclabels: list[Seclabel] = elements("seclabel", Seclabel)
    keywrap: Keywrap | None = element("keywrap", Keywrap)
    launch_security: LaunchSecurity | None = element("launchSecurity", LaunchSecurity)
    namespace_data: list[Any] = choice(NAMESPACE_ELEMENTS)

    # --- state that is not XML (libvirt's virDomainDef private flags) -------
    uuid_generated: bool = attrs.field(default=False, eq=False)
    genid_generated: bool = attrs.field(default=False, eq=False)
    post_parse_failed: bool = attrs.field(default=False, eq=False)
    post_parse_error: Any = attrs.field(default=None, eq=False)
    #: where the definition came from (file name), for messages
    source_file: str | None = attrs.field(default=None, eq=False)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        start = len(out)
        self._xml_format_generated(out, ind, flags)
        nss = []
        for item in self.namespace_data:
            ns = type(item).__xml_ns__
            if ns and ns not in nss:
                nss.append(ns)
        if nss:
            from ..binding.compiler import NS_PREFIX

            first = out[start]
            close = first.index(">") if ">" in first else len(first)
            if first[close - 1] == "/":
                close -= 1
            decl = "".join(f" xmlns:{NS_PREFIX.get(ns, 'ns')}='{ns}'" for ns in nss)
            out[start] = first[:close] + decl + first[close:]
