"""Reading and writing the workbook: one XLSX, a sheet per registered Sheet.

Import: pass 1 reads every sheet (python-calamine) and checks types, required
cells, duplicated keys and references, without touching the database; pass 2
writes through each sheet's service inside one transaction, a savepoint per
row, so the services' own rules report per row too. Any problem in either
pass rolls everything back: nothing is written, and each problem is one line
(sheet, row, column, reason). Rows identical to what is stored are skipped,
so importing the same file twice writes nothing the second time.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from fourfirsts.core import sheets as registry
from fourfirsts.core.crypto import mask_id_number, mask_phone
from fourfirsts.core.sheets import REF_HEADER, Col, Sheet

ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")
MASKED = object()  # a masked personal number in a file: keep the stored one
TRUE = {"是", "true", "1", "y", "yes", "√"}
FALSE = {"否", "false", "0", "n", "no", ""}
# How a yes/no cell is written on export (read back through TRUE / FALSE).
YES = "是"
NO = "否"


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self):
        where = _("第%(row)s行") % {"row": self.row} if self.row else _("表头")
        if self.column:
            return _("%(sheet)s %(where)s %(column)s：%(reason)s") % {
                "sheet": self.sheet, "where": where, "column": self.column, "reason": self.reason
            }
        return _("%(sheet)s %(where)s：%(reason)s") % {"sheet": self.sheet, "where": where, "reason": self.reason}


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        total = lambda c: sum(c.values())  # noqa: E731
        counts = {
            "created": total(self.created),
            "updated": total(self.updated),
            "unchanged": total(self.unchanged),
        }
        if self.dry_run:
            return _("将新增%(created)s行，将更新%(updated)s行，%(unchanged)s行无变化") % counts
        return _("已新增%(created)s行，已更新%(updated)s行，%(unchanged)s行无变化") % counts


@dataclass
class Row:
    number: int
    ref: str
    values: dict


# --- cells -----------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_cell(col: Col, raw):
    """The cell as the field's value, or ValueError with the reason."""
    text = _text(raw)
    if text == "":
        return False if col.kind == "bool" else None
    kind = col.kind
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(text.replace("/", "-"))
        except ValueError:
            raise ValueError(_("日期格式应为 YYYY-MM-DD：%(text)s") % {"text": text}) from None
    if kind == "int":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("应为整数：%(text)s") % {"text": text}) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("应为整数：%(text)s") % {"text": text})
        return int(number)
    if kind == "decimal":
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("应为数字：%(text)s") % {"text": text}) from None
        if not number.is_finite():
            raise ValueError(_("应为数字：%(text)s") % {"text": text})
        return number
    if kind == "bool":
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise ValueError(_("应为“%(yes)s”或“%(no)s”：%(text)s") % {"yes": YES, "no": NO, "text": text})
    if kind == "choice":
        by_label = {label: code for code, label in col.choices.items()}
        if text in by_label:
            return by_label[text]
        if text in col.choices:
            return text
        raise ValueError(
            _("应为%(choices)s之一：%(text)s") % {"choices": "、".join(col.choices.values()), "text": text}
        )
    if kind in ("id_number", "phone") and "*" in text:
        return MASKED
    if col.check:
        try:
            return col.check(text)
        except ValidationError as e:
            raise ValueError("；".join(e.messages)) from None
    return text


def stored_value(col: Col, obj):
    """What a record holds for a column, in parse_cell's terms (for comparing)."""
    value = getattr(obj, col.field)
    if col.kind == "ref":
        return value.ref if value is not None else None
    if col.kind == "bool":
        return bool(value)
    if value in ("", None):
        return None
    return value


# --- reading -----------------------------------------------------------------------------


def read_workbook(source) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(source) if isinstance(source, str) else CalamineWorkbook.from_filelike(source)
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def _check_headers(sheet: Sheet, header: list, problems: list[Problem]) -> list[Col | None] | None:
    header = [_text(h) for h in header]
    while header and header[-1] == "":
        header.pop()
    if not header or header[0] != REF_HEADER:
        problems.append(Problem(sheet.name, 0, "", _("第一列应为“%(header)s”") % {"header": REF_HEADER}))
        return None
    cols = []
    for title in header[1:]:
        col = sheet.column(title)
        if col is None:
            problems.append(Problem(sheet.name, 0, title, _("未知的列")))
        cols.append(col)
    missing = [c.header for c in sheet.columns if c.required and c.header not in header]
    for title in missing:
        problems.append(Problem(sheet.name, 0, title, _("缺少必填列")))
    return None if missing or None in cols else cols


