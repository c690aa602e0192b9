"""Every user-visible string in the Python code of the apps goes through gettext.

The scanner walks the AST of each module under the checked app folders and
reports every string literal holding a CJK character that is not the first
argument of a translation call (``_``, ``gettext``, ``gettext_lazy``,
``ngettext``, ``pgettext`` …). Docstrings are skipped. A few files hold the
workbook *format* — sheet names, column headers and words matched on import —
which must stay the same in every deployment; they are listed below
(``ALLOWED_FILENAMES``, ``ALLOWED_FILES``, ``ALLOWED_NAMES``) with the reason.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

APP_DIRS = [
    "fourfirsts/core",
    "fourfirsts/registry",
    "fourfirsts/accounts",
    "fourfirsts/exchange",
    "fourfirsts/agenda",
    "fourfirsts/service",
    "fourfirsts/volunteering",
    "fourfirsts/membership",
    "fourfirsts/governance",
    "fourfirsts/reports",
    "fourfirsts/api",
]

CJK = re.compile(r"[\u4e00-\u9fff]")

TRANSLATION_FUNCS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
# Calls whose message arguments are not the first one: pgettext(context, msg),
# ngettext(singular, plural, n), npgettext(context, singular, plural, n).
_MESSAGE_ARGS = {
    "ngettext": (0, 1),
    "ngettext_lazy": (0, 1),
    "pgettext": (0, 1),
    "pgettext_lazy": (0, 1),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

# Files whose Chinese literals are the workbook format, not UI text.
ALLOWED_FILENAMES = {  # any file of this name in the checked apps (name → reason)
    "sheets.py": "workbook format: sheet names and column headers matched on import",
}
ALLOWED_FILES = {  # path → reason
    "fourfirsts/exchange/docs.py": "workbook format: the generated docs/workbook.md describing it",
}
# Single names in other files whose assigned value is data or the workbook format,
# matched as stored and so never translated ((path, name) → reason).
ALLOWED_NAMES = {
    ("fourfirsts/reports/render_docx.py", "FONTS"): "Word's names of the East-Asian fonts",
    ("fourfirsts/agenda/rules.py", "LECTURE_SERIES_DEFAULT"): "the series' name as stored in a setting's value",
    ("fourfirsts/agenda/compliance.py", "SECRETARY_POST"): "the committee-seat title as stored in records",
    ("fourfirsts/exchange/engine.py", "TRUE"): "words read as yes in imported cells",
    ("fourfirsts/exchange/engine.py", "FALSE"): "words read as no in imported cells",
    ("fourfirsts/exchange/engine.py", "YES"): "word written for yes in exported cells",
    ("fourfirsts/exchange/engine.py", "NO"): "word written for no in exported cells",
    ("fourfirsts/core/rules.py", "TRUE_WORDS"): "words read as yes in a setting's input",
    ("fourfirsts/core/rules.py", "FALSE_WORDS"): "words read as no in a setting's input",
    ("fourfirsts/accounts/views.py", "PEOPLE_SHEET"): "sheet name matched in the bulk-account workbook",
    ("fourfirsts/accounts/views.py", "USERNAME_HEADER"): "column header matched in the bulk-account workbook",
    ("fourfirsts/registry/models.py", "CITY_LEADER_TITLES"): "office titles as stored in records",
    ("fourfirsts/exchange/management/commands/demo.py", "MAYOR_TITLE"): "office title as stored by the demo workbook",
}


def _func_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def untranslated_literals(source: str, allowed_names: frozenset = frozenset()) -> list[tuple[int, str]]:
    """``(line, text)`` of every CJK string literal in ``source`` outside gettext.

    ``allowed_names`` are module-level names whose assigned value is exempt.
    """
    tree = ast.parse(source)
    exempt: set[int] = set()

    def exempt_subtree(node: ast.AST) -> None:
        for sub in ast.walk(node):
            exempt.add(id(sub))

    for node in ast.walk(tree):
        # Docstrings.
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and _is_str(body[0].value):
                exempt.add(id(body[0].value))
        # Translation calls: their message arguments.
        elif isinstance(node, ast.Call):
            name = _func_name(node)
            if name in TRANSLATION_FUNCS:
                for i in _MESSAGE_ARGS.get(name, (0,)):
                    if i < len(node.args) and _is_str(node.args[i]):
                        exempt.add(id(node.args[i]))
        # Allow-listed names.
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and allowed_names:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in allowed_names for t in targets):
                if node.value is not None:
                    exempt_subtree(node.value)

    found = []
    for node in ast.walk(tree):
        if _is_str(node) and id(node) not in exempt and CJK.search(node.value):
            found.append((node.lineno, node.value))
    return sorted(found)


def _modules() -> list[Path]:
    return sorted(p for d in APP_DIRS for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts)


def test_modules_found():
    assert _modules()


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_module_has_no_untranslated_chinese(path):
    rel = path.relative_to(ROOT).as_posix()
    reason = ALLOWED_FILES.get(rel) or ALLOWED_FILENAMES.get(path.name)
    if reason:
        pytest.skip(reason)
    names = frozenset(name for (p, name) in ALLOWED_NAMES if p == rel)
    found = untranslated_literals(path.read_text(encoding="utf-8"), names)
    assert not found, "Chinese outside gettext:\n" + "\n".join(
        f"{rel}:{line}: {text!r}" for line, text in found
    )


def test_allow_list_points_at_real_places():
    for rel in ALLOWED_FILES:
        assert (ROOT / rel).is_file(), rel
    for rel, name in ALLOWED_NAMES:
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        names = {
            t.id
            for node in ast.walk(tree)
            if isinstance(node, (ast.Assign, ast.AnnAssign))
            for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(t, ast.Name)
        }
        assert name in names, f"{rel}: nothing assigned to {name}"


# --- the scanner itself ------------------------------------------------------


@pytest.mark.parametrize(
    "source, expected",
    [
        ('x = "好"', [(1, "好")]),
        ('raise ValueError("坏")', [(1, "坏")]),
        ('x = _("好")', []),
        ('x = gettext_lazy("好")', []),
        ('x = _("好：%(v)s") % {"v": "坏"}', [(1, "坏")]),
        ('x = f"坏{y}"', [(1, "坏")]),
        ('x = _(f"坏{y}")', [(1, "坏")]),
        ('x = ngettext("一个", "%(n)s 个", n)', []),
        ('x = pgettext("ctx", "好")', []),
        ('x = translation.gettext("好")', []),
        ('x = _(y, "坏")', [(1, "坏")]),
        ('"""模块说明"""\ndef f():\n    """函数说明"""\n    return "坏"', [(4, "坏")]),
        ('class A:\n    """类说明"""\n    label = "坏"', [(3, "坏")]),
        ('x = "ascii only"', []),
        ("# 注释\nx = 1", []),
    ],
)
def test_scanner(source, expected):
    assert untranslated_literals(source) == expected


def test_scanner_allowed_names():
    source = 'TRUE = {"是", "对"}\nOTHER = "坏"'
    assert untranslated_literals(source, frozenset({"TRUE"})) == [(2, "坏")]
