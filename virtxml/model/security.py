"""``<seclabel>``, ``<keywrap>`` and ``<launchSecurity>``."""

from __future__ import annotations

import re
from typing import Any

from ..binding import ONOFF, YESNO, Enum, attribute, custom_format, elements, text_element, xml
from ..binding.conv import escape
from ..flags import FormatFlags, ParseFlags
from .common import require_attrs

SECLABEL_TYPES = ("dynamic", "static", "none")


@xml("seclabel")
class Seclabel:
    """Domain security label (virSecurityLabelDef)."""

    type: str | None = attribute("type", Enum(("none", "dynamic", "static")))
    model: str | None = attribute("model")
    relabel: bool | None = attribute("relabel")
    label: str | None = text_element("label")
    imagelabel: str | None = text_element("imagelabel")
    baselabel: str | None = text_element("baselabel")
    #: added by libvirt itself (not written with MIGRATABLE for dac/none)
    implicit: bool = False

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        model = kw.get("model")
        if model is not None and len(model) >= 255:
            kw["model"] = model = None
        # no type: libvirt's VIR_DOMAIN_SECLABEL_DEFAULT (the security
        # manager picks one at start); such a label is never written
        t = kw.get("type") or "default"
        kw["type"] = t
        relabel = t not in ("static", "none")
        rl = kw.get("relabel")
        if rl is not None:
            if rl not in ("yes", "no"):
                raise ctx.error(el, f"Invalid value for attribute 'relabel' in element 'seclabel': '{rl}'.")
            relabel = rl == "yes"
            if t == "dynamic" and not relabel:
                raise ctx.error(el, "dynamic label type must use resource relabeling")
            if t == "none" and relabel:
                raise ctx.error(el, "resource relabeling is not compatible with 'none' label type")
        kw["relabel"] = relabel
        inactive = bool(ctx.flags & ParseFlags.INACTIVE)
        label, image, base = kw.pop("label", None), kw.pop("imagelabel", None), kw.pop("baselabel", None)
        if model == "none":
            if inactive:
                kw["type"] = "none"
                kw["relabel"] = False
            elif t != "none":
                raise ctx.error(el, f"unsupported type='{t}' to model 'none'")
            return
        if t == "static" or (not inactive and t != "none"):
            if not label:
                raise ctx.error(el, "security label is missing")
            kw["label"] = label
        if relabel and not inactive and t != "none":
            if not image:
                raise ctx.error(el, "security imagelabel is missing")
            kw["imagelabel"] = image
        if t == "dynamic" and base:
            kw["baselabel"] = base

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        t = self.type or "dynamic"
        if t == "default":
            return
        if self.model in ("dac", "none") and self.implicit and flags & FormatFlags.MIGRATABLE:
            return
        s = f"{ind}<seclabel type='{t}'"
        if self.model is not None:
            s += f" model='{escape(self.model)}'"
        if t == "none":
            out.append(s + "/>\n")
            return
        s += f" relabel='{'yes' if self.relabel else 'no'}'"
        if not (self.label or self.imagelabel or self.baselabel):
            out.append(s + "/>\n")
            return
        out.append(s + ">\n")
        if self.label is not None:
            out.append(f"{ind}  <label>{escape(self.label)}</label>\n")
        if self.relabel and self.imagelabel is not None:
            out.append(f"{ind}  <imagelabel>{escape(self.imagelabel)}</imagelabel>\n")
        if t == "dynamic" and self.baselabel is not None:
            out.append(f"{ind}  <baselabel>{escape(self.baselabel)}</baselabel>\n")
        out.append(f"{ind}</seclabel>\n")


# ------------------------------------------------------------------ keywrap

@xml("cipher")
class Cipher:
    name: str | None = attribute("name", Enum(("aes", "dea")))
    state: bool | None = attribute("state", ONOFF)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        require_attrs(kw, el, ctx, "name", "state")


@xml("keywrap")
class Keywrap:
    ciphers: list[Cipher] = elements("cipher", Cipher)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        seen: dict[str, Cipher] = {}
        for c in kw.get("ciphers") or []:
            if c.name in seen:
                raise ctx.error(el, "A domain definition can have no more than one cipher node with name %s"
                                % c.name)
            seen[c.name] = c  # type: ignore[index]
        kw["ciphers"] = [seen[n] for n in ("aes", "dea") if n in seen]

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.ciphers:
            self._xml_format_generated(out, ind, flags)


# ----------------------------------------------------------- launchSecurity

def _xpath_uint(s: str | None) -> int | None | bool:
    """virXPathUInt on string(): None when missing, False when invalid."""
    if s is None:
        return None
    if re.fullmatch(r"\s*\+?\d+", s) is None:  # a negative number is invalid (oracle-checked)
        return False
    v = int(s)
    if v > 0xFFFFFFFF:
        return False
    return v


@xml("launchSecurity")
class LaunchSecurity:
    """type sev (kernelHashes, cbitpos, reducedPhysBits, policy, dhCert,
    session) or s390-pv."""

    type: str | None = attribute("type", Enum(("sev", "s390-pv")))
    kernel_hashes: bool | None = attribute("kernelHashes", YESNO)
    cbitpos: Any = text_element("cbitpos")
    reduced_phys_bits: Any = text_element("reducedPhysBits")
    policy: Any = text_element("policy")
    #: in libvirt's schema but never read by its parser: kept, not written
    handle: Any = text_element("handle", when=lambda o, f: False)
    dh_cert: str | None = text_element("dhCert")
    session: str | None = text_element("session")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        t = kw.get("type")
        if t is None:
            raise ctx.error(el, "Missing required attribute 'type' in element 'launchSecurity'")
        if t != "sev":
            for k in ("kernel_hashes", "cbitpos", "reduced_phys_bits", "policy", "dh_cert", "session"):
                kw.pop(k, None)
            return
        pol = kw.get("policy")
        v = None
        if pol is not None:
            p = pol.strip()
            if p[:2].lower() == "0x":
                p = p[2:]
            if re.fullmatch(r"[0-9a-fA-F]+", p):
                v = int(p, 16)
        if v is None or v > 0xFFFFFFFF:
            raise ctx.error(el, "failed to get launch security policy")
        kw["policy"] = v
        for k, what in (("cbitpos", "cbitpos"), ("reduced_phys_bits", "reduced-phys-bits")):
            r = _xpath_uint(kw.get(k))
            if r is False:
                raise ctx.error(el, f"Invalid format for launch security {what}")
            kw[k] = r

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = f"{ind}<launchSecurity type='{self.type}'"
        if self.type != "sev":
            out.append(s + "/>\n")
            return
        if self.kernel_hashes is not None:
            s += f" kernelHashes='{'yes' if self.kernel_hashes else 'no'}'"
        ci = ind + "  "
        ch = []
        if self.cbitpos is not None:
            ch.append(f"{ci}<cbitpos>{self.cbitpos}</cbitpos>\n")
        if self.reduced_phys_bits is not None:
            ch.append(f"{ci}<reducedPhysBits>{self.reduced_phys_bits}</reducedPhysBits>\n")
        ch.append(f"{ci}<policy>0x{(self.policy or 0):04x}</policy>\n")
        if self.dh_cert is not None:
            ch.append(f"{ci}<dhCert>{escape(self.dh_cert)}</dhCert>\n")
        if self.session is not None:
            ch.append(f"{ci}<session>{escape(self.session)}</session>\n")
        out.append(s + ">\n")
        out.extend(ch)
        out.append(f"{ind}</launchSecurity>\n")


_ = YESNO
