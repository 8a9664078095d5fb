"""Accessors for PCI controller options (virDomainPCIControllerOpts):
``<model name=>`` and ``<target chassisNr= chassis= port= busNr= index=
hotplug=><node>N</node></target>``.  The model may spell these fields in
several ways; everything the driver reads or writes goes through here."""

from __future__ import annotations

from typing import Any

from .util import field_class, get, has_field, new_obj, set_field

_MODEL_NAME_FIELDS = ("model_name", "pci_model", "model_element", "modelname")
_TARGET_ALIASES = {
    "chassisNr": ("chassis_nr", "chassisNr"),
    "chassis": ("chassis",),
    "port": ("port",),
    "busNr": ("bus_nr", "busNr"),
    "index": ("index", "target_index"),
    "hotplug": ("hotplug",),
    "node": ("node", "numa_node"),
}


def _model_name_field(cont: Any) -> str | None:
    for n in _MODEL_NAME_FIELDS:
        if has_field(cont, n):
            return n
    return None


def model_name(cont: Any) -> str | None:
    f = _model_name_field(cont)
    if f is None:
        return None
    v = get(cont, f)
    if v is None or isinstance(v, str):
        return v
    return get(v, "name")


def set_model_name(cont: Any, name: str) -> None:
    f = _model_name_field(cont)
    if f is None:
        return
    cur = get(cont, f)
    cls = field_class(type(cont), f)
    if cls is None:
        setattr(cont, f, name)
    elif cur is not None:
        set_field(cur, "name", name)
    else:
        setattr(cont, f, new_obj(cls, name=name))


def _target(cont: Any, create: bool = False) -> Any:
    t = get(cont, "target")
    if t is None and create and has_field(cont, "target"):
        cls = field_class(type(cont), "target")
        if cls is not None:
            t = new_obj(cls)
            cont.target = t
    return t


def target_opt(cont: Any, key: str) -> Any:
    t = _target(cont)
    if t is None:
        return None
    for n in _TARGET_ALIASES[key]:
        if has_field(t, n):
            return get(t, n)
    return None


def set_target_opt(cont: Any, key: str, value: Any) -> None:
    t = _target(cont, create=True)
    if t is None:
        return
    for n in _TARGET_ALIASES[key]:
        if has_field(t, n):
            setattr(t, n, value)
            return


def pci_numa_node(cont: Any) -> int | None:
    v = target_opt(cont, "node")
    if v is None or isinstance(v, int):
        return v
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def hotplug_off(cont: Any) -> bool:
    v = target_opt(cont, "hotplug")
    return v is False or v == "off"


def vioserial_ports(cont: Any) -> int:
    p = get(cont, "ports")
    return -1 if p is None else int(p)


def usb_ports(cont: Any) -> int:
    p = get(cont, "ports")
    return -1 if p is None else int(p)
