"""Foreign-script (FS) and text-integrity (TX) rules: planted defects, behaviour details, real corpora."""

from pathlib import Path

import pytest

from checker.config import Settings
from checker.fix import apply_fixes
from checker.pipeline import check_bytes
from checker.rules import builtin_rules_dir, load_rules
from checker.yamlio import load_yaml_file
from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parent.parent
PLANTED = load_yaml_file(ROOT / "tests" / "planted" / "integrity" / "cases.yaml")
RULES = [r for r in load_rules([builtin_rules_dir()]) if r.code.startswith(("FS", "TX")) and r.enabled]


def findings(text, path="copy.txt", **settings):
    return check_bytes(text.encode("utf-8"), path, RULES, Settings(**settings)).findings


def fixed(text, **settings):
    result = check_bytes(text.encode("utf-8"), "copy.txt", RULES, Settings(**settings))
    return apply_fixes(result.source.text, [f.fix for f in result.findings if f.fix])[0]


@pytest.mark.parametrize("case", PLANTED["defects"], ids=lambda c: f"{c['code']}-{c['span'].encode('unicode_escape').decode()[:24]}")
def test_planted_defect_is_reported_once_by_its_rule(case):
    text = case["text"]
    start = text.index(case["span"])
    end = start + len(case["span"])
    got = findings(text)
    assert [(f.code, f.start, f.end) for f in got if f.start < end and start < max(f.end, f.start + 1)] and len(got) == 1, got
    assert got[0].code == case["code"] and got[0].start <= start and end <= max(got[0].end, got[0].start + 1)


