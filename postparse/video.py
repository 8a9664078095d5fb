"""Video: virDomainVideoDefPostParse (default RAM, power-of-two rounding),
virDomainVideoDefaultRAM and virDomainDefPostParseVideo."""

from __future__ import annotations

from typing import Any

from .util import devlist, get, set_field


def round_up_pow2(v: int | None) -> int | None:
    if v is None:
        return None
    if v <= 0:
        return 0
    return 1 << (v - 1).bit_length()


def default_ram(dom: Any, vtype: str | None) -> int:
    """virDomainVideoDefaultRAM, in KiB."""
    virt = getattr(dom, "type", None)
    if vtype in ("vga", "cirrus", "vmvga"):
        if virt == "vbox":
            return 8 * 1024
        if virt == "vmware":
            return 4 * 1024
        return 16 * 1024
    if vtype == "bochs":
        return 16 * 1024
    if vtype == "xen":
        return 4 * 1024
    if vtype == "qxl":
        return 64 * 1024
    return 0


def vmodel(video: Any) -> Any:
    return getattr(video, "model", None)


def video_type(video: Any) -> str | None:
    return getattr(vmodel(video), "type", None)


def video_post_parse(dom: Any, video: Any) -> None:
    m = vmodel(video)
    if m is None:
        return
    vtype = getattr(m, "type", None)
    if not getattr(m, "ram", None) and vtype == "qxl":
        set_field(m, "ram", default_ram(dom, vtype))
    if not getattr(m, "vram", None):
        set_field(m, "vram", default_ram(dom, vtype))
    for name in ("ram", "vram"):
        # libvirt keeps 0 as "unset": it is not formatted
        set_field(m, name, round_up_pow2(get(m, name)) or None)


def clear_video(video: Any) -> None:
    """virDomainVideoDefClear keeping type none and the alias."""
    import attrs

    alias = getattr(video, "alias", None)
    fresh = type(video)()
    for f in attrs.fields(type(video)):
        setattr(video, f.name, getattr(fresh, f.name))
    m = vmodel(fresh)
    if m is None:
        for f in attrs.fields(type(video)):
            if f.name == "model":
                spec = f.metadata.get("virtxml")
                cls = getattr(spec, "cls", None)
                if cls is not None and not isinstance(cls, type):
                    cls = cls()
                if cls is not None:
                    m = cls()
    if m is not None:
        # virDomainVideoDefClear zeroes everything: heads=0 is not written
        import attrs as _attrs

        m = _attrs.evolve(m, type="none") if m is not None else m
        set_field(m, "heads", None)
        video.model = m
    set_field(video, "alias", alias)


def post_parse_videos(dom: Any, ctx: Any) -> None:
    """virDomainDefPostParseVideo."""
    videos = devlist(dom, "videos")
    if not videos:
        return
    first = videos[0]
    if video_type(first) == "none":
        clear_video(first)
        return
    m = vmodel(first)
    set_field(m, "primary", True)
    from .engine import device_post_parse

    device_post_parse(dom, first, ctx)
