"""The sheet registry: each app declares the workbook sheets of its records in
its `sheets.py`; `exchange` reads and writes them. One declaration gives the
export, the import, the blank template and docs/workbook.md."""

from collections.abc import Callable
from dataclasses import dataclass, field

REF_HEADER = "编号"


@dataclass(frozen=True)
class Col:
    header: str
    field: str
    kind: str = "text"  # text, int, decimal, date, bool, choice, ref, id_number, phone
    required: bool = False
    choices: dict[str, str] | None = None  # code → label; cells hold the label
    ref: str | None = None  # for kind "ref": the referenced sheet's name
    help: str = ""
    check: Callable | None = None  # check(value) → normalised value, or ValidationError

    @property
    def type_label(self) -> str:
        return {
            "text": "文本", "int": "整数", "decimal": "数字", "date": "日期", "bool": "是/否",
            "choice": "选项", "ref": f"“{self.ref}”的编号", "id_number": "身份证号码", "phone": "手机号码",
        }[self.kind]


@dataclass
class Sheet:
    name: str
    model: type
    columns: tuple[Col, ...]
    save: Callable  # save(actor=…, values=…, instance=…) → the saved record, through a service
    order: int
    natural_key: str | None = None  # a column field that matches rows without 编号
    find_natural: Callable | None = None  # find_natural(value) → record or None
    queryset: Callable | None = None  # queryset(scope) → the rows to export
    parent_field: str | None = None  # a ref to the same sheet (party org → parent)
    # create_many(actor=…, rows=[values, …]) → [record or ValidationError, …]: new rows in bulk, through a
    # service that checks each as `save` does (for the big sheets; the others go row by row).
    create_many: Callable | None = None
    help: str = ""
    app: str = ""
    _by_header: dict = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self):
        self._by_header = {c.header: c for c in self.columns}

    def column(self, header: str) -> Col | None:
        return self._by_header.get(header)

    @property
    def headers(self) -> list[str]:
        return [REF_HEADER, *(c.header for c in self.columns)]

    def rows_for(self, scope):
        qs = self.queryset(scope) if self.queryset else self.model.objects.visible_to(scope)
        return qs.order_by("id")


_sheets: dict[str, Sheet] = {}


def register(sheet: Sheet) -> Sheet:
    if sheet.name in _sheets:
        raise ValueError(f"sheet {sheet.name} registered twice")
    _sheets[sheet.name] = sheet
    return sheet


def all_sheets() -> list[Sheet]:
    return sorted(_sheets.values(), key=lambda s: s.order)


def get(name: str) -> Sheet | None:
    return _sheets.get(name)
