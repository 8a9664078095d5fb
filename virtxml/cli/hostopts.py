"""Options that describe the target host, shared by lint, convert and diff."""

from __future__ import annotations

import argparse
from typing import Any

from ..flags import ParseFlags


def add_host_options(p: argparse.ArgumentParser, *, default_driver: str | None) -> None:
    g = p.add_argument_group("target host")
    g.add_argument("--driver", default=default_driver, metavar="NAME",
                   help="hypervisor driver (qemu, test, lxc, ...)"
                   + (f"; default: {default_driver}" if default_driver else
                      "; without it only host-independent checks run"))
    g.add_argument("--qemu-caps", action="append", default=[], metavar="FILE|DIR",
                   help="QEMU capability cache file, a folder of them (named as libvirt names them), "
                   "or BINARY=FILE (repeatable)")
    g.add_argument("--host-caps", metavar="FILE", help="host <capabilities> XML of the target host")
    g.add_argument("--caps-profile", metavar="NAME",
                   help="built-in capability profile (libvirt-test: libvirt's own fake test host)")
    g.add_argument("--qemu-conf", metavar="FILE", help="qemu.conf of the target host")
    g.add_argument("--allow-post-parse-fail", action="store_true",
                   help="keep definitions whose post-parse fails in a way libvirt tolerates when "
                   "loading stored configs (ALLOW_POST_PARSE_FAIL)")


def host_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if getattr(args, "qemu_caps", None):
        options["qemu_caps"] = list(args.qemu_caps)
    if getattr(args, "host_caps", None):
        options["host_caps"] = args.host_caps
    if getattr(args, "caps_profile", None):
        options["caps_profile"] = args.caps_profile
    if getattr(args, "qemu_conf", None):
        options["qemu_conf"] = args.qemu_conf
    return options


def extra_parse_flags(args: argparse.Namespace) -> int:
    return ParseFlags.ALLOW_POST_PARSE_FAIL if getattr(args, "allow_post_parse_fail", False) else 0


def define_flags(args: argparse.Namespace) -> int:
    """What libvirt's define parses with (PARSE_INACTIVE), plus the options."""
    return int(ParseFlags.INACTIVE) | extra_parse_flags(args)


def check_driver(name: str | None) -> None:
    if name is not None:
        from drivers import get_driver

        get_driver(name)  # UsageError listing the known drivers
