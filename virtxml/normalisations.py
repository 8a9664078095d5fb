"""libvirt's own normalisations of domain XML, in one table.

When libvirt 9.0 parses and formats a definition, the output does not
carry every item of the input verbatim: sizes are converted to KiB, numbers
are written in libvirt's own formats, legacy attributes are mirrored into
new elements, settings the parser ignores for a given model are dropped,
defaults are added.  Everything else must survive a round trip.

A document is seen as a multiset of *items* ``(path, item, value)``:

* ``path``: the element's path without positions, e.g.
  ``/domain/devices/disk/source`` (namespaced elements in Clark notation);
* ``item``: ``"#element"`` (the element exists), ``"#text"`` (its
  non-blank text) or ``"@name"`` (an attribute);
* ``value``: the text or attribute value ('' for ``#element``).

:data:`NORMALISATIONS` lists, with the reason, the input items libvirt may
change (``canon``: compared after canonicalisation) or drop (``drop``);
``add`` entries document what libvirt adds (additions are never a loss).
:func:`unexplained_losses` returns the input items that the output lost
and that no entry explains.

The table is checked against libvirt itself: every item that libvirt 9.0
loses between a corpus input and its expected output must be explained
here (tests/test_roundtrip.py); it was also checked against real libvirt
9.0 (tools/oracle: define + dumpxml of every schema-valid corpus input with
the QEMU and the test driver, about 1400 definitions).  Entries are kept as
narrow as libvirt's behaviour allows: ``value`` restricts an entry to given
values, ``cond`` to input elements in a given state (e.g. the rng ``<rate>``
is only explained away when its bytes are 0), so that the round trip still
catches a model that forgets something (tests/test_roundtrip.py has a
mutation test for that).
"""

from __future__ import annotations

import collections
import contextvars
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

__all__ = ["Normalisation", "NORMALISATIONS", "items", "lost_items", "unexplained_losses", "explain",
           "Item"]

Item = tuple[str, str, str]


@dataclass(frozen=True)
class Normalisation:
    """One of libvirt's normalisations.

    ``path`` and ``item`` are regular expressions matched (``fullmatch``)
    against an item's path and item name; ``value`` (optional) against its
    value; ``cond`` (optional) is a predicate on the input element the item
    belongs to.  ``kind``: ``drop`` (the input item may be missing from the
    output), ``canon`` (input and output values are compared through
    ``canon``) or ``add`` (documentation only)."""

    path: str
    item: str
    reason: str
    kind: str = "drop"
    canon: Callable[[str], str] | None = None
    value: str | None = None
    #: a predicate on the input element the item belongs to (its attributes
    #: and parent); the entry applies only when it holds
    cond: Callable[[Any], bool] | None = field(default=None, compare=False)

    def matches(self, it: Item) -> bool:
        p, i, v = it
        if re.fullmatch(self.path, p) is None or re.fullmatch(self.item, i) is None:
            return False
        return self.value is None or re.fullmatch(self.value, v, re.S) is not None


# ------------------------------------------------------------ canonicalisers

def _int_any(v: str) -> str:
    """An integer in any base libvirt accepts (0x.., 0.. octal, decimal)."""
    s = v.strip()
    try:
        return str(int(s, 0))
    except ValueError:
        try:
            return str(int(s, 16)) if s.lower().startswith("0x") else str(int(s, 10))
        except ValueError:
            return v


def _int_hex(v: str) -> str:
    s = v.strip()
    try:
        return str(int(s, 16))
    except ValueError:
        return v


def _lower(v: str) -> str:
    return v.strip().lower()


def _uuid(v: str) -> str:
    h = re.sub(r"[\s-]", "", v).lower()
    return h if len(h) == 32 else v


def _bitmap(v: str) -> str:
    bits: set[int] = set()
    try:
        for part in v.split(","):
            part = part.strip()
            if part.startswith("^"):
                bits.discard(int(part[1:]))
            elif "-" in part:
                a, b = part.split("-")
                bits.update(range(int(a), int(b) + 1))
            else:
                bits.add(int(part))
    except ValueError:
        return v
    return ",".join(map(str, sorted(bits)))