def parse_sheet(sheet: Sheet, table: list[list], problems: list[Problem]) -> list[Row]:
    if not table:
        return []
    cols = _check_headers(sheet, table[0], problems)
    if cols is None:
        return []
    rows, seen, seen_natural = [], {}, {}
    for number, cells in enumerate(table[1:], start=2):
        cells = list(cells) + [None] * (len(cols) + 1 - len(cells))
        if all(_text(c) == "" for c in cells):
            continue
        ref, values, ok = _text(cells[0]), {}, True
        for col, raw in zip(cols, cells[1:], strict=False):
            try:
                value = parse_cell(col, raw)
            except ValueError as e:
                problems.append(Problem(sheet.name, number, col.header, str(e)))
                ok = False
                continue
            if col.required and value is None:
                problems.append(Problem(sheet.name, number, col.header, _("必填项为空")))
                ok = False
            values[col.field] = value
        ok &= _unique(sheet, number, REF_HEADER, ref, seen, problems)
        if sheet.natural_key and values.get(sheet.natural_key) not in (None, MASKED):
            header = next(c.header for c in sheet.columns if c.field == sheet.natural_key)
            ok &= _unique(sheet, number, header, values[sheet.natural_key], seen_natural, problems)
        if ok:
            rows.append(Row(number, ref, values))
    return rows


def _shown_key(key) -> str:
    """A key as problems show it: a 身份证 number (a natural key of 人员) is
    masked, since problems are shown, printed and kept in the cache."""
    text = str(key)
    return mask_id_number(text) if ID_NUMBER.match(text) else text


def _unique(sheet, number, header, key, seen, problems) -> bool:
    if key in (None, ""):
        return True
    if key in seen:
        shown = _shown_key(key)
        problems.append(
            Problem(sheet.name, number, header, _("“%(key)s”重复（与第%(first)s行重复）") % {"key": shown, "first": seen[key]})
        )
        return False
    seen[key] = number
    return True


def _parents_first(sheet: Sheet, rows: list[Row]) -> list[Row]:
    if not sheet.parent_field:
        return rows
    by_ref = {r.ref: r for r in rows if r.ref}
    ordered, placed = [], set()

    def place(row, depth=0):
        if id(row) in placed or depth > len(rows):
            return
        parent = by_ref.get(row.values.get(sheet.parent_field))
        if parent is not None and parent is not row:
            place(parent, depth + 1)
        placed.add(id(row))
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


# --- importing ---------------------------------------------------------------------------


class _Refs:
    """Finds the record a 编号 names: rows written earlier in this import, or
    records already stored."""

    def __init__(self, wanted=()):
        self.done: dict[tuple[str, str], object] = {}
        self.wanted = set(wanted)  # the sheets some row of the file refers to

    def remember(self, sheet_name: str, ref: str, obj) -> None:
        """Keep a written record for the rows that refer to it: only for the
        sheets that are referred to, so 100,000 new enterprises are not all
        kept in memory to the end."""
        if sheet_name in self.wanted:
            self.done[(sheet_name, ref)] = obj

    def get(self, sheet_name: str, ref: str):
        key = (sheet_name, ref)
        if key not in self.done:
            target = registry.get(sheet_name)
            obj = target.model.objects.filter(ref=ref).first()
            if obj is None and target.find_natural:
                obj = target.find_natural(ref)
            self.done[key] = obj
        return self.done[key]


def import_workbook(source, *, actor, dry_run: bool = False, progress=None) -> Report:
    report = Report(dry_run=dry_run)
    tables = read_workbook(source)
    parsed: dict[str, list[Row]] = {}
    while tables:  # each raw sheet let go once parsed
        name, table = tables.popitem()
        sheet = registry.get(name)
        if sheet is None:
            report.problems.append(Problem(name, 0, "", _("未知的工作表")))
            continue
        parsed[name] = _parents_first(sheet, parse_sheet(sheet, table, report.problems))
    _check_references(parsed, report.problems)
    total = sum(len(rows) for rows in parsed.values())
    wanted = {col.ref for name in parsed for col in registry.get(name).columns if col.kind == "ref"}
    with transaction.atomic():
        refs, done = _Refs(wanted), 0
        for sheet in registry.all_sheets():
            rows = parsed.get(sheet.name, ())
            stored = _stored_by_ref(sheet, rows)
            if sheet.create_many and not sheet.parent_field:
                natural = _stored_by_natural_key(sheet, [r for r in rows if r.ref not in stored])
                new = []
                for row in rows:
                    instance = stored.get(row.ref) or natural.get(row.values.get(sheet.natural_key))
                    if instance is None:
                        new.append(row)
                    else:
                        _import_row(sheet, row, instance, refs, actor, report)
                for i in range(0, len(new), BATCH):
                    _create_rows(sheet, new[i:i + BATCH], refs, actor, report)
                    done += len(new[i:i + BATCH])
                    if progress:
                        progress(done, total)
                done += len(rows) - len(new)
                continue
            for row in rows:
                _import_row(sheet, row, stored.get(row.ref), refs, actor, report)
                done += 1
                if progress and done % 100 == 0:
                    progress(done, total)
        if dry_run or report.problems:
            transaction.set_rollback(True)
    if progress:
        progress(total, total)
    report.problems.sort(key=lambda p: (_order(p.sheet), p.row))
    return report


