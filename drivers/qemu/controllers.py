"""Accessors for PCI controller options (virDomainPCIControllerOpts):
``<model name=>`` and ``<target chassisNr= chassis= port= busNr= index=
hotplug=><node>N</node></target>``.  The model may spell these fields in
several ways; everything the driver reads or writes goes through here."""

from __future__ import annotations

from typing import Any

import attrs

from .util import field_class, has_field, new_obj, set_field

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


# the field spelling an attrs model class uses, resolved once per class
# (for an attrs class has_field only looks at the class)
_FIELD_OF_CLASS: dict[tuple[type, str], str | None] = {}


def _first_field(obj: Any, key: str, names: tuple[str, ...]) -> str | None:
    ck = (type(obj), key)
    try:
        return _FIELD_OF_CLASS[ck]
    except KeyError:
        pass
    found = next((n for n in names if has_field(obj, n)), None)
    if attrs.has(type(obj)):
        _FIELD_OF_CLASS[ck] = found
    return found


def _model_name_field(cont: Any) -> str | None:
    return _first_field(cont, "<model>", _MODEL_NAME_FIELDS)


def model_name(cont: Any) -> str | None:
    f = _model_name_field(cont)
    if f is None:
        return None
    v = getattr(cont, f, None)
    if v is None or isinstance(v, str):
        return v
    return getattr(v, "name", None)


def set_model_name(cont: Any, name: str) -> None:
    f = _model_name_field(cont)
    if f is None:
        return
    cur = getattr(cont, f, None)
    cls = field_class(type(cont), f)
    if cls is None:
        setattr(cont, f, name)
    elif cur is not None:
        set_field(cur, "name", name)
    else:
        setattr(cont, f, new_obj(cls, name=name))


def _target(cont: Any, create: bool = False) -> Any:
    t = getattr(cont, "target", None)
    if t is None and create and has_field(cont, "target"):
        cls = field_class(type(cont), "target")
        if cls is not None:
            t = new_obj(cls)
            cont.target = t
    return t


def target_opt(cont: Any, key: str) -> Any:
    t = getattr(cont, "target", None)
    if t is None:
        return None
    n = _first_field(t, key, _TARGET_ALIASES[key])
    return None if n is None else getattr(t, n, None)


def set_target_opt(cont: Any, key: str, value: Any) -> None:
    t = _target(cont, create=True)
    if t is None:
        return
    n = _first_field(t, key, _TARGET_ALIASES[key])
    if n is not None:
        setattr(t, n, value)


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
    p = getattr(cont, "ports", None)
    return -1 if p is None else int(p)


def usb_ports(cont: Any) -> int:
    p = getattr(cont, "ports", None)
    return -1 if p is None else int(p)
