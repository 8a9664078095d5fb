"""``<tpm>`` (libvirt 9.0's virDomainTPMDefParseXML / virDomainTPMDefFormat).

Output::

    <tpm model='...'>
      <backend type='passthrough'>           <device path='/dev/tpm0'/>
      <backend type='emulator' version='2.0' persistent_state='yes'>
                                             <encryption secret='UUID'/>
                                             <active_pcr_banks><sha256/>...</active_pcr_banks>
      <backend type='external'>              <source type='unix' mode='connect' path='...'/>
      </backend>
      <alias/> <acpi/> <address/>
      <privateData>...</privateData>         status XML only (QEMU's swtpm data)
    </tpm>

Parse-time rules: ``model`` optional (``default`` refused); exactly one
``<backend>`` ("only one TPM backend is supported" / "missing TPM device
backend"); backend ``type`` required; passthrough reads only the device
path (default ``/dev/tpm0``); emulator reads ``version`` (``default``
refused), ``persistent_state`` ("Invalid persistent_state value, either 'yes'
or 'no'"; only ``yes`` is written), the encryption secret ("Unable to parse
secret uuid '%s'") and the PCR banks (unknown -> "Unsupported PCR banks
'%s'"; written in the order sha1, sha256, sha384, sha512); external reads
``<source type>`` ("missing external TPM backend type" / "unknown backend
type '%s' for external TPM") and only a ``unix`` source is written, always
as ``mode='connect'`` (the parsed mode is kept for validation, which refuses 'bind').
"""

from __future__ import annotations

from typing import Any

from ...binding import Custom, Enum, attribute, custom_format, element, escape, flag, xml
from ...flags import FormatFlags, ParseFlags
from .chardev import CHR_TYPES
from .info import ACPI, Address, Alias, Master
from .memory import parse_uuid
from .rng import check_attr, check_info, child_elements, first_child, prechecked

TPM_MODELS = ("tpm-tis", "tpm-crb", "tpm-spapr", "spapr-tpm-proxy")
TPM_BACKENDS = ("passthrough", "emulator", "external")
TPM_VERSIONS = ("1.2", "2.0")
PCR_BANKS = ("sha1", "sha256", "sha384", "sha512")
TPM_DEFAULT_DEVICE = "/dev/tpm0"


@xml("device")
class TPMDevice:
    path: str | None = attribute("path")


@xml("encryption")
class TPMEncryption:
    secret: str | None = attribute("secret")


@xml("active_pcr_banks")
class TPMActivePCRBanks:
    sha1: bool = flag("sha1")
    sha256: bool = flag("sha256")
    sha384: bool = flag("sha384")
    sha512: bool = flag("sha512")

    def any(self) -> bool:
        return self.sha1 or self.sha256 or self.sha384 or self.sha512


@xml("source")
class TPMSource:
    """External backend source; only ``type='unix'`` is written back."""

    type: str | None = attribute("type")
    mode: str | None = attribute("mode")
    path: str | None = attribute("path")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.type != "unix":
            return
        s = ind + "<source type='unix' mode='connect'"
        if self.path is not None:
            s += " path='%s'" % escape(self.path)
        out.append(s + "/>\n")


_MODEL = Enum(("default",) + TPM_MODELS, zero="default")
_TYPE = Enum(TPM_BACKENDS)
_VERSION = Enum(("default",) + TPM_VERSIONS, zero="default")
_LAX = Custom(lambda s: s, lambda v: v, name="string")  # checked in the precheck, where libvirt reads it
_SOURCE_MODE = Enum(("bind", "connect"))

# checked (with libvirt's own message) in the precheck
_YES_ONLY = Custom(lambda s: s == "yes", lambda v: "yes" if v else "no", name="yes|no")


@xml("backend")
class TPMBackend:
    type: str | None = attribute("type", _TYPE)
    version: str | None = attribute("version", _LAX)
    persistent_state: bool | None = attribute("persistent_state", _YES_ONLY,
                                              when=lambda o, f: bool(o.persistent_state))
    device: TPMDevice | None = element("device", TPMDevice)
    encryption: TPMEncryption | None = element("encryption", TPMEncryption)
    active_pcr_banks: TPMActivePCRBanks | None = element("active_pcr_banks", TPMActivePCRBanks)
    source: TPMSource | None = element("source", TPMSource)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        check_backend(el, ctx)
        t = kw["type"]
        out: dict[str, Any] = {"type": t}
        if t == "passthrough":
            dev = kw.get("device")
            out["device"] = TPMDevice(path=dev.path if dev is not None and dev.path else TPM_DEFAULT_DEVICE)
        elif t == "emulator":
            out["version"] = kw.get("version")
            enc = kw.get("encryption")
            if enc is not None and enc.secret:
                out["encryption"] = TPMEncryption(secret=parse_uuid(enc.secret))
            if el.get("persistent_state") == "yes":
                out["persistent_state"] = True
            banks = {b: True for b in _banks(el)}
            if banks:
                out["active_pcr_banks"] = TPMActivePCRBanks(**banks)
        else:  # external
            src_el = first_child(el, "source")
            st = src_el.get("type")
            if st == "unix":
                src = kw.get("source")
                # the mode is kept for validation ('bind' is refused there);
                # libvirt always writes mode='connect'
                out["source"] = TPMSource(type="unix", mode=src_el.get("mode") or "connect",
                                          path=src.path if src is not None else None)
            else:
                out["source"] = TPMSource(type=st)
        kw.clear()
        kw.update(out)