# ---------------------------------------------------------------- conditions

def _up(el: Any, tag: str) -> Any:
    """The nearest ancestor-or-self named ``tag``."""
    while el is not None and el.tag != tag:
        el = el.getparent()
    return el


def _uint0(v: str | None) -> int:
    try:
        return int((v or "0").strip(), 0)
    except ValueError:
        return 0


def _non_user_alias(el: Any) -> bool:
    return re.fullmatch(r"ua-[A-Za-z0-9_-]*", el.get("name") or "") is None


def _empty_panic(el: Any) -> bool:
    return el.get("model") in (None, "default") and not any(isinstance(c.tag, str) for c in el)


def _no_attrs(*names: str) -> Callable[[Any], bool]:
    return lambda el: not any(el.get(n) for n in names)


_VIRTIO_OPTS = ("iommu", "ats", "packed", "page_per_vq")


def _iommu_driver_empty(el: Any) -> bool:
    return not any(el.get(n) for n in ("intremap", "caching_mode", "eim", "iotlb")) and not _uint0(el.get("aw_bits"))


def _balloon_none(el: Any) -> bool:
    return bool(el.getparent().get("model") == "none")


def _shmem_role_unread(el: Any) -> bool:
    m = el.find("model")
    return m is None or m.get("type") in (None, "ivshmem")


def _shmem_not_whole_mib(el: Any) -> bool:
    t = (el.text or "").strip()
    k = _kib(t, el.get("unit"), 1) if t else None
    return k is not None and int(k) % 1024 != 0


_TPM_USES = {"device": "passthrough", "encryption": "emulator", "active_pcr_banks": "emulator", "source": "external"}


def _tpm_unread(el: Any) -> bool:
    be = _up(el, "backend")
    if be is None:
        return False
    t = be.get("type")
    if el is be:
        return True  # version / persistent_state: see the entries' own conditions
    child = el
    while child.getparent() is not be:
        child = child.getparent()
    if _TPM_USES.get(child.tag) != t:
        return True
    if child.tag == "active_pcr_banks" and el is not child:
        return sum(1 for c in child if c.tag == el.tag) > 1  # duplicates collapse
    if child.tag == "source":
        return child.get("type") != "unix" or (el is child and False)
    return False


_MEM_READ = {
    ("uuid",): ("nvdimm",), ("source", "nodemask"): ("dimm", "virtio-mem", "sgx-epc"),
    ("source", "pagesize"): ("dimm", "virtio-mem"), ("source", "path"): ("nvdimm", "virtio-pmem"),
    ("source", "alignsize"): ("nvdimm",), ("source", "pmem"): ("nvdimm",), ("target", "label"): ("nvdimm",),
    ("target", "readonly"): ("nvdimm",), ("target", "block"): ("virtio-mem",),
    ("target", "requested"): ("virtio-mem",), ("target", "current"): (),
}


def _memory_unread(el: Any) -> bool:
    mem = _up(el, "memory")
    if mem is None:
        return False
    model = mem.get("model")
    rel: list[str] = []
    e = el
    while e is not mem:
        rel.insert(0, e.tag)
        e = e.getparent()
    if rel == ["source"]:
        return all(_memory_unread(c) for c in el if isinstance(c.tag, str))
    key = tuple(rel[:2]) if rel[0] in ("source", "target") else tuple(rel[:1])
    if key not in _MEM_READ:
        return False
    if model not in _MEM_READ[key]:
        return True
    if key in (("source", "pagesize"), ("source", "alignsize"), ("target", "block"), ("target", "label")):
        return _uint0((el.text or "").strip() or (el.find("size").text if el.find("size") is not None else "0")) == 0
    if key == ("target", "requested"):
        blk = el.getparent().find("block")
        return blk is None or _uint0((blk.text or "").strip()) == 0
    return False


_CHR_READ = {"file": ("path", "append"), "pty": ("path",), "dev": ("path",), "pipe": ("path",),
             "unix": ("mode", "path"), "udp": ("mode", "host", "service"), "tcp": ("mode", "host", "service", "tls"),
             "spiceport": ("channel",), "dbus": ("channel",), "nmdm": ("master", "slave")}


