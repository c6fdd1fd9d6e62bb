"""How long must a text be before checker.language.detect_language can tell it is English?

    python bench/eval_language.py [--windows 400]

For each length in words, windows of that many words are cut (at random, seeded)
from English news in ../shared (BBC, Reuters, WMT22 English) and the share told
English is printed, with how many were told another language. The planted
foreign sentences of tests/planted/language (none may be called English) are
run at every length setting too. This is what DETECT_MIN_WORDS rests on.
Skips the corpus part when ../shared is absent.
"""

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from checker import language  # noqa: E402
from checker.yamlio import load_yaml_file  # noqa: E402

CORPORA = {
    "bbc": "corpus/bbc/*.txt",
    "reuters": "corpus/reuters/reut-*.txt",
    "wmt22-en": "corpus/wmt22-ru-en/[mr]*_en/**/*.txt",
}
_WORD_SPANS = re.compile(r"\S+")


def windows(pattern, length, count, rng):
    files = sorted(SHARED.glob(pattern))
    found = []
    for _ in range(count * 3):
        text = rng.choice(files).read_text(encoding="utf-8-sig")
        words = _WORD_SPANS.findall(text)
        if len(words) < length:
            continue
        start = rng.randrange(0, len(words) - length + 1)
        found.append(" ".join(words[start : start + length]))
        if len(found) == count:
            break
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--windows", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    planted = load_yaml_file(ROOT / "tests" / "planted" / "language" / "sentences.yaml")
    lengths = (5, 8, 10, 12, 15, 20, 30)
    original = language.DETECT_MIN_WORDS
    print("planted foreign sentences told English, by DETECT_MIN_WORDS:")
    for minimum in lengths:
        language.DETECT_MIN_WORDS = minimum
        told = {}
        wrong = []
        for lang, sentences in planted.items():
            for sentence in sentences:
                got = language.detect_language(sentence, ("Latin",))
                told[got] = told.get(got, 0) + 1
                if got == "en":
                    wrong.append((lang, sentence))
        total = sum(told.values())
        right = sum(1 for lang, sentences in planted.items() for s in sentences if language.detect_language(s, ("Latin",)) == lang)
        print(f"  {minimum:3d}: {len(wrong)} of {total} told English; {right} told their own language; {told.get(None, 0)} not told")
    language.DETECT_MIN_WORDS = 1  # measure the detector itself at each window length
    if not SHARED.is_dir():
        print(f"skipped the corpora: {SHARED} is absent")
        return 0
    rng = random.Random(args.seed)
    print(f"\nEnglish news windows told English ({args.windows} windows per corpus and length):")
    print("  words  " + "  ".join(f"{name:>10s}" for name in CORPORA) + "   (other language)")
    for length in lengths:
        cells, other = [], 0
        for pattern in CORPORA.values():
            sample = windows(pattern, length, args.windows, rng)
            told = [language.detect_language(text, ("Latin",)) for text in sample]
            cells.append(f"{sum(t == 'en' for t in told) / len(told):10.3f}")
            other += sum(t not in (None, "en") for t in told)
        print(f"  {length:5d}  " + "  ".join(cells) + f"   {other}")
    language.DETECT_MIN_WORDS = original
    return 0


if __name__ == "__main__":
    sys.exit(main())
