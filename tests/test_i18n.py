"""Every user-visible string in a template goes through gettext.

A template may hold Chinese only inside ``{% translate %}`` / ``{% trans %}``,
``{% blocktranslate %}…{% endblocktranslate %}`` (or ``blocktrans``), inside
other template tags and variables (e.g. ``label=_("编号")``, ``{% if x == "修改" %}``)
and inside template comments. Chinese left anywhere else — a text node or an
HTML attribute value — is a literal that another deployment cannot translate.
"""

import re
from pathlib import Path

import pytest

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

CJK = re.compile(r"[\u4e00-\u9fff]")

# Order matters: translated blocks and comments go first, then every other tag/variable.
_STRIP = [
    re.compile(r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"\{%\s*trans(?:late)?\s.*?%\}", re.S),
    re.compile(r"\{%.*?%\}", re.S),
    re.compile(r"\{\{.*?\}\}", re.S),
]


def untranslated_literals(source: str) -> list[str]:
    """The stretches of ``source`` that hold CJK outside any template tag.

    Each finding is the offending line (with template syntax removed), stripped.
    """
    text = source
    for pattern in _STRIP:
        # Keep newlines so each finding stays on its own line.
        text = pattern.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return [line.strip() for line in text.splitlines() if CJK.search(line)]


def _templates() -> list[Path]:
    return sorted(TEMPLATES_DIR.rglob("*.html"))


def test_templates_found():
    assert _templates(), f"no templates under {TEMPLATES_DIR}"


@pytest.mark.parametrize(
    "path", _templates(), ids=lambda p: p.relative_to(TEMPLATES_DIR).as_posix()
)
def test_template_has_no_untranslated_chinese(path):
    source = path.read_text(encoding="utf-8")
    found = untranslated_literals(source)
    rel = path.relative_to(TEMPLATES_DIR).as_posix()
    assert not found, f"{rel}: Chinese text outside {{% translate %}}: " + "; ".join(
        repr(f) for f in found
    )
    if CJK.search(source):
        assert re.search(r"\{%\s*load\s[^%]*\bi18n\b", source), f"{rel}: no {{% load i18n %}}"


# --- the scanner itself ------------------------------------------------------


@pytest.mark.parametrize(
    "source, expected",
    [
        ("<h1>账号管理</h1>", ["<h1>账号管理</h1>"]),
        ('<input placeholder="用户名">', ['<input placeholder="用户名">']),
        ("<p>共 {{ n }} 个账号</p>", ["<p>共  个账号</p>"]),
        ("{% if a %}启用{% endif %}", ["启用"]),
        ('<p>{% translate "好" %}</p>\n<p>坏</p>', ["<p>坏</p>"]),
    ],
)
def test_scanner_finds_bare_chinese(source, expected):
    assert untranslated_literals(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        '<h1>{% translate "账号管理" %}</h1>',
        "<h1>{% trans '账号管理' %}</h1>",
        "<input placeholder=\"{% translate '用户名' %}\">",
        "<p>{% blocktranslate with n=page.count %}共 {{ n }} 个账号{% endblocktranslate %}</p>",
        "<p>{% blocktranslate %}仅显示最近\n{{ limit }}条。{% endblocktranslate %}</p>",
        "<p>{% blocktrans %}旧写法{% endblocktrans %}</p>",
        '{% include "x.html" with label=_("编号") %}',
        '{{ v|default:_("从未登录") }}',
        '{% if row.type == "修改" %}<span>—</span>{% endif %}',
        "{# 注释 #}<p>(ok)</p>",
        "{% comment %}\n多行注释\n{% endcomment %}<p>ok</p>",
        "<p>English only （），。：—</p>",
    ],
)
def test_scanner_accepts_translated_or_non_text(source):
    assert untranslated_literals(source) == []