def _banks(el: Any) -> list[str]:
    """Names of ./active_pcr_banks/* (every such element)."""
    out: list[str] = []
    for pb in el:
        if pb.tag != "active_pcr_banks":
            continue
        for b in pb:
            if isinstance(b.tag, str):
                out.append(b.tag.rpartition("}")[2])
    return out


def check_backend(el: Any, ctx: Any) -> None:
    """libvirt's checks of a TPM <backend>, in its order."""
    t = check_attr(el, ctx, "type", _TYPE, required=True)
    if t == "emulator":
        check_attr(el, ctx, "version", _VERSION)
        enc = first_child(el, "encryption")
        secret = enc.get("secret") if enc is not None else None
        if secret:
            try:
                parse_uuid(secret)
            except ValueError:
                raise ctx.error(el, f"Unable to parse secret uuid '{secret}'") from None
        ps = el.get("persistent_state")
        if ps is not None and ps not in ("yes", "no"):
            raise ctx.error(el, "Invalid persistent_state value, either 'yes' or 'no'")
        for name in _banks(el):
            if name not in PCR_BANKS:
                raise ctx.error(el, f"Unsupported PCR banks '{name}'")
    elif t == "external":
        src = first_child(el, "source")
        st = src.get("type") if src is not None else None
        if not st:
            raise ctx.error(el, "missing external TPM backend type")
        if st not in CHR_TYPES:
            raise ctx.error(el, f"unknown backend type '{st}' for external TPM")
        if st != "udp" and sum(1 for c in el if c.tag == "source") > 1:
            # virDomainChrSourceDefParseXML
            raise ctx.error(el, "only one source element is allowed for character device")
        if st == "unix":
            check_attr(src, ctx, "mode", _SOURCE_MODE)
            # a missing path is refused by validation (virDomainTPMDevValidate)


@xml("swtpm")
class TPMSwtpm:
    can_migrate_shared_storage: str | None = attribute("can_migrate_shared_storage")


@xml("privateData")
class TPMPrivateData:
    """QEMU's status-XML data of an emulated TPM
    (qemuDomainTPMPrivateParse/Format)."""

    swtpm: TPMSwtpm | None = element("swtpm", TPMSwtpm)

    @property
    def can_migrate_shared_storage(self) -> bool:
        return self.swtpm is not None and bool(self.swtpm.can_migrate_shared_storage)


def _private_when(obj: Any, flags: int) -> bool:
    p = obj.private_data
    return (bool(flags & FormatFlags.STATUS) and p is not None and p.can_migrate_shared_storage
            and obj.backend is not None and obj.backend.type == "emulator")


@prechecked
@xml("tpm")
class TPM:
    model: str | None = attribute("model", _MODEL)
    backend: TPMBackend | None = element("backend", TPMBackend)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)
    private_data: TPMPrivateData | None = element("privateData", TPMPrivateData, when=_private_when)

    @staticmethod
    def _xml_precheck(el: Any, ctx: Any) -> None:
        check_attr(el, ctx, "model", _MODEL)
        backends = child_elements(el, "backend")
        if len(backends) > 1:
            raise ctx.error(el, "only one TPM backend is supported")
        if not backends:
            raise ctx.error(el, "missing TPM device backend")
        check_backend(backends[0], ctx)
        check_info(el, ctx)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        pd = kw.pop("private_data", None)
        if ctx.flags & ParseFlags.STATUS and pd is not None and pd.can_migrate_shared_storage:
            kw["private_data"] = TPMPrivateData(swtpm=TPMSwtpm(can_migrate_shared_storage="yes"))


__all__ = ["TPM", "TPMBackend", "TPMDevice", "TPMEncryption", "TPMActivePCRBanks", "TPMSource",
           "TPMPrivateData", "TPMSwtpm", "TPM_MODELS", "TPM_BACKENDS", "TPM_VERSIONS", "PCR_BANKS"]
