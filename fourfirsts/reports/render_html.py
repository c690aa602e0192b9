"""The annual report as one standalone HTML file, laid out like a government
document (GB/T 9704). The same HTML, with the vendored fonts declared, is what
`render_pdf` prints; the template escapes every text of the report."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from fourfirsts.reports.document import AnnualReport

# The fonts vendored from npm (static/vendor/README.md): (family, weight, file).
FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "fonts"
FACES = (
    ("Noto Serif SC", 400, "noto-serif-sc/noto-serif-sc-chinese-simplified-400-normal.woff"),
    ("Noto Serif SC", 700, "noto-serif-sc/noto-serif-sc-chinese-simplified-700-normal.woff"),
    ("Noto Sans SC", 700, "noto-sans-sc/noto-sans-sc-chinese-simplified-700-normal.woff"),
)

# The PDF uses only the vendored fonts, so every server prints the same. A
# downloaded file prefers the reader's government fonts (仿宋, 黑体, named in
# English as Windows also knows them); 黑体 has no bold, so it stays at 400.
PDF_FONTS = {
    "title": "'Noto Serif SC', serif",
    "heading": "'Noto Sans SC', sans-serif",
    "heading_weight": 700,
    "body": "'Noto Serif SC', serif",
}
SCREEN_FONTS = {
    "title": "'Noto Serif SC', 'Noto Serif CJK SC', 'Source Han Serif SC', 'Songti SC', SimSun, serif",
    "heading": "SimHei, 'Noto Sans SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', sans-serif",
    "heading_weight": 400,
    "body": "FangSong, STFangsong, 'Noto Serif SC', 'Noto Serif CJK SC', 'Source Han Serif SC', serif",
}


def font_faces() -> list[dict]:
    return [
        {"family": family, "weight": weight, "url": (FONT_DIR / file).as_uri()}
        for family, weight, file in FACES
    ]


def render_html(report: AnnualReport, *, for_pdf: bool = False) -> str:
    return render_to_string(
        "reports/annual_document.html",
        {
            "report": report,
            "faces": font_faces() if for_pdf else [],
            "fonts": PDF_FONTS if for_pdf else SCREEN_FONTS,
        },
    )
