"""Expected outputs of tests: a small guest as libvirt 9.0 writes it.

libvirt completes a minimal hvm domain with the same skeleton whatever the
driver (currentMemory, a static vcpu placement, the hd boot device, a UTC
clock, the lifecycle actions); :func:`domain_xml` writes that skeleton
around what differs, so that a recorded output states only its own part."""

from __future__ import annotations


def domain_xml(*, type: str, name: str, uuid: str, memory_kib: int | str, devices: str,
               current_memory_kib: int | str | None = None, vcpus: int = 1,
               arch: str = "x86_64", machine: str | None = None, after_os: str = "",
               domain_id: int | None = None) -> str:
    """``<domain>`` as libvirt formats it; ``devices`` and ``after_os`` (the
    elements between ``</os>`` and ``<clock>``) are whole, indented lines."""
    id_attr = "" if domain_id is None else f" id='{domain_id}'"
    machine_attr = "" if machine is None else f" machine='{machine}'"
    current = memory_kib if current_memory_kib is None else current_memory_kib
    return (f"<domain type='{type}'{id_attr}>\n"
            f"  <name>{name}</name>\n"
            f"  <uuid>{uuid}</uuid>\n"
            f"  <memory unit='KiB'>{memory_kib}</memory>\n"
            f"  <currentMemory unit='KiB'>{current}</currentMemory>\n"
            f"  <vcpu placement='static'>{vcpus}</vcpu>\n"
            "  <os>\n"
            f"    <type arch='{arch}'{machine_attr}>hvm</type>\n"
            "    <boot dev='hd'/>\n"
            "  </os>\n"
            f"{after_os}"
            "  <clock offset='utc'/>\n"
            "  <on_poweroff>destroy</on_poweroff>\n"
            "  <on_reboot>restart</on_reboot>\n"
            "  <on_crash>destroy</on_crash>\n"
            "  <devices>\n"
            f"{devices}"
            "  </devices>\n"
            "</domain>\n")