def _chr_holder(el: Any) -> Any:
    e = el
    while e is not None and e.tag not in ("serial", "parallel", "console", "channel", "smartcard", "redirdev",
                                          "backend"):
        e = e.getparent()
    return e


def _chr_unread(el: Any) -> bool:
    """Parts of a chardev source libvirt does not read or write for the
    chardev's type."""
    h = _chr_holder(el)
    if h is None:
        return False
    t = h.get("type") or ("pty" if h.tag in ("serial", "parallel", "console", "channel") else None)
    read = _CHR_READ.get(t or "", ())
    if el.tag == "protocol":
        return t != "tcp"
    if el.tag == "log":
        return el.get("file") is None
    if el.tag == "source":
        if t == "pty":
            return True  # pty paths are not read by an INACTIVE parse
        if t == "unix" and el.get("path") is None:
            return True
        return not read or not any(el.get(a) for a in read)
    if el.tag == "reconnect":
        return t not in ("tcp", "unix")
    if el.tag == "seclabel":
        return bool(h.tag == "backend")  # rng/tpm backends pass no chr def: no seclabels
    return False


def _chr_attr_dropped(el: Any) -> bool:
    """Some attribute of this <source> is not read for the chardev type
    (the item is one of its attributes; which one is not known here, so
    the check is that the element has an unread one)."""
    h = _chr_holder(el)
    t = (h.get("type") if h is not None else None) or "pty"
    read = _CHR_READ.get(t, ())
    return any(a not in read for a in el.attrib)


def _metadata_replaced(el: Any) -> bool:
    md = _up(el, "metadata")
    if md is None or el is md:
        return False
    top = el
    while top.getparent() is not md:
        top = top.getparent()
    ns = top.tag.partition("}")[0] if top.tag.startswith("{") else None
    later = top.getnext()
    while later is not None:
        if isinstance(later.tag, str) and (later.tag.partition("}")[0] if later.tag.startswith("{") else None) == ns:
            return True
        later = later.getnext()
    return ns is None  # elements without a namespace are dropped


#: whether the output being compared is INACTIVE (set by unexplained_losses)
_OUTPUT_INACTIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("_OUTPUT_INACTIVE", default=True)


def _inactive_doc(el: Any) -> bool:
    """The output is INACTIVE (libvirt writes the id only in live output)."""
    return _OUTPUT_INACTIVE.get()


def _set_of_many(attr: str) -> Callable[[Any], bool]:
    return lambda el: len(_bitmap(el.get(attr) or "").split(",")) > 1


# ------------------------------------------------------------------ the table

_CHR = r"/domain/devices/(serial|parallel|console|channel|smartcard|redirdev|rng/backend|tpm/backend)"

