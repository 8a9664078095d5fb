"""Controllers: index assignment (virDomainAssignControllerIndexes) and
duplicate rejection (virDomainDefRejectDuplicateControllers)."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .util import devlist, has_field, set_field

USB2_MODELS = ("ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3")

#: libvirt's controller type order (virDomainControllerType)
CONTROLLER_TYPES = ("ide", "fdc", "scsi", "sata", "virtio-serial", "ccid", "usb", "pci", "xenbus",
                    "isa", "nvme")


def ctype(c: Any) -> str | None:
    # getattr(None, ...) gives the default, as util.get does
    return getattr(c, "type", None)


def cindex(c: Any) -> int:
    i = getattr(c, "index", None)
    return -1 if i is None else int(i)


def cmodel(c: Any) -> str | None:
    return getattr(c, "model", None)


def is_usb2(c: Any) -> bool:
    return ctype(c) == "usb" and cmodel(c) in USB2_MODELS


USB2_COMPANION_MODELS = ("ich9-uhci1", "ich9-uhci2", "ich9-uhci3")


def is_companion(c: Any) -> bool:
    """A USB2 companion: has a <master>, or is an ich9 UHCI (libvirt gives
    those their master port)."""
    return getattr(c, "master", None) is not None or (ctype(c) == "usb" and cmodel(c) in USB2_COMPANION_MODELS)


def find_unused_index(dom: Any, type_: str) -> int:
    """virDomainControllerFindUnusedIndex: lowest index not used by a
    controller of that type."""
    return _lowest_unused(_used_indexes(devlist(dom, "controllers"), type_))


def _used_indexes(conts: list[Any], type_: str | None) -> set[int]:
    used = set()
    for c in conts:
        if getattr(c, "type", None) == type_:
            i = getattr(c, "index", None)
            used.add(-1 if i is None else int(i))
    return used


def _lowest_unused(used: set[int]) -> int:
    idx = 0
    while idx in used:
        idx += 1
    return idx


def insert_controller(conts: list[Any], cont: Any) -> None:
    """virDomainControllerInsertPreAlloced: insert ``cont`` into ``conts``
    among the controllers of its type, ordered by index (a master before
    its USB companions of the same index); no controller of its type →
    appended."""
    insert_at = -1
    for i in range(len(conts) - 1, -1, -1):
        cur = conts[i]
        if ctype(cur) != ctype(cont):
            continue
        if getattr(cont, "index", None) is None:
            insert_at = i + 1
            break
        if cindex(cur) > cindex(cont):
            insert_at = i
        elif not is_companion(cont) and is_companion(cur) and cindex(cur) == cindex(cont):
            insert_at = i
        elif insert_at == -1:
            insert_at = i + 1
    if insert_at == -1:
        conts.append(cont)
    else:
        conts.insert(insert_at, cont)


def _insert_order(conts: list[Any]) -> list[Any]:
    out: list[Any] = []
    for cont in conts:
        insert_controller(out, cont)
    return out


def assign_indexes(dom: Any) -> None:
    """libvirt 9.0 assigns the indexes in place: unlike later releases it
    does not re-sort the controllers afterwards (the corpus's autoindex
    case keeps companions before their EHCI)."""
    conts = devlist(dom, "controllers")
    # indexes in use per controller type, built on first need and kept up
    # to date as indexes are assigned (find_unused_index on every step
    # would be quadratic)
    used: dict[str | None, set[int]] = {}
    for outer, cont in enumerate(conts):
        if getattr(cont, "index", None) is not None or not has_field(cont, "index"):
            continue
        prev = None
        if outer > 0 and is_usb2(cont):
            j = outer - 1
            while j >= 0 and ctype(conts[j]) != "usb":
                j -= 1
            if j >= 0:
                prev = conts[j]
            if prev is not None and not is_usb2(prev):
                prev = None
            if prev is not None:
                for other in conts:
                    if ctype(other) == "usb" and cindex(other) == cindex(prev) and cmodel(other) == cmodel(cont):
                        prev = None
                        break
            if prev is not None:
                set_field(cont, "index", cindex(prev))
        if prev is None:
            t = ctype(cont) or ""
            u = used.get(t)
            if u is None:
                u = used[t] = _used_indexes(conts, t)
            set_field(cont, "index", _lowest_unused(u))
        u = used.get(ctype(cont))
        if u is not None:
            u.add(cindex(cont))


def reject_duplicates(dom: Any) -> None:
    seen: set[tuple[str, int]] = set()
    for c in devlist(dom, "controllers"):
        t = ctype(c)
        if t == "usb" or not has_field(c, "type"):
            continue
        key = (t or "", cindex(c))
        if key in seen:
            raise PostParseError("Multiple '%s' controllers with index '%d'" % (t, cindex(c)))
        seen.add(key)
