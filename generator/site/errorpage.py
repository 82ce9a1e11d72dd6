"""Part of step 5, build: a region's error page (404.html) links from the region's own folder.

An error page is served at any address that was not found, so MkDocs makes its links absolute, from the
server's root (or the path of site_url): the portal's place, where a region's pages (/deelnemers/) are not.
Hosts that serve the nearest 404.html (Cloudflare Pages, a server's per-folder error page) show a region's
own; its navigation, styles and scripts must then come from the region's folder.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from mkdocs.plugins import BasePlugin
from mkdocs.utils import is_error_template

PLUGIN = "govsite-region-error-page"  # its name among a region site's MkDocs plugins


class RegionErrorPage(BasePlugin):
    """site_root: the portal's public address without its closing "/" (planner.site_root), or ""."""

    def __init__(self, site_root: str, region: str):
        super().__init__()
        self.base = f"{urlsplit(site_root).path.rstrip('/')}/{region}/"

    def on_template_context(self, context, template_name, config):
        if is_error_template(template_name):
            context["base_url"] = self.base
        return context
