"""Languages: BCP 47 settings, detection that does not guess, and the note on skipped rules."""

import pytest
from conftest import ROOT, run_checker

from checker.config import Settings
from checker.errors import UsageError
from checker.language import DETECT_MIN_WORDS, detect_language, language_tag, primary_language
from checker.yamlio import load_yaml_file

PLANTED = load_yaml_file(ROOT / "tests" / "planted" / "language" / "sentences.yaml")
ENGLISH = (
    "The president of the republic said on Monday that the talks with the delegation would go on for the rest "
    "of the week, and that he had been told the ministry was ready to sign."
)


@pytest.mark.parametrize("tag, primary", [("en", "en"), ("en-GB", "en"), ("en-US", "en"), ("EN", "en"), ("EN-gb", "en"), ("eng", "en"), ("bg", "bg"), ("pt-BR", "pt"), ("zh-Hant-TW", "zh")])
def test_bcp47_tags_are_taken_and_the_primary_subtag_decides(tag, primary):
    assert primary_language(tag) == primary
    assert Settings(language=tag).validate().language == language_tag(tag)


@pytest.mark.parametrize("tag", ["english", "xx", "en_GB!", "", "x-klingon"])
def test_unknown_tags_are_errors(tag):
    with pytest.raises(UsageError, match="BCP 47"):
        Settings(language=tag).validate()


def test_a_language_name_gets_a_hint():
    with pytest.raises(UsageError, match="that is 'en'"):
        language_tag("English")


@pytest.mark.parametrize("args", [("--language", "xx"), ("--language", "english")])
def test_unknown_language_on_the_command_line_exits_2(args):
    result = run_checker(*args, "seeds/")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "BCP 47" in result.stderr


def test_unknown_language_in_a_configuration_names_the_file(tmp_path):
    (tmp_path / "checker.toml").write_text('language = "xx"\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("Text.\n", encoding="utf-8")
    result = run_checker("a.txt", cwd=tmp_path)
    assert result.returncode == 2 and str(tmp_path / "checker.toml") in result.stderr and "'xx'" in result.stderr


@pytest.mark.parametrize("tag", ["en-GB", "en-US", "eng", "EN"])
def test_english_variants_keep_the_english_rules_on(tmp_path, tag):
    (tmp_path / "a.txt").write_text("Headline\n\nThe new law will probably cost taxpayers $2bn a year.\n", encoding="utf-8")
    assert "AT101" in run_checker("--language", tag, "--select", "AT101", tmp_path / "a.txt").stdout


def test_short_foreign_text_is_not_taken_for_english(tmp_path):
    story = tmp_path / "a.txt"
    story.write_text("Der Minister sagte, die Preise steigen um 5%.\n", encoding="utf-8")
    result = run_checker(story)
    assert "AT101" not in result.stdout
    assert "in a language no language-bound rule covers (und: 1" in result.stderr


@pytest.mark.parametrize("language, sentence", [(lang, s) for lang, sentences in PLANTED.items() for s in sentences])
def test_no_planted_foreign_sentence_is_told_english(language, sentence):
    assert detect_language(sentence, ("Latin",)) != "en"
    assert detect_language(" ".join([sentence] * 4), ("Latin",)) != "en"  # repeated past the reliable length too


def test_below_the_reliable_length_nothing_is_guessed():
    words = ENGLISH.split()
    assert len(words) >= DETECT_MIN_WORDS
    assert detect_language(ENGLISH, ("Latin",)) == "en"
    assert detect_language(" ".join(words[: DETECT_MIN_WORDS - 1]), ("Latin",)) is None


def test_non_latin_text_is_not_guessed():
    assert detect_language("Президентът заяви, че преговорите ще продължат. " * 10, ("Cyrillic",)) is None


def test_the_configured_then_the_declared_language_wins_over_detection(tmp_path):
    from checker.pipeline import build_document

    short = "The new law will probably cost taxpayers $2bn a year.\n"
    assert build_document(short, "a.txt", Settings()).language == "und"
    assert build_document(short, "a.txt", Settings(language="en-GB").validate()).language == "en"
    declared = "---\nlang: en-US\n---\n" + short
    assert build_document(declared, "a.md", Settings()).language == "en"
    assert build_document(declared, "a.md", Settings(language="de").validate()).language == "de"


def test_the_note_comes_once_per_run_with_a_count(tmp_path):
    for index in range(3):
        (tmp_path / f"short{index}.txt").write_text("Der Minister sagte, die Preise steigen.\n", encoding="utf-8")
    (tmp_path / "english.txt").write_text(ENGLISH + "\n", encoding="utf-8")
    result = run_checker(tmp_path)
    notes = [line for line in result.stderr.splitlines() if "language no language-bound rule covers" in line]
    assert len(notes) == 1 and "3 files" in notes[0] and "und: 3" in notes[0]
    assert run_checker("--language", "en", tmp_path).stderr == ""


def test_rule_languages_are_bcp47_too(tmp_path):
    rule = (
        "code: HS001\nname: house\nseverity: warning\nkind: pattern\ntokens: [foo]\nlanguages: [en-GB]\n"
        "message: m\ndescription: d\nexamples: {bad: [foo], good: [bar]}\n"
    )
    (tmp_path / "r.yaml").write_text(rule, encoding="utf-8")
    assert run_checker("--no-cache", "--rules", tmp_path, "--test-rules").returncode == 0
    (tmp_path / "r.yaml").write_text(rule.replace("[en-GB]", "[klingon]"), encoding="utf-8")
    result = run_checker("--no-cache", "--rules", tmp_path, "--list-rules")
    assert result.returncode == 2 and "languages" in result.stderr and "r.yaml" in result.stderr
