"""Search and sort keys for Chinese names (pure functions, no database)."""

import pytest

from fourfirsts.core.searchkeys import (
    MAX_VARIANTS,
    normalise_query,
    pinyin_initials,
    search_key,
    sort_key,
    to_simplified,
)


def finds(name: str, query: str) -> bool:
    return normalise_query(query) in search_key(name)


def test_initials_find_name():
    assert finds("娄底市安徽商会", "ldsahsh")


def test_every_reading_of_heteronym_is_searchable():
    # 长 reads cháng and zhǎng; users may type either.
    assert finds("娄底市长沙商会", "ldscssh")
    assert finds("娄底市长沙商会", "ldszssh")


def test_plain_chinese_substring():
    assert finds("娄底市安徽商会", "安徽")
    assert not finds("娄底市安徽商会", "浙江")


def test_traditional_name_gives_same_key():
    assert to_simplified("婁底市安徽商會") == "娄底市安徽商会"
    assert search_key("婁底市安徽商會") == search_key("娄底市安徽商会")
    assert sort_key("婁底市安徽商會") == sort_key("娄底市安徽商会")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("  安徽商會 ", "安徽商会"),
        ("LDS AHSH", "ldsahsh"),
        ("婁底 市", "娄底市"),
        ("ＡＢＣ　商會", "abc商会"),
    ],
)
def test_normalise_query(query, expected):
    assert normalise_query(query) == expected


def test_traditional_query_finds_simplified_name():
    assert finds("娄底市安徽商会", "安徽商會")


def test_query_never_spans_two_variants():
    key = search_key("娄底市长沙商会")
    assert " " in key
    assert not finds("娄底市长沙商会", "ldscsshldszssh")


def test_latin_and_digits_kept_punctuation_dropped():
    assert "abc1" in pinyin_initials("ABC-1")
    assert finds("ABC（湖南）有限公司", "abchnyxgs")


def test_several_texts_deduplicated():
    key = search_key("娄底市安徽商会", "安徽商会")
    parts = key.split(" ")
    assert len(parts) == len(set(parts))
    assert finds("娄底市安徽商会", "ahsh")
    assert "ahsh" in parts


def test_variants_are_capped():
    name = "会" * 10  # 会: huì / kuài -> 2**10 combinations uncapped
    variants = pinyin_initials(name)
    assert len(variants) == MAX_VARIANTS
    assert variants[0] == "h" * 10
    assert len(set(variants)) == len(variants)
    assert len(search_key(name).split(" ")) <= MAX_VARIANTS + 1


def test_sort_key_shape():
    assert sort_key("娄底市安徽商会") == "lou0di0shi0an0hui0shang0hui"
    assert sort_key("ABC商会 No.1") == "abc0shang0hui0no01"


def test_sort_order_is_pinyin():
    names = ["娄底市浙江商会", "娄底市安徽商会", "娄底市邵阳商会", "冷水江市商会"]
    assert sorted(names, key=sort_key) == [
        "冷水江市商会",
        "娄底市安徽商会",
        "娄底市邵阳商会",
        "娄底市浙江商会",
    ]


def test_separator_sorts_below_letters():
    # 李四 (li si) before 林 (lin): the separator ends the syllable.
    assert sort_key("李四") < sort_key("林")


def test_sort_key_is_ascii_and_bounded():
    for text in ["绿色", "Ｃａｆé 女装", "婁底😀商會", "〇", "长" * 300]:
        key = sort_key(text)
        assert key.isascii()
        assert len(key) <= 200
    assert sort_key("绿色") == "lv0se"
    assert sort_key("Ｃａｆé") == "cafe"
