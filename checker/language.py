"""Languages: BCP 47 tags as settings take them, and telling a document's language.

Settings and declarations take BCP 47 tags (`en`, `en-GB`, `EN`, `pt-BR`): the
primary language subtag decides which rules apply, so `en-GB` and `en-US` are
English. Tags are validated and normalised by langcodes (the IANA subtag
registry it ships; `eng` becomes `en`, `iw` becomes `he`); an unknown tag is an
error, never a silent switch that turns rules off.

Detection counts the most frequent function words of a few Latin-script
languages in the first thousand characters. Below DETECT_MIN_WORDS words
it does not guess: a short note is checked in the configured or declared
language, and with neither its language is `und` (undetermined) and the
language-bound rules do not run (the run says so once).
"""

import re
from collections import Counter

from checker.errors import UsageError

UNDETERMINED = "und"
# Shorter texts are not guessed at: below it, windows of English news are told
# another language now and then, and above it hardly ever (bench/eval_language.py
# measures both, and the planted foreign sentences are never told English).
DETECT_MIN_WORDS = 20
# The first characters decide (about 170 words): the start of a story is prose,
# where lists further down (team sheets, tables) dilute the function words.
_SAMPLE_CHARS = 1000
_SHARE = 0.08  # the winning language's function words among all words, at least
_MARGIN = 1.5  # and this many times the runner-up's

# The most frequent function words (articles, pronouns, prepositions,
# conjunctions, auxiliaries) of each language, lowercase.
FUNCTION_WORDS = {
    "en": "the of and to in is was that for on with as by at from it he she has have are were had been will would which this said".split(),
    "de": "der die das und ist nicht den von zu mit sich des auf für im dem ein eine einer auch es an als wird werden nach bei".split(),
    "fr": "le la les et des est une un du dans que qui pour pas sur au par ne se plus avec il elle sont aux ont été cette".split(),
    "es": "el la los las y en que del se por con una un para es su al lo como más pero sus le ha fue son está".split(),
    "it": "il di che la è e per una in del della un non sono le si con da dei nel alla anche gli ha questo".split(),
    "pt": "o a os as de que e do da em um uma para com não por mais dos das se na no foi ao são pelo".split(),
    "nl": "de het een en van in is dat op te zijn met voor niet aan er door ook als bij maar om werd naar".split(),
    "sv": "och att det som en på är av för med till den har inte om ett var men från de sig kan vid".split(),
    "da": "og at det som en på er af for med til den har ikke om et var men fra de sig kan ved blev".split(),
    "pl": "i w na nie z się do że to jest o jak po ale od za przez dla już tak przy tym oraz był".split(),
    "cs": "a v se na je že s z do to o jako pro by ale od jsou po za jeho které byl také".split(),
    "ro": "și de în la a cu că pe nu o din este un mai care se pentru au fost sau ca iar".split(),
    "tr": "ve bir bu da de için ile olarak çok daha ama gibi en olan sonra kadar ya var değil ne".split(),
    "id": "yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke ada oleh karena sudah bisa".split(),
}
# Words of Latin letters, after lowercasing (ASCII, Latin-1 and Latin Extended):
# every function word listed is one, and a class of ranges is matched far faster
# than Unicode's letter property.
_LETTERS = re.compile(r"[a-zà-ɏ]+")


def primary_language(tag, where=None):
    """The primary language subtag of a BCP 47 tag (`en-GB` -> `en`, `EN` -> `en`,
    `eng` -> `en`); UsageError naming `where` for a tag that is not one."""
    return language_tag(tag, where).split("-", 1)[0]


def language_tag(tag, where=None):
    """The tag in its standard form (`EN-gb` -> `en-GB`); UsageError when it is not a valid BCP 47 tag."""
    import langcodes  # lazy: only when a language is set or declared

    prefix = f"{where}: " if where else ""
    if not isinstance(tag, str) or not tag.strip():
        raise UsageError(f"{prefix}language must be a BCP 47 tag such as 'en' or 'en-GB', not {tag!r}")
    try:
        standard = langcodes.standardize_tag(tag.strip())
        valid = langcodes.tag_is_valid(standard) and not standard.startswith("x-")
    except (ValueError, langcodes.LanguageTagError):
        valid = False
    if not valid:
        hint = f" (that is '{_BY_NAME[tag.strip().lower()]}')" if tag.strip().lower() in _BY_NAME else ""
        raise UsageError(f"{prefix}unknown language {tag!r}: use a BCP 47 tag such as 'en', 'en-GB' or 'bg'{hint}")
    return standard


# Names people write where a tag belongs, for the error's hint.
_BY_NAME = {
    "english": "en", "german": "de", "french": "fr", "spanish": "es", "italian": "it", "portuguese": "pt",
    "russian": "ru", "bulgarian": "bg", "ukrainian": "uk", "polish": "pl", "chinese": "zh", "arabic": "ar",
}


def detect_language(text, main_scripts):
    """The primary subtag of the language `text` is written in, or None when it cannot
    tell: a script other than Latin, fewer than DETECT_MIN_WORDS words, or no language
    clearly ahead."""
    if main_scripts[0] != "Latin":
        return None
    words = _LETTERS.findall(text[:_SAMPLE_CHARS].lower())
    if len(words) < DETECT_MIN_WORDS:
        return None
    counts = dict.fromkeys(FUNCTION_WORDS, 0)
    found = Counter(words)
    for word in found.keys() & _LANGUAGES_OF.keys():  # the function words present, found in C
        for language in _LANGUAGES_OF[word]:
            counts[language] += found[word]
    ranked = sorted(counts, key=counts.get, reverse=True)
    best, second = counts[ranked[0]], counts[ranked[1]]
    if best >= _SHARE * len(words) and best >= _MARGIN * second:
        return ranked[0]
    return None


_LANGUAGES_OF = {}
for _language, _words in FUNCTION_WORDS.items():
    for _word in _words:
        _LANGUAGES_OF.setdefault(_word, []).append(_language)