NORMALISATIONS: tuple[Normalisation, ...] = (
    # --- values written in libvirt's formats (compared canonically) ------
    Normalisation(r".*/address(/zpci)?", r"@(domain|bus|slot|function|controller|target|unit|port|reg|cssid|"
                  r"ssid|devno|iobase|irq|base|uid|fid)",
                  "device address numbers are written in libvirt's own (hex/decimal) format",
                  kind="canon", canon=_int_any),
    Normalisation(r".*", r"@(vectors|period|queues|ports|index|order|iothread|aw_bits|bytes|startport|cellid|"
                  r"num_queues|vram|ram|vgamem|vram64|heads|weight|shares|quota|slots|timeout)",
                  "integers are written in decimal", kind="canon", canon=_int_any),
    Normalisation(r"/domain/devices/hostdev/source/(vendor|product)", r"@id", "USB ids are written as 0x%.4x",
                  kind="canon", canon=_int_hex),
    Normalisation(r"/domain/(uuid|genid)|/domain/devices/memory/uuid", r"#text",
                  "UUIDs are written in canonical lower-case form", kind="canon", canon=_uuid),
    Normalisation(r".*/(encryption|secret)", r"@(secret|uuid)", "UUIDs are written in canonical form",
                  kind="canon", canon=_uuid),
    Normalisation(r".*", r"@(cpuset|nodeset|cpus|vcpus|iothreads|nodemask)",
                  "CPU/node sets are written as canonical ranges", kind="canon", canon=_bitmap),
    Normalisation(r"/domain/devices/memory/source/nodemask|/domain/vcpu|/domain/cputune/.*", r"#text",
                  "node masks are written as canonical ranges", kind="canon", canon=_bitmap,
                  value=r"[\d\s,^-]+"),
    Normalisation(r"/domain/devices/interface/mac", r"@address", "MAC addresses are written in lower case",
                  kind="canon", canon=_lower),
    Normalisation(r"/domain/devices/interface/model", r"@type", "NIC model names are matched case-insensitively "
                  "and written in libvirt's spelling", kind="canon", canon=_lower),
    Normalisation(r"/domain/devices/shmem/server", r"@path", "shmem server path is sanitised "
                  "(virFileSanitizePath)", kind="canon", canon=lambda v: re.sub(r"(?<!^)/+", "/", v).rstrip("/") or "/"),
    # --- items libvirt drops ---------------------------------------------
    Normalisation(r".*/address", r"@(domain|bus|slot|function)", "an all-zero PCI address is written without "
                  "domain/bus/slot/function", value=r"\s*(0[xX])?0*"),
    Normalisation(r"/domain/memoryBacking/hugepages/page", r"@nodeset", "without guest NUMA a hugepage nodeset "
                  "of just node 0 is cleared (virDomainDefPostParseMemtune)", value=r"\s*0\s*"),
    Normalisation(r"/domain/devices/panic", r"#element", "a <panic> with neither a model nor device info is not "
                  "written (virXMLFormatElement); the QEMU driver fills in a default model first",
                  cond=_empty_panic),

    Normalisation(r"/domain", r"@id", "the domain id is only kept in live definitions (INACTIVE parse)"),
    Normalisation(r".*/alias", r"#element|@name", "non-user aliases are dropped by an INACTIVE parse",
                  cond=_non_user_alias),
    Normalisation(r"/domain/metadata/.*", r"#element|#text|@.*",
                  "metadata keeps one element per namespace (the last one replaces earlier ones)",
                  cond=_metadata_replaced),
    Normalisation(r"/domain/devices/disk/mirror(/.*)?", r"#element|#text|#size|@.*",
                  "a disk's <mirror> (block job state) is not written in INACTIVE output", cond=_inactive_doc),
    Normalisation(r"/domain/devices/disk(/backingStore)*/(source|backingStore)", r"@index",
                  "storage source indexes are run-time state, not written in INACTIVE output", cond=_inactive_doc),
    Normalisation(r"/domain/devices/channel/target", r"@state", "virtio channel state is not read by an INACTIVE "
                  "parse nor written in INACTIVE output", cond=_inactive_doc),
    Normalisation(r"/domain/devices/interface/source", r"@portid", "network port ids are run-time state, not "
                  "written in INACTIVE output", cond=_inactive_doc),
    Normalisation(r"/domain/devices/graphics", r"@(listen|listenNetwork|socket|port|autoport|websocket|tlsPort)",
                  "graphics listen/ports: legacy attributes are mirrored into <listen>, generated ports and "
                  "sockets are not kept"),
    Normalisation(r"/domain/devices/graphics/listen", r"#element|@.*",
                  "graphics <listen>: config-derived and generated listens are dropped or rewritten"),
    Normalisation(r"/domain/devices/panic|/domain/devices/vsock", r"@model", "model='default' means no model",
                  value="default"),
    Normalisation(r"/domain/devices/tpm/backend", r"@(version|persistent_state)",
                  "tpm: version/persistent_state are only read for the emulator backend",
                  cond=lambda el: el.get("type") != "emulator"),
    Normalisation(r"/domain/devices/tpm/backend", r"@persistent_state", "tpm: persistent_state='no' is not written",
                  value="no"),
    Normalisation(r"/domain/devices/tpm/backend/(device|encryption|active_pcr_banks(/.*)?|source)",
                  r"#element|@.*", "tpm: backend children are only read for the backend type that uses them "
                  "(duplicate PCR banks collapse; only a unix external source is written)", cond=_tpm_unread),
    Normalisation(r"/domain/devices/tpm/backend/source", r"@mode", "tpm: the external source is always written "
                  "with mode='connect'"),
    Normalisation(r"/domain/devices/rng/rate", r"#element|@(bytes|period)",
                  "rng: a rate with zero bytes is not written", cond=lambda el: _uint0(el.get("bytes")) == 0),
    Normalisation(r"/domain/devices/rng/rate", r"@period", "rng: a zero period is not written",
                  value=r"\s*\+?0+"),
    Normalisation(r"/domain/devices/rng/backend", r"#text", "rng: the file is only read for model='random'",
                  cond=lambda el: el.get("model") != "random"),
    Normalisation(r"/domain/devices/rng/backend", r"@type", "rng: the backend type is only read for model='egd'",
                  cond=lambda el: el.get("model") != "egd"),
    Normalisation(r"/domain/devices/(rng|memballoon|vsock)/driver", r"#element",
                  "<driver> without virtio options is not written", cond=_no_attrs(*_VIRTIO_OPTS)),
    Normalisation(r"/domain/devices/vsock/cid", r"#element", "<cid> without attributes is not written",
                  cond=_no_attrs("auto", "address")),
    Normalisation(r"/domain/devices/iommu/driver", r"#element", "iommu <driver> without options is not written",
                  cond=_iommu_driver_empty),
    Normalisation(r"/domain/devices/memballoon/(alias|master|address|acpi)", r"#element|@.*",
                  "memballoon model='none' does not read device info", cond=_balloon_none),
    Normalisation(r"/domain/devices/memballoon/stats", r"#element|@period", "a stats period <= 0 is not written",
                  cond=lambda el: _uint0(el.get("period")) <= 0),
    Normalisation(r"/domain/devices/shmem", r"@role", "shmem role is only read for ivshmem-plain/-doorbell",
                  cond=_shmem_role_unread),
    Normalisation(r"/domain/devices/shmem/size", r"#size", "shmem size is written in MiB, rounded down",
                  cond=_shmem_not_whole_mib),
    Normalisation(r"/domain/devices/shmem/msi", r"@vectors", "msi vectors='0' is not written", value="0"),
    Normalisation(r"/domain/devices/memory/(uuid|source(/.*)?|target/(label(/.*)?|readonly|block|requested|"
                  r"current))", r"#element|#text|#size|@.*",
                  "memory devices: parts are only read for the models that use them (uuid: nvdimm; "
                  "path/alignsize/pmem: nvdimm, virtio-pmem; nodemask/pagesize: dimm, virtio-mem, sgx-epc; "
                  "label/readonly: nvdimm; block/requested: virtio-mem); <current> is run-time state",
                  cond=_memory_unread),
    Normalisation(r"/domain/devices/iommu/driver", r"@aw_bits", "iommu: aw_bits='0' is not written",
                  value=r"\s*\+?0+"),
    Normalisation(r"/domain/devices/iommu/driver", r"@dma_translation", "iommu: dma_translation is unknown to "
                  "libvirt 9.0"),
    Normalisation(r"/domain/devices/crypto(/.*)?", r"#element|#text|@.*",
                  "<crypto> is unknown to libvirt 9.0: the device is dropped"),
    Normalisation(_CHR + r"/(source|protocol|log|source/reconnect|source/seclabel)", r"#element",
                  "character device sources: a source without what its chardev type reads is not written "
                  "(pty paths with INACTIVE), protocol only for tcp, reconnect for tcp/unix", cond=_chr_unread),
    Normalisation(r"/domain/devices/channel/source", r"#element|@(mode|path)",
                  "QEMU: a virtio channel's generated unix socket (mode='bind' under the channel target directory) "
                  "is dropped from INACTIVE output", cond=lambda el: (
                      el.getparent().get("type") == "unix" and el.get("mode") in (None, "bind")
                      and (el.getparent().find("target") is not None
                           and el.getparent().find("target").get("type") == "virtio")
                      and "/channel/" in (el.get("path") or ""))),
    Normalisation(_CHR + r"/(source|protocol|log)(/(reconnect|seclabel))?", r"@.*",
                  "character device sources: attributes the chardev type does not read are dropped",
                  cond=lambda el: _chr_unread(el) or (el.tag == "source" and _chr_attr_dropped(el))),
    Normalisation(r"/domain/cputune/(vcpusched|iothreadsched|emulatorsched)", r"@vcpus",
                  "scheduler elements are split into one element per vcpu / iothread", cond=_set_of_many("vcpus")),
    Normalisation(r"/domain/cputune/(vcpusched|iothreadsched|emulatorsched)", r"@iothreads",
                  "scheduler elements are split into one element per vcpu / iothread",
                  cond=_set_of_many("iothreads")),
    Normalisation(r"/domain/cputune/cachetune(/.*)?|/domain/cputune/memorytune(/.*)?", r"#element|@.*",
                  "cachetune/memorytune: vcpus beyond the vcpu count are dropped, and a tune with none left"),
    Normalisation(r"/domain/(memory|devices/memory/target/size)", r"#size",
                  "memory sizes are aligned by the driver (ABI update: memory device alignment, total "
                  "memory recomputed)"),
    Normalisation(r"/domain/(devices/(disk|hostdev)/source)", r"@name", "iSCSI source names get the default "
                  "LUN '/0' appended", kind="canon", canon=lambda v: v if "/" in v else v + "/0"),
    Normalisation(r"/domain/devices/disk", r"@type", "a disk of type volume is written with the pool's "
                  "actual type after translation", value="volume"),
    Normalisation(r"/domain/devices/(disk|interface|hostdev|redirdev)/boot", r"@loadparm",
                  "boot loadparm is upper-cased", kind="canon", canon=lambda v: v.upper()),
    Normalisation(r"/domain/os/bootmenu", r"@timeout", "bootmenu timeout is dropped when the menu is disabled",
                  cond=lambda el: el.get("enable") == "no"),
    Normalisation(r"/domain/memtune/[a-z_]+", r"#element|#size", "memory limits equal to 'unlimited' "
                  "(9007199254740991 KiB) are not written", value="9007199254740991|"),
    Normalisation(r"/domain/memtune", r"#element", "an empty <memtune> is not written"),
    Normalisation(r"/domain/devices/redirfilter/usbdev", r"@(class|vendor|product|version)",
                  "redirfilter: -1 means 'any' and is not written", value="-1"),
    Normalisation(r"/domain/devices/filesystem/source", r"@(usage|units)", "filesystem RAM usage is "
                  "converted to KiB"),
    Normalisation(r"/domain/vcpu", r"@placement", "vcpu placement follows numatune placement='auto'"),
    Normalisation(r"/domain/cpu/model", r"#element|@fallback", "host-model CPUs keep no <model> fallback",
                  cond=lambda el: el.getparent().get("mode") == "host-model"),
    Normalisation(r"/domain/cpu/numa/cell", r"@cpus", "NUMA cell CPUs are fixed up by the driver"),
    Normalisation(r"/domain/devices/serial/target", r"@type", "serial target type is replaced by the "
                  "machine's default (e.g. pSeries spapr-vio-serial)"),
    Normalisation(r"/domain/devices/interface/driver", r"@queues", "a single queue (queues='1') is not written",
                  value=r"\s*\+?0*1"),
    Normalisation(r"/domain/devices/interface/(driver|backend)", r"#element|@(queues|name|vhost)",
                  "interface driver options the model does not use are dropped (virtio only)",
                  cond=lambda el: (el.getparent().find("model") is None
                                   or el.getparent().find("model").get("type") != "virtio")),
    Normalisation(r"/domain/seclabel(/.*)?|/domain/devices/.*/seclabel", r"#element|#text|@.*",
                  "security labels: generated labels and labelskip/relabel defaults are rewritten"),
    Normalisation(r"/domain/\{http://libvirt\.org/schemas/domain/(qemu|lxc|bhyve|xen|vmware)/1\.0\}.*",
                  r"#element|#text|@.*", "hypervisor namespace data (qemu:commandline, ...) is only kept by the "
                  "driver that owns the namespace"),
    Normalisation(r"/domain/devices/graphics", r"@passwd", "passwords are only written with the SECURE flag"),
    Normalisation(r"/domain/devices/disk(/backingStore)*/source/cookies(/cookie)?", r"#element|#text|@name",
                  "HTTP cookies are only written with the SECURE flag"),
    Normalisation(r"/domain/devices/video/model", r"@primary", "primary='no' is not written", value="no"),
    Normalisation(r"/domain/devices/disk/target", r"@tray", "tray='closed' (the default) is not written",
                  value="closed"),
    Normalisation(r"/domain/devices/disk", r"@snapshot", "snapshot='no' is implied for read-only disks and not "
                  "written", value="no"),
    Normalisation(r"/domain/os/type", r"@machine", "a machine type alias is replaced by the canonical machine "
                  "name (QEMU: pc -> pc-i440fx-7.2)"),
    Normalisation(r"/domain/currentMemory", r"#size", "currentMemory is capped to (and defaults to) the total "
                  "memory, which the driver may recompute"),
    Normalisation(r"/domain/devices/(channel|console)/address", r"@(controller|bus|port)",
                  "virtio-serial addresses are (re)assigned by the driver"),
    # --- additions (documentation only: an addition is never a loss) ------
    Normalisation(r"/domain/os/boot", r"@dev", "a default <boot dev='hd'/> is added for HVM guests without "
                  "boot order", kind="add"),
    Normalisation(r"/domain/(on_poweroff|on_reboot|on_crash|vcpu|currentMemory|clock)", r"#element|#text|@.*",
                  "lifecycle actions, vcpu placement, currentMemory and clock defaults are added", kind="add"),
    Normalisation(r"/domain/devices/watchdog", r"@action", "the watchdog action defaults to reset", kind="add"),
)


