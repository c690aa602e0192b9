"""The annual report as PDF: the government-document HTML printed by
WeasyPrint with the vendored Noto fonts embedded, so a server without any
Chinese system font still prints Chinese. Nothing is fetched but those font
files: no network, no other file."""

from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.urls import URLFetcher

from fourfirsts.reports import render_html
from fourfirsts.reports.document import AnnualReport


def is_vendored_font(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(unquote(parts.path))).resolve()
    return path.is_relative_to(render_html.FONT_DIR.resolve()) and path.is_file()


class FontsOnly(URLFetcher):
    """Refuses every URL but a vendored font file. A refusal or a missing font
    stops the rendering (fail_on_errors) rather than printing empty boxes."""

    def __init__(self):
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        if not is_vendored_font(url):
            raise ValueError(f"refused to fetch {url}: only the vendored fonts are read")
        return super().fetch(url, headers)


def render_pdf(report: AnnualReport) -> bytes:
    html = render_html.render_html(report, for_pdf=True)
    document = weasyprint.HTML(
        string=html, base_url=render_html.FONT_DIR.as_uri() + "/", url_fetcher=FontsOnly()
    )
    return document.write_pdf()