def _order(name):
    sheet = registry.get(name)
    return sheet.order if sheet else 10**6


def _check_references(parsed: dict[str, list[Row]], problems: list[Problem]) -> None:
    """Every 编号 a row names must be in the file or in the database."""
    in_file = {name: {r.ref for r in rows if r.ref} for name, rows in parsed.items()}
    wanted: dict[str, set[str]] = defaultdict(set)
    for name, rows in parsed.items():
        for col in registry.get(name).columns:
            if col.kind == "ref":
                wanted[col.ref] |= {r.values.get(col.field) for r in rows} - {None} - in_file.get(col.ref, set())
    stored = {}
    for name, refs in wanted.items():
        target = registry.get(name)
        found = set(target.model.objects.filter(ref__in=refs).values_list("ref", flat=True))
        if target.find_natural:
            found |= {ref for ref in refs - found if target.find_natural(ref)}
        stored[name] = found
    for name, rows in parsed.items():
        for col in registry.get(name).columns:
            if col.kind != "ref":
                continue
            known = in_file.get(col.ref, set()) | stored.get(col.ref, set())
            for row in list(rows):
                ref = row.values.get(col.field)
                if ref is not None and ref not in known:
                    problems.append(
                        Problem(name, row.number, col.header,
                                _("找不到编号为“%(ref)s”的%(sheet)s") % {"ref": _shown_key(ref), "sheet": col.ref})
                    )
                    rows.remove(row)


def _stored_by_ref(sheet: Sheet, rows) -> dict:
    """The sheet's stored records named by the file's 编号, in a few queries."""
    wanted = [r.ref for r in rows if r.ref]
    found = {}
    for i in range(0, len(wanted), 2000):
        found.update((o.ref, o) for o in sheet.model.objects.filter(ref__in=wanted[i : i + 2000]))
    return found


def _stored_by_natural_key(sheet: Sheet, rows) -> dict:
    """The stored records the rows name by their natural key (an enterprise's
    统一社会信用代码), in a few queries."""
    if not sheet.natural_key:
        return {}
    wanted = [v for v in (r.values.get(sheet.natural_key) for r in rows) if v]
    found = {}
    for i in range(0, len(wanted), 2000):
        found.update((getattr(o, sheet.natural_key), o)
                     for o in sheet.model.objects.filter(**{f"{sheet.natural_key}__in": wanted[i:i + 2000]}))
    return found


BATCH = 1000  # new rows written per bulk call


def _create_rows(sheet: Sheet, rows: list[Row], refs: _Refs, actor, report: Report) -> None:
    """New rows of a sheet with a bulk service: values built as one row's
    are, then checked and inserted together."""
    ready = [(row, values) for row in rows if (values := _values(sheet, row, None, refs, report)) is not None]
    try:
        with transaction.atomic():
            results = sheet.create_many(actor=actor, rows=[values for __, values in ready])
    except PermissionDenied as e:
        report.problems.extend(Problem(sheet.name, row.number, "", str(e)) for row, __ in ready)
        return
    for (row, __), result in zip(ready, results, strict=True):
        if isinstance(result, ValidationError):
            for column, message in _messages(sheet, result):
                report.problems.append(Problem(sheet.name, row.number, column, message))
            continue
        report.created[sheet.name] += 1
        refs.remember(sheet.name, row.ref or result.ref, result)