# ------------------------------------------------------------------ items

#: element paths whose text is a size even without @unit, with the default
#: scale libvirt applies (virDomainParseMemory: KiB; shmem: bytes)
_SIZE_TEXT_DEFAULT: tuple[tuple[str, int], ...] = (
    (r"/domain/(memory|currentMemory|maxMemory)", 1024),
    (r"/domain/memtune/[a-z_]+", 1024),
    (r"/domain/devices/memory/(source/(pagesize|alignsize)|target/(size|block|requested|current|label/size))", 1024),
    (r"/domain/devices/shmem/size", 1),
    (r"/domain/features/hpt/maxpagesize", 1024),
    (r"/domain/devices/disk/driver/metadata_cache/max_size|.*/metadata_cache/max_size", 1),
    (r"/domain/devices/filesystem/space_(hard|soft)_limit", 1),
)
#: (element path, size attribute) pairs scaled by the element's @unit
_SIZE_ATTRS: tuple[tuple[str, str, int], ...] = (
    (r"/domain/cpu/numa/cell", "memory", 1024),
    (r"/domain/memoryBacking/hugepages/page", "size", 1024),
    (r"/domain/cpu/numa/cell/cache/(size|line)", "value", 1),
)
_UNITS: dict[str, int] = {"b": 1, "byte": 1, "bytes": 1}
for _i, _l in enumerate("kmgtpe", start=1):
    _UNITS[_l] = _UNITS[_l + "ib"] = 1024 ** _i
    _UNITS[_l + "b"] = 1000 ** _i


