"""The post-parse engine: libvirt's ``virDomainDefPostParse`` and
``virDomainDefValidate`` (behaviour §2.2, §3, §10).

Order of :func:`post_parse` (libvirt's, domain_postparse.c):

1. ``dom.post_parse_failed = False``
2. driver ``basic`` callback                       (tolerable failure checked)
3. driver ``data_alloc`` unless ``data`` was given  (tolerable failure checked)
4. controller index assignment
5. driver ``domain`` callback                      (tolerable failure checked)
6. ISA serial port checks/assignment               (fatal)
7. every device: driver ``device`` callback, generic per-device common
   step, per-device feature checks                 (tolerable failure checked)
8. generic common steps (§2.3)                     (fatal)
9. driver ``assign_addresses``                     (tolerable failure checked)
10. domain feature checks                          (fatal)

A *tolerable* failure is a :class:`~virtxml.errors.PostParseTolerableError`
raised by a callback (libvirt's callbacks returning 1).  With
``ParseFlags.ALLOW_POST_PARSE_FAIL`` it is recorded (``ctx.failures``,
``dom.post_parse_failed``, ``dom.post_parse_error``) and the pipeline goes
on; without it, it is raised.  Any other error is fatal.
"""

from __future__ import annotations

from typing import Any, Callable

from virtxml.binding.compiler import flag_bits
from virtxml.errors import PostParseError, PostParseTolerableError, VirtXMLError
from virtxml.flags import ParseFlags
from virtxml.locations import locate

from . import chr as chrdevs
from . import common, controllers, devices_common, features, validation
from .driver import Driver, PostParseContext
from .util import iter_postparse_devices


def _check(dom: Any, ctx: PostParseContext, fn: Callable[..., Any], *args: Any) -> Any:
    """Run one callback with libvirt's virDomainDefPostParseCheckFailure."""
    try:
        return fn(*args)
    except PostParseTolerableError as err:
        dom.post_parse_failed = True
        if not ctx.flags & ParseFlags.ALLOW_POST_PARSE_FAIL:
            raise
        dom.post_parse_error = err
        ctx.failures.append(err)
        return None
    except VirtXMLError:
        dom.post_parse_failed = True
        raise


def device_post_parse(dom: Any, dev: Any, ctx: PostParseContext) -> None:
    """libvirt's virDomainDeviceDefPostParse for one device: driver
    callback, generic common step, feature checks.

    As in libvirt, a *tolerable* failure of the driver's device callback
    does not stop the generic step (libvirt only stops on a negative return
    there); it is recorded in ``ctx.failures``."""
    try:
        ctx.driver.device(dom, dev, ctx)
    except PostParseTolerableError as err:
        ctx.failures.append(locate(err, dom, dev))
    devices_common.post_parse_device(dom, dev, ctx)
    features.check_device(dom, dev, ctx)


def _devices(dom: Any, ctx: PostParseContext) -> None:
    for dev in list(iter_postparse_devices(dom)):
        try:
            device_post_parse(dom, dev, ctx)
        except VirtXMLError as err:
            raise locate(err, dom, dev)


def post_parse(dom: Any, driver: Driver, flags: int = 0, options: dict[str, Any] | None = None,
               data: Any = None) -> PostParseContext:
    """Run libvirt's post-parse on ``dom`` (in place) with ``driver``.

    ``data`` is libvirt's parseOpaque: when given, ``driver.data_alloc`` is
    not called.  Returns the context (driver data, recorded failures).
    An error without a line points at the device it concerns, else at
    ``<domain>`` (virtxml.locations)."""
    try:
        ctx = _post_parse(dom, driver, flags, options, data)
    except VirtXMLError as err:
        raise locate(err, dom)
    for failure in ctx.failures:  # recorded under ALLOW_POST_PARSE_FAIL
        if isinstance(failure, VirtXMLError):
            locate(failure, dom)
    return ctx


def _post_parse(dom: Any, driver: Driver, flags: int, options: dict[str, Any] | None,
                data: Any) -> PostParseContext:
    ctx = PostParseContext(flags=flag_bits(int(flags)), driver=driver, data=data, options=dict(options or {}))
    dom.post_parse_failed = False
    dom.post_parse_error = None

    _check(dom, ctx, driver.basic, dom, ctx)

    if data is None:
        ctx.data = _check(dom, ctx, driver.data_alloc, dom, ctx)

    controllers.assign_indexes(dom)

    _check(dom, ctx, driver.domain, dom, ctx)

    chrdevs.isa_serial_post_parse(dom)

    _check(dom, ctx, _devices, dom, ctx)

    common.post_parse_common(dom, ctx)

    _check(dom, ctx, driver.assign_addresses, dom, ctx)

    features.check_domain(dom, ctx)
    return ctx


def rerun_post_parse(dom: Any, driver: Driver, options: dict[str, Any] | None = None) -> PostParseContext:
    """What libvirt does before starting a guest whose post-parse failed
    (qemuProcessInit): run post-parse again with no flags, so that a
    tolerable failure is now fatal."""
    ctx = post_parse(dom, driver, ParseFlags.NONE, options)
    dom.post_parse_failed = False
    dom.post_parse_error = None
    return ctx


def validate(dom: Any, driver: Driver, ctx: PostParseContext | None = None) -> None:
    """libvirt's virDomainDefValidate: driver validate, per-device (generic
    then driver), then the generic domain checks.  Does nothing under
    ``ParseFlags.SKIP_VALIDATE``."""
    if ctx is None:
        ctx = PostParseContext(flags=0, driver=driver)
    if ctx.flags & ParseFlags.SKIP_VALIDATE:
        return
    try:
        driver.validate(dom, ctx)
        for dev in list(iter_postparse_devices(dom, all_consoles=True, missing_info=True)):
            try:
                validation.validate_device(dom, dev, ctx)
                driver.device_validate(dom, dev, ctx)
            except VirtXMLError as err:
                raise locate(err, dom, dev)
        validation.validate_domain(dom, ctx)
    except VirtXMLError as err:
        raise locate(err, dom)


__all__ = ["post_parse", "rerun_post_parse", "validate", "device_post_parse", "PostParseError"]
