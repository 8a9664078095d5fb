"""The post-parse pipeline: libvirt's virDomainDefPostParse and
virDomainDefValidate, with drivers as plug-ins."""

from __future__ import annotations

from .driver import Driver, Feature, PostParseContext
from .engine import post_parse, rerun_post_parse, validate

__all__ = ["Driver", "Feature", "PostParseContext", "post_parse", "rerun_post_parse", "validate"]
