"""QEMU post-parse rules that only apply to status XML (ParseFlags.STATUS;
behaviour §1.1, qemu_domain.c:5473-5568, 5658-5720): older libvirt did
not record some runtime object names, so they are regenerated from the
device alias when a status file lacks them.

* disk source with ``<auth>`` (network rbd/iscsi) and no auth secret →
  ``<secret type='auth' alias='ALIAS-secret0'/>``;
* LUKS ``<encryption>`` and no encryption secret →
  ``<secret type='encryption' alias='ALIAS-luks-secret0'/>``;
* network source with ``tls='yes'`` and no TLS object →
  ``<TLSx509 alias='objALIAS_tls0'/>``;
* SCSI hostdev: storage node name ``libvirt-ALIAS-backend`` when missing;
  iSCSI hostdev with ``<auth>`` and no secret → ``ALIAS-secret0``.

They touch only the private data written under FormatFlags.STATUS.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from virtxml.flags import ParseFlags

from .util import devlist


def _alias(dev: Any) -> str | None:
    info = getattr(dev, "info", None)
    a = getattr(info, "alias", None) if info is not None else getattr(dev, "alias", None)
    return getattr(a, "name", None)


class _Priv:
    """Editable view of a ``<privateData>`` kept as element strings."""

    def __init__(self, pd: Any) -> None:
        self.items = [etree.fromstring(i) for i in (pd.items if pd is not None else [])]

    def find(self, tag: str) -> Any:
        for el in self.items:
            if el.tag == tag:
                return el
        return None

    def ensure(self, tag: str, before: tuple[str, ...] = ()) -> Any:
        el = self.find(tag)
        if el is None:
            el = etree.Element(tag)
            pos = len(self.items)
            for i, it in enumerate(self.items):
                if it.tag in before:
                    pos = i
                    break
            self.items.insert(pos, el)
        return el

    def has_secret(self, typ: str) -> bool:
        objs = self.find("objects")
        return objs is not None and any(s.get("type") == typ for s in objs.findall("secret"))

    def store(self, owner: Any, cls: Any) -> None:
        items = [etree.tostring(i, encoding="unicode") for i in self.items]
        if owner.private_data is None:
            owner.private_data = cls(items=items)
        else:
            owner.private_data.items = items


# order of the children of <objects> (qemuStorageSourcePrivateDataFormat)
_OBJ_ORDER = {("secret", "auth"): 0, ("secret", "encryption"): 1, ("secret", "httpcookie"): 2,
              ("secret", "tlskey"): 3, ("TLSx509", None): 4}


def _add_object(p: _Priv, tag: str, typ: str | None, alias: str) -> None:
    objs = p.ensure("objects")
    new = etree.Element(tag)
    if typ is not None:
        new.set("type", typ)
    new.set("alias", alias)
    key = _OBJ_ORDER.get((tag, typ), 9)
    pos = len(objs)
    for i, c in enumerate(objs):
        if _OBJ_ORDER.get((c.tag, c.get("type") if c.tag == "secret" else None), 9) > key:
            pos = i
            break
    objs.insert(pos, new)


def _disk(disk: Any) -> None:
    src = getattr(disk, "source", None)
    alias = _alias(disk)
    if src is None or alias is None or not hasattr(src, "private_data"):
        return
    kind = type(src).__name__
    if kind == "SourceFile" and not getattr(src, "file", None) or kind == "SourceBlock" and not getattr(src, "dev", None):
        return
    p = _Priv(src.private_data)
    changed = False
    network = kind == "SourceNetwork"
    if getattr(src, "auth", None) is not None and network and getattr(src, "protocol", None) in ("rbd", "iscsi") \
            and not p.has_secret("auth"):
        _add_object(p, "secret", "auth", f"{alias}-secret0")
        changed = True
    enc = getattr(src, "encryption", None)
    if enc is not None and getattr(enc, "format", None) == "luks" and not p.has_secret("encryption"):
        _add_object(p, "secret", "encryption", f"{alias}-luks-secret0")
        changed = True
    if network and getattr(src, "tls", None) is True:
        objs = p.find("objects")
        if objs is None or objs.find("TLSx509") is None:
            _add_object(p, "TLSx509", None, f"obj{alias}_tls0")
            changed = True
    if changed:
        from virtxml.model.devices.disk import PrivateData

        p.store(src, PrivateData)


def _hostdev(hd: Any) -> None:
    if getattr(hd, "mode", None) != "subsystem" or getattr(hd, "type", None) != "scsi":
        return
    src = getattr(hd, "source", None)
    alias = _alias(hd)
    if src is None or alias is None or not hasattr(src, "private_data"):
        return
    p = _Priv(src.private_data)
    changed = False
    if getattr(src, "protocol", None) == "iscsi" and getattr(src, "auth", None) is not None and not p.has_secret("auth"):
        _add_object(p, "secret", "auth", f"{alias}-secret0")
        changed = True
    nn = p.find("nodenames")
    if nn is None or not any(n.get("type") == "storage" for n in nn.findall("nodename")):
        nn = p.ensure("nodenames", before=("objects",))
        el = etree.SubElement(nn, "nodename")
        el.set("type", "storage")
        el.set("name", f"libvirt-{alias}-backend")
        changed = True
    if changed:
        from virtxml.model.devices.disk import PrivateData

        p.store(src, PrivateData)


def restore_status_aliases(dom: Any, flags: int) -> None:
    """Run the status-only restore rules on a parsed status definition."""
    if not flags & ParseFlags.STATUS:
        return
    for disk in devlist(dom, "disks"):
        _disk(disk)
    for hd in devlist(dom, "hostdevs"):
        _hostdev(hd)
