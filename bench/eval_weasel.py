"""Vague sources (AT103) against an outside labelling: CoNLL-2010's Wikipedia weasel sentences.

    python bench/eval_weasel.py [--half dev|test|both] [-v]

../shared/corpus/wiki-weasel/train.csv holds 7,363 English Wikipedia sentences, each
labelled 1 when it holds a weasel or uncertainty cue (Farkas et al. 2010), labelled
by people who never saw this checker. Each sentence is checked alone (its
Penn Treebank tokens rejoined), and AT103 counts for the sentence when it fires.

Label 1 also counts bare hedges ("may", "probably", "often"), which are no sources
and which AT103 leaves to AT101 by design, so recall here is a floor. A finding on a
label-0 sentence is a false alarm as those readers saw it. The sentences are split in
two halves by a hash of their text: `dev` may be read to find faults, and `test` is
only scored. Prints precision, recall and the share of label-0 sentences flagged per
half; -v lists the dev half's findings on label-0 sentences and misses. Skips when
../shared is absent.
"""

import argparse
import csv
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "wiki-weasel" / "train.csv"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def detokenise(text):
    """Penn Treebank tokens back to running text: brackets, quotes, punctuation, clitics."""
    text = text.replace("-LRB-", "(").replace("-RRB-", ")").replace("``", '"').replace("''", '"')
    text = re.sub(r" ([,.;:!?%)])", r"\1", text)
    text = re.sub(r"\( ", "(", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d)\b", r"\1", text)
    return " ".join(text.split())


def half(text):
    return "test" if int(hashlib.sha256(f"weasel-half-v1:{text}".encode()).hexdigest()[:8], 16) % 2 else "dev"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half", choices=["dev", "test", "both"], default="both")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the dev half's false alarms and misses")
    args = parser.parse_args()
    if not CORPUS.is_file():
        print(f"skipped: {CORPUS} is absent (../shared is research material outside the repository)")
        return 0
    from eval_attribution import findings_of, load_rules

    rules, settings = load_rules()
    rules = [rule for rule in rules if rule.code == "AT103"]
    counts = {}
    listed = []
    with open(CORPUS, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text, label = detokenise(row["text"]), row["label"].strip() == "1"
            part = half(text)
            if args.half not in ("both", part):
                continue
            found = findings_of(text, "sentence.txt", rules, settings)
            key = (part, label, bool(found))
            counts[key] = counts.get(key, 0) + 1
            if args.verbose and part == "dev" and label != bool(found):
                listed.append(("FP " + text[found[0].start : found[0].end] if found else "FN", text[:160]))
    for part in ("dev", "test"):
        tp, fp = counts.get((part, True, True), 0), counts.get((part, False, True), 0)
        fn, tn = counts.get((part, True, False), 0), counts.get((part, False, False), 0)
        if tp + fp + fn + tn == 0:
            continue
        print(f"{part:4s} {tp + fp + fn + tn:5d} sentences ({tp + fn} with a cue): AT103 precision {tp / max(1, tp + fp):.3f}, "
              f"recall {tp / max(1, tp + fn):.3f} (a floor: hedges count), label-0 sentences flagged {fp / max(1, fp + tn):.2%}")
    for kind, text in listed:
        print(f"  {kind} | {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