def test_planted_set_covers_the_required_classes():
    defects = PLANTED["defects"]
    import unicodedataplus

    scripts = {unicodedataplus.script(c["span"][0]) for c in defects if c["code"] == "FS101"}
    assert len(scripts) >= 15
    invisible = {c["span"][0] for c in defects if c["code"] == "TX101"}
    assert {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"} <= invisible
    bidi = {c["span"] for c in defects if c["code"] == "TX102"}
    assert bidi == set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize("text", PLANTED["clean"], ids=lambda t: t[:30])
def test_planted_clean_text_has_no_finding(text):
    assert findings(text) == []


def test_seed_leftover_is_flagged_once_with_translation_fix():
    text = "Mr. Trump as a candidate for president of the [САЩ] declares that he is ready."
    (finding,) = findings(text)
    assert finding.code == "FS101" and '"US"' in finding.message and "brackets" in finding.message
    assert fixed(text) == text.replace("САЩ", "US")


def test_lookalike_run_says_what_the_reader_sees():
    (finding,) = findings("The summit of НАТО ended on Friday.")
    assert 'reads "HATO"' in finding.message and '"NATO"' in finding.message
    (finding,) = findings("The ВВС said on Friday that it would appeal.")
    assert 'reads "BBC"' in finding.message and finding.fix is None


def test_glossary_entry_with_several_meanings_only_suggests():
    (finding,) = findings("The ВС ruled on the appeal on Friday afternoon.")
    assert finding.fix is None and '"Armed Forces"' in finding.message and '"Supreme Court"' in finding.message


def test_bulgarian_copy_keeps_latin_brand_names_and_flags_other_scripts():
    text = "Министърът на външните работи обяви, че Google и Microsoft ще инвестират в България, а Σπύρος не."
    got = findings(text)
    assert [(f.code, f.matched) for f in got] == [("FS101", "Σπύρος")]
    assert "Cyrillic" in got[0].message


def test_main_script_can_be_set():
    text = "Министърът обяви решението."
    assert findings(text) == []
    got = findings(text, main_script="Latin")
    assert [f.code for f in got] == ["FS101"]


def test_mixed_script_word_fix_spells_it_in_one_script():
    assert fixed("The Bаnk of England and Mоscow officials met.") == "The Bank of England and Moscow officials met."
    assert fixed("В. K. Arsenyev was held in Moscow.") == "B. K. Arsenyev was held in Moscow."


def test_cyrillic_initial_before_cyrillic_name_is_a_fragment_not_a_homoglyph():
    (finding,) = findings("В. Путин said so, according to the Kremlin press office.")
    assert finding.code == "FS101" and finding.matched == "В. Путин"


@pytest.mark.parametrize(
    "bad, good, direction",
    [
        ("CafÃ© Central", "Café Central", "Latin-1 or Windows-1252"),
        ("itâ€™s over", "it’s over", "Windows-1252"),
        ("itâ\u0080\u0099s over", "it’s over", "Latin-1"),
        ("the [РЎРђР©] said", "the [САЩ] said", "Windows-1251"),
        ("30Â°C in SÃ£o Paulo", "30°C in São Paulo", "Windows-1252"),
        ("fans ðŸ˜€ cheered", "fans 😀 cheered", "Windows-1252"),
    ],
)
def test_mojibake_is_redecoded_in_message_and_fix(bad, good, direction):
    text = f"We said that {bad} on Monday, officials said."
    got = findings(text)
    assert got and all(f.code == "TX103" for f in got)
    assert direction in got[0].message
    assert fixed(text) == f"We said that {good} on Monday, officials said."


def test_mojibake_with_a_lost_byte_has_no_fix():
    (finding,) = findings("The president of the Ð¡ÐÐ© spoke on Monday.")
    assert finding.code == "TX103" and finding.fix is None and "lost" in finding.message


def test_bidi_pairs_are_one_finding_and_balance_is_reported():
    got = findings("The headline \u202ereads backwards\u202c here and \u2067never closes.")
    assert [f.code for f in got] == ["TX102", "TX102"]
    assert "balanced on its line" in got[0].message and got[0].matched == "\u202ereads backwards\u202c"
    assert "never closed" in got[1].message
    assert all(f.fix is None for f in got)


def test_replacement_character_and_c1_controls_have_no_fix():
    got = findings("The mayor of S\ufffdo Paulo and \u0085 a control.")
    assert [f.code for f in got] == ["TX104", "TX104"] and all(f.fix is None for f in got)


def test_invisible_characters_are_removed_but_emoji_sequences_kept():
    text = "Gov\u00adern\u200bment 👨\u200d👩\u200d👧 and 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f flags."
    assert fixed(text) == "Government 👨\u200d👩\u200d👧 and 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f flags."


def test_not_nfc_fix_is_nfc_never_nfkc():
    text = "The cafe\u0301 sold ½ of the ﬁnal stock at 10² units, 5 \u212b."
    assert fixed(text) == "The café sold ½ of the ﬁnal stock at 10² units, 5 Å."


def test_per_rule_allow_list():
    from checker.rules import apply_overrides

    rules = load_rules([builtin_rules_dir()])
    fs101 = next(r for r in rules if r.code == "FS101")
    apply_overrides(fs101, {"allow": ["ВВС"]})
    text = "The ВВС said on Friday that it would appeal."
    assert check_bytes(text.encode(), "copy.txt", [fs101], Settings()).findings == []


def test_lookalike_data_names_its_unicode_source():
    data = load_yaml_file(ROOT / "rules" / "foreign-script" / "data" / "lookalikes.yaml")
    assert data["unicode_version"] and data["lookalikes"]["а"] == "a" and data["lookalikes"]["Н"] == "H"


# --- real copy (skips without ../shared) -----------------------------------------


@pytest.mark.parametrize("corpus", ["bbc", "reuters"])
def test_clean_corpora_have_no_fs_tx_findings(corpus):
    folder = shared_path("corpus", corpus)
    found = []
    for path in sorted(folder.rglob("*.txt")):
        found.extend(check_bytes(path.read_bytes(), str(path), RULES, Settings()).findings)
    assert [(f.path, f.line, f.code, f.matched) for f in found] == []


def test_wmt22_machine_translations_real_leftovers():
    folder = shared_path("corpus", "wmt22-ru-en", "mt_en")
    found = []
    for path in sorted(folder.rglob("*.txt")):
        found.extend(check_bytes(path.read_bytes(), str(path.relative_to(folder)), RULES, Settings()).findings)
    assert sorted((f.path, f.code, f.matched) for f in found) == [
        ("Online-G/izvestiya.97156.txt", "FS101", "Диалог.иа"),
        ("Online-W/rg.ru.15618.txt", "FS102", "В"),
    ]


@pytest.mark.parametrize(
    "bad, good",
    [
        ("PeA\u0303±a Nieto", "Peña Nieto"),  # mojibake later normalised to NFD
        ("Fethullah GA\u03031\u20444len", "Fethullah Gülen"),  # ... or to NFKD (¼ → 1⁄4)
        ("RaA\u0303\u0083Â¡l", "Raál"),  # encoded twice
    ],
)
def test_mojibake_survives_later_normalisation_and_double_encoding(bad, good):
    text = f"The meeting with {bad} took place on Monday."
    got = findings(text)
    assert [f.code for f in got] == ["TX103"]
    assert fixed(text) == f"The meeting with {good} took place on Monday."


def test_glossary_matches_regardless_of_case():
    assert fixed("Officials in МОСКВА and the нато summit agreed on Monday.") == "Officials in Moscow and the NATO summit agreed on Monday."


def test_columns_count_code_points_after_emoji_and_crlf():
    hypothesis = pytest.importorskip("hypothesis")
    strategies = hypothesis.strategies

    @hypothesis.settings(max_examples=60, deadline=None)
    @hypothesis.given(strategies.lists(strategies.sampled_from(["a", "é", "😀", "👨\u200d👩", " ", "“", "ß"]), max_size=30), strategies.booleans())
    def check(prefix, crlf):
        line = "".join(prefix)
        text = ("First line of the story." + ("\r\n" if crlf else "\n")) + line + "\u200bword and more text."
        got = [f for f in findings(text) if f.code == "TX101"]
        assert [(f.line, f.column) for f in got] == [(2, len(line) + 1)]

    check()


def test_mojibake_fix_leaves_no_mojibake_where_it_writes():
    # Ã\x83 re-decodes to Ã, which with the next \x83 is mojibake again: the fix takes both layers.
    text = "The meeting with Ã\x83\x83 took place on Monday."
    [finding] = [f for f in findings(text) if f.code == "TX103"]
    assert finding.matched == "Ã\x83\x83"
    after = fixed(text)
    assert after == "The meeting with Ã took place on Monday."
    assert not [f for f in findings(after) if f.code == "TX103"]


@pytest.mark.parametrize("text", ["A\u200bÃ\xad\u200b word.", "A \xadÃ\xad\xad word."])
def test_invisible_run_partly_inside_mojibake_is_still_removed_outside_it(text):
    got = findings(text)
    assert [f.code for f in got].count("TX103") == 1
    after = fixed(text)
    assert after == text.replace("\u200b", "").replace("\xadÃ\xad\xad", "í").replace("Ã\xad", "í")
    assert not findings(after)


def test_joiner_between_cyrillic_letters_is_reported_and_translation_leaves_none():
    text = "The joiner in САЩ\u200dЕС stays."
    assert "TX101" in [f.code for f in findings(text)]
    persian = "The word \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 is spelt with ZWNJ."
    assert "TX101" not in [f.code for f in findings(persian)]
    assert "\u200d" not in fixed("\u200dСАЩ\u200dЕС Headline")


def test_decomposed_letter_is_judged_like_its_composed_form():
    composed, decomposed = "The word \u00e9\u0421\u0410\u0429 here.", "The word e\u0301\u0421\u0410\u0429 here."
    assert [f.code for f in findings(composed)] == ["FS101"]
    assert sorted(f.code for f in findings(decomposed)) == ["FS101", "TX105"]


def test_mojibake_fix_that_would_change_its_neighbour_is_not_offered():
    got = [f for f in findings("Odd \u00e2\u20ac\u2122\u00e0\x80\u00e2\u20ac\u2122 text.") if f.code == "TX103"]
    assert len(got) == 2 and all(f.fix is None for f in got)


def test_zero_width_space_beside_text_pictograph_is_reported():
    assert [f.code for f in findings("Rights \u00a9\u200b\U0001f600 here.")] == ["TX101"]


def test_mojibake_triggers_are_looked_for_among_the_non_ascii_characters_only_when_all_are():
    """A code page that reads UTF-8 lead bytes as ASCII letters (EBCDIC's cp037:
    0xC3 is "C") is searched in the whole text, not only in its non-ASCII characters."""
    from types import SimpleNamespace

    from checker.kinds import mojibake

    rule = SimpleNamespace(params={"codecs": ["cp037", "cp1252"], "plausible": ["0000-FFFF"], "truncated": {}, "min_chars": {}}, path="x.yaml")
    mojibake.prepare(rule)
    compiled, ranges, minimum, _truncated = rule.prepared
    assert [entry[6] for entry in compiled] == [False, True]
    for text in ("Cz and ñ", "CafÃ© and Cz"):
        non_ascii = "".join(c for c in text if not c.isascii())
        whole = mojibake.spans(text, compiled, ranges, minimum)
        assert whole and mojibake.spans(text, compiled, ranges, minimum, non_ascii) == whole
