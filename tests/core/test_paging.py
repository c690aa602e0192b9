"""Keyset paging: each page follows the last row of the one before, in order,
with no row twice and none left out; a key that does not parse shows page one."""

from datetime import date, datetime

from django.test import RequestFactory

from fourfirsts.core.paging import keyset
from fourfirsts.registry.models import Association
from tests.conftest import make_association


def _get(after=""):
    return RequestFactory().get("/", {"after": after} if after else {})


def _walk(qs, field, **kwargs):
    pages, after = [], ""
    while True:
        page = keyset(_get(after), qs, field, **kwargs)
        pages.append([row.pk for row in page.rows])
        assert page.paged == bool(after)
        if not page.after:
            return pages
        after = page.after


def test_pages_in_name_order_cover_every_row_once(world):
    qs = Association.objects.all()
    pages = _walk(qs, "sort_key", descending=False, parse=str, size=2)
    assert all(len(p) == 2 for p in pages[:-1]) and pages[-1]
    assert sum(pages, []) == list(qs.order_by("sort_key", "id").values_list("pk", flat=True))


def test_pages_newest_first_by_date_keep_rows_of_one_day_together(db):
    for n in range(5):
        make_association(f"商会{n}", founded=date(2020, 1, 1 + n // 2))  # two founded on each day
    qs = Association.objects.all()
    pages = _walk(qs, "founded_on", size=2)
    assert sum(pages, []) == list(qs.order_by("-founded_on", "-id").values_list("pk", flat=True))


def test_pages_by_moment(world):
    qs = Association.objects.all()
    pages = _walk(qs, "created_at", parse=datetime.fromisoformat, size=1)
    assert sum(pages, []) == list(qs.order_by("-created_at", "-id").values_list("pk", flat=True))


def test_a_key_that_does_not_parse_shows_the_first_page(world):
    qs = Association.objects.all()
    first = keyset(_get(), qs, "founded_on", size=2)
    broken = keyset(_get("昨天|12"), qs, "founded_on", size=2)
    assert [r.pk for r in broken.rows] == [r.pk for r in first.rows] and not broken.paged
