"""yuqing: the core packages (model, extract, fetch, queue, store, analysis, ops, report,
replay, cli); docs/architecture.md draws the layout."""

from __future__ import annotations

import sys
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from importlib.util import find_spec
from types import ModuleType
from typing import Any

# Scrapy's cookie middleware splits cookie domains with a TLDExtract that downloads the
# public suffix list from the internet on first use. Use the snapshot tldextract ships:
# the same answers, no outbound request from a worker (or a test) just to set a cookie.
# Patched when Scrapy loads that module, not by importing it here: the quick commands
# (`yuqing tag`) import the core without Scrapy, and would pay a quarter second for it.
_COOKIES = "scrapy.downloadermiddlewares.cookies"


def _offline_cookie_domains(module: ModuleType) -> None:
    from tldextract import TLDExtract

    module._split_domain = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)  # type: ignore[attr-defined]


class _PatchCookiesOnImport(MetaPathFinder):
    def find_spec(self, fullname: str, path: Any, target: Any = None) -> ModuleSpec | None:
        if fullname != _COOKIES:
            return None
        sys.meta_path.remove(self)  # once; and the lookup below must not come back here
        spec = find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        loader: Loader = spec.loader
        load = loader.exec_module

        def load_and_patch(module: ModuleType) -> None:
            load(module)
            _offline_cookie_domains(module)

        loader.exec_module = load_and_patch  # type: ignore[method-assign]
        return spec


if _COOKIES in sys.modules:
    _offline_cookie_domains(sys.modules[_COOKIES])
else:
    sys.meta_path.insert(0, _PatchCookiesOnImport())
