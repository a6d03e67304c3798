"""HTML -> PDF with WeasyPrint, set up once per worker (docs/breve.md, "Rendering").

One ``Renderer`` per thread (``renderer()``) holds what every document shares: the FontConfiguration
(fonts found and their @font-face rules loaded once), the parsed house stylesheet, and a url fetcher
that serves the platform's own files (stylesheets, fonts, images under ``breve/static``) from memory
and refuses everything else (a letter never reaches the network). ``bench/breve.py`` measures it
against a bare ``HTML(string=...).write_pdf()`` loop.
"""

from __future__ import annotations

import threading
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static" / "breve"
HOUSE_CSS = STATIC / "hus.css"


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        """A WeasyPrint url fetcher serving file: URLs under ``breve/static`` (and data: URLs) from a
        memory cache; anything else is refused (no network, no other files)."""

        def __init__(self, root: Path = STATIC):
            super().__init__(allowed_protocols={"file", "data"})
            self.root = root.resolve()
            self._cache: dict[str, bytes] = {}

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith("file://"):
                raise ValueError(f"breve henter ikke {url!r}")
            path = Path(url[len("file://"):].split("?")[0]).resolve()
            if self.root not in path.parents:
                raise ValueError(f"breve henter kun egne filer: {url!r}")
            body = self._cache.get(str(path))
            if body is None:
                body = self._cache[str(path)] = path.read_bytes()
            mime = {".css": "text/css", ".ttf": "font/ttf", ".png": "image/png", ".svg": "image/svg+xml"}.get(
                path.suffix, "application/octet-stream")
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    return Fetcher


class Renderer:
    """What one worker reuses for every document."""

    def __init__(self):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.fetcher = _fetcher_class()()
        self.font_config = FontConfiguration()
        self.base_url = STATIC.as_uri() + "/"
        self.css = CSS(string=HOUSE_CSS.read_text(encoding="utf-8"), base_url=self.base_url,
                       url_fetcher=self.fetcher, font_config=self.font_config)
        self.documents = 0

    def render(self, html: str) -> tuple[bytes, int]:
        """(PDF bytes, number of pages)."""
        from weasyprint import HTML

        doc = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            font_config=self.font_config, stylesheets=[self.css])
        self.documents += 1
        return doc.write_pdf(), len(doc.pages)


_local = threading.local()


def renderer() -> Renderer:
    """The calling thread's Renderer (created on first use, then reused by every document)."""
    r = getattr(_local, "renderer", None)
    if r is None:
        r = _local.renderer = Renderer()
    return r