def _import_row(sheet: Sheet, row: Row, instance, refs: _Refs, actor, report: Report) -> None:
    if instance is None and sheet.find_natural and sheet.natural_key:
        instance = sheet.find_natural(row.values.get(sheet.natural_key))
    if instance is not None and _same(sheet, instance, row, refs):
        report.unchanged[sheet.name] += 1
        refs.remember(sheet.name, row.ref or instance.ref, instance)
        return
    values = _values(sheet, row, instance, refs, report)
    if values is None:
        return
    try:
        with transaction.atomic():
            obj = sheet.save(actor=actor, values=values, instance=instance)
    except ValidationError as e:
        for column, message in _messages(sheet, e):
            report.problems.append(Problem(sheet.name, row.number, column, message))
        return
    except PermissionDenied as e:
        report.problems.append(Problem(sheet.name, row.number, "", str(e)))
        return
    (report.updated if instance else report.created)[sheet.name] += 1
    refs.remember(sheet.name, row.ref or obj.ref, obj)


def _values(sheet: Sheet, row: Row, instance, refs: _Refs, report: Report) -> dict | None:
    """The values a row writes (references resolved), or None after noting a problem."""
    values = {}
    for col in sheet.columns:
        if col.field not in row.values:
            continue  # a column the file leaves out changes nothing
        value = row.values[col.field]
        if value is MASKED:
            continue
        if col.kind == "ref" and value is not None:
            value = refs.get(col.ref, value)
            if value is None:
                report.problems.append(Problem(sheet.name, row.number, col.header, _("所引用的行有错误，未能导入")))
                return
        values[col.field] = "" if value is None and _is_text(sheet, col) else value
    if instance is None and row.ref:
        values["ref"] = row.ref
    return values


def _is_text(sheet: Sheet, col: Col) -> bool:
    field = sheet.model._meta.get_field(col.field)
    return col.kind in ("text", "choice", "phone", "id_number") and not field.null


def _same(sheet: Sheet, obj, row: Row, refs: _Refs) -> bool:
    for col in sheet.columns:
        if col.field not in row.values:
            continue  # a column the file leaves out changes nothing
        value = row.values[col.field]
        if value is MASKED:
            continue
        if col.kind == "ref":
            # Compare ids, not loaded records: refs are cached, relations are not.
            target = refs.get(col.ref, value) if value is not None else None
            if getattr(obj, f"{col.field}_id") != (target.pk if target is not None else None):
                return False
        elif stored_value(col, obj) != value:
            return False
    return True


def _messages(sheet: Sheet, error: ValidationError):
    headers = {c.field: c.header for c in sheet.columns}
    if hasattr(error, "error_dict"):
        for field_name, errors in error.message_dict.items():
            for message in errors:
                yield headers.get(field_name, ""), message
    else:
        for message in error.messages:
            yield "", message


# --- exporting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Disclosure:
    """How personal numbers leave the system: in full for the system scope's
    backups, otherwise 身份证 always masked and phones in full only for the
    people whose phones the reader's pages show."""

    full: bool = False
    phone_person_ids: frozenset = frozenset()

    def id_number(self, value: str) -> str:
        return value if self.full else mask_id_number(value)

    def phone(self, value: str, obj) -> str:
        visible = self.full or (obj.__class__.__name__ == "Person" and obj.pk in self.phone_person_ids)
        return value if visible else mask_phone(value)


def export_cell(col: Col, obj, disclosure: Disclosure):
    value = getattr(obj, col.field)
    if col.kind == "ref":
        return value.ref if value is not None else ""
    if col.kind == "choice":
        return col.choices.get(value, value) if value else ""
    if col.kind == "bool":
        return YES if value else NO
    if col.kind == "id_number":
        return disclosure.id_number(value or "")
    if col.kind == "phone":
        return disclosure.phone(value or "", obj)
    return "" if value is None else value


def export_rows(sheet: Sheet, scope, disclosure: Disclosure):
    refs = [c.field for c in sheet.columns if c.kind == "ref"]
    qs = sheet.rows_for(scope).select_related(*refs).order_by("ref")
    for obj in qs.iterator(chunk_size=2000):
        yield [obj.ref, *(export_cell(c, obj, disclosure) for c in sheet.columns)]


def write_workbook(target, scope, disclosure: Disclosure, *, empty: bool = False) -> dict[str, int]:
    """Write every registered sheet (`empty`: headers only, the blank template)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    bold = book.add_format({"bold": True})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    counts = {}
    for sheet in registry.all_sheets():
        ws = book.add_worksheet(sheet.name)
        ws.write_row(0, 0, sheet.headers, bold)
        ws.set_column(0, len(sheet.headers) - 1, 16)
        n = 0
        for n, row in enumerate(() if empty else export_rows(sheet, scope, disclosure), start=1):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    ws.write_datetime(n, c, datetime.combine(value, datetime.min.time()), dates)
                elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                    ws.write_number(n, c, float(value))
                else:
                    ws.write_string(n, c, str(value))
        counts[sheet.name] = n
    book.close()
    return counts