def _kib(value: str, unit: str | None, default: int) -> str | None:
    v = value.strip()
    if not v.isdigit():
        return None
    scale = default if not unit else _UNITS.get(unit.lower())
    if scale is None:
        return None
    return str(-(-int(v) * scale // 1024))


def _local(tag: Any) -> str | None:
    return tag if isinstance(tag, str) else None


def items(root: Any) -> Iterator[Item]:
    """Every item of an lxml tree (comments and blank text skipped).

    Sizes are compared in KiB: an element with ``@unit`` and a numeric
    text (or one of the known unit-less size elements) gives one ``#size``
    item instead of ``@unit`` + ``#text``; size attributes with ``@unit``
    (NUMA cell memory, hugepage size) give ``@attr`` in KiB."""
    for it, _el in _walk(root):
        yield it


def _walk(root: Any) -> Iterator[tuple[Item, Any]]:
    def walk(el: Any, parent: str) -> Iterator[tuple[Item, Any]]:
        tag = _local(el.tag)
        if tag is None:
            return
        p = parent + "/" + tag
        yield (p, "#element", ""), el
        attrib = dict(el.attrib)
        txt = "".join(t for t in ([el.text] + [c.tail for c in el]) if t)
        unit = attrib.get("unit")
        size = None
        if txt.strip():
            default = next((d for rx, d in _SIZE_TEXT_DEFAULT if re.fullmatch(rx, p)), None)
            if unit is not None or default is not None:
                size = _kib(txt, unit, default or 1024)
        for rx, name, default in _SIZE_ATTRS:
            if name in attrib and re.fullmatch(rx, p):
                k = _kib(attrib[name], unit, default)
                if k is not None:
                    attrib[name] = k
                    attrib.pop("unit", None)
        if size is not None:
            attrib.pop("unit", None)
            yield (p, "#size", size), el
        elif txt.strip():
            yield (p, "#text", txt), el
        for k, v in attrib.items():
            yield (p, "@" + k, v), el
        for c in el:
            yield from walk(c, p)

    yield from walk(root, "")


def _canon_entry(it: Item, table: Iterable[Normalisation]) -> Normalisation | None:
    for n in table:
        if n.kind == "canon" and n.matches(it):
            return n
    return None


def _key(it: Item, table: Iterable[Normalisation]) -> Item:
    n = _canon_entry(it, table)
    if n is None or n.canon is None:
        return it
    return (it[0], it[1], n.canon(it[2]))


def _lost(inp: Any, out: Any, table: tuple[Normalisation, ...]) -> tuple[list[Item], dict[Item, list[Any]]]:
    where: dict[Item, list[Any]] = collections.defaultdict(list)
    a: collections.Counter[Item] = collections.Counter()
    for it, el in _walk(inp):
        k = _key(it, table)
        a[k] += 1
        where[k].append(el)
    b = collections.Counter(_key(i, table) for i in items(out))
    return list((a - b).elements()), where


def lost_items(inp: Any, out: Any, table: Iterable[Normalisation] = NORMALISATIONS) -> list[Item]:
    """Items of ``inp`` (canonicalised) that ``out`` does not have, as a
    multiset difference."""
    return _lost(inp, out, tuple(table))[0]


def explain(it: Item, table: Iterable[Normalisation] = NORMALISATIONS,
            elements: Iterable[Any] | None = None) -> Normalisation | None:
    """The ``drop`` entry that allows ``it`` to be lost, if any; entries
    with a ``cond`` need one of ``elements`` (the input elements the item
    may come from) to satisfy it."""
    els = list(elements) if elements is not None else []
    for n in table:
        if n.kind != "drop" or not n.matches(it):
            continue
        if n.cond is None or any(_safe(n.cond, e) for e in els):
            return n
    return None


def _safe(cond: Callable[[Any], bool], el: Any) -> bool:
    try:
        return bool(cond(el))
    except Exception:  # noqa: BLE001 - a malformed input element: not explained
        return False


def unexplained_losses(inp: Any, out: Any, table: Iterable[Normalisation] = NORMALISATIONS) -> list[Item]:
    """Items lost between ``inp`` and ``out`` that no normalisation explains."""
    table = tuple(table)
    lost, where = _lost(inp, out, table)
    root = out.getroottree().getroot() if hasattr(out, "getroottree") else out
    token = _OUTPUT_INACTIVE.set(root.get("id") is None)
    try:
        return [it for it in lost if explain(it, table, where.get(it)) is None]
    finally:
        _OUTPUT_INACTIVE.reset(token)
