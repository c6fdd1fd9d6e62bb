"""Accuracy of the attribution rules (AT) against the labelled sentences.

    python bench/eval_attribution.py [--split train|test] [--batch N] [--rules DIR] [-v]
        [--model data/model-encoder.yaml --threshold 0.6]

Reads the labels (tools/attribution_data.py: bench/attribution/labels.tsv and
../shared/gold/attribution-dev.tsv), runs the AT rules on each article, and
prints per corpus and overall:
- AT101 against label N: precision, recall, F1 (a finding counts for the
  labelled sentence holding its start; `?` sentences are left out);
- AT104 against N (the band below AT101), and its volume;
- AT103 against the `vague` mark: precision, recall;
- PolNeAR dev: the share of sentences holding an annotated cue (has_cue) that
  get AT101 (target: 5% or less);
- the number of AT104 findings per BBC article.

`--split train` (the default) is the development material. `--split test` is
the frozen test split of bench/attribution/PROTOCOL.md: run it once, on the
final rules, and report what it says. `--batch N` keeps one labelling batch: the
articles of a batch labelled after a model was trained are out of sample for it
in either split. Cross-validated figures of the model come from
tools/train_attribution_model.py. Skips when ../shared is absent.
"""

import argparse
import csv
import sys
from bisect import bisect_right
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

CORPORA = ("reuters", "bbc", "wmt22", "polnear")


def load_rules(rule_dirs=()):
    from checker.config import Settings
    from checker.rules import builtin_rules_dir, select_rules
    from checker.rules import load_rules as load

    rules = select_rules(load([builtin_rules_dir(), *rule_dirs]), ["AT"])
    return rules, Settings(language="en").validate()


CURVE = (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def with_threshold(rules, threshold):
    """AT101 alone, at another threshold."""
    from checker.rules import apply_overrides

    at101 = [rule.replace(params=dict(rule.params)) for rule in rules if rule.code == "AT101"]
    apply_overrides(at101[0], {"threshold": threshold})
    return at101


def findings_of(text, path, rules, settings):
    from checker.pipeline import FileResult, check_text

    result = FileResult(str(path))
    check_text(result, text, str(path), rules, settings)
    return result.findings


def holder(starts, offset):
    """Index of the labelled sentence holding `offset`: the last one starting at or before it."""
    return max(0, bisect_right(starts, offset) - 1)


def score(tp, fp, fn):
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(split, rules, settings, verbose=False, batch=None):
    from attribution_data import articles

    counts = defaultdict(Counter)  # corpus -> counter of (measure, outcome)
    errors = []
    for article in articles(split, batch):
        text = article.text
        findings = findings_of(text, SHARED / article.path, rules, settings)
        starts = [s[0] for s in article.sentences]
        hit = defaultdict(set)
        for finding in findings:
            hit[finding.code].add(holder(starts, finding.start))
        for corpus in (article.corpus, "all"):
            c = counts[corpus]
            for index, (_start, _end, label, vague) in enumerate(article.sentences):
                c["AT103", index in hit["AT103"], vague] += 1
                if label == "?":
                    continue
                for code in ("AT101", "AT104"):
                    c[code, index in hit[code], label == "N"] += 1
                c["labels", label] += 1
        if verbose:
            for index, (start, end, label, _vague) in enumerate(article.sentences):
                predicted = index in hit["AT101"]
                if label != "?" and predicted != (label == "N"):
                    errors.append(("FP" if predicted else "FN", label, article.path, " ".join(text[start:end].split())[:160]))
    return counts, errors


def polnear_cue_share(rules, settings):
    """AT101 on PolNeAR dev sentences holding an annotated cue (has_cue)."""
    base = SHARED / "corpus" / "polnear"
    by_article = defaultdict(list)
    with open(base / "sentence_labels.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row["compartment"] == "dev":
                by_article[row["article"]].append(row)
    cue = flagged = 0
    for article, rows in by_article.items():
        path = base / "dev" / "text" / f"{article}.txt"
        findings = findings_of(path.read_text(encoding="utf-8"), path, rules, settings)
        starts = [int(r["start"]) for r in rows]
        at101 = {holder(starts, f.start) for f in findings if f.code == "AT101"}
        for index, row in enumerate(rows):
            if row["has_cue"] == "1":
                cue += 1
                flagged += index in at101
    return flagged, cue


def bbc_volume(rules, settings):
    """(AT101, AT104) findings per BBC article, whole corpus."""
    files = sorted((SHARED / "corpus" / "bbc").glob("*.txt"))
    totals = Counter()
    for path in files:
        for finding in findings_of(path.read_bytes().decode("utf-8-sig"), path, rules, settings):
            totals[finding.code] += 1
    return {code: totals[code] / len(files) for code in ("AT101", "AT103", "AT104")}, len(files)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["train", "test"], default="train")
    parser.add_argument("--rules", action="append", default=[], help="another rule folder (a desk's own model)")
    parser.add_argument("--skip-polnear", action="store_true")
    parser.add_argument("--skip-volume", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="list AT101's errors")
    parser.add_argument("--curve", action="store_true", help="AT101's precision and recall at other thresholds too")
    parser.add_argument("--batch", type=int, help="only the articles of one labelling batch (0: the development gold)")
    parser.add_argument("--model", help="AT101's and AT104's model, as their `model` setting (data/model-encoder.yaml)")
    parser.add_argument("--threshold", type=float, help="AT101's and AT104's threshold")
    parser.add_argument("--band-low", type=float, help="AT104's band_low")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent (../shared is research material outside the repository)")
        return 0
    rules, settings = load_rules(args.rules)
    overrides = {k: v for k, v in (("model", args.model), ("threshold", args.threshold), ("band_low", args.band_low)) if v is not None}
    if overrides:
        from checker.rules import apply_overrides

        for rule in rules:
            if rule.code in ("AT101", "AT104"):
                apply_overrides(rule, overrides)
    counts, errors = evaluate(args.split, rules, settings, args.verbose, args.batch)
    print(f"split: {args.split}")
    print(f"{'corpus':8s} {'sentences':>9s} {'N':>4s}  AT101 P / R / F1      AT104 on N / others   AT103 P / R (vague)")
    for corpus in (*CORPORA, "all"):
        c = counts[corpus]
        if not c:
            continue
        p, r, f = score(c["AT101", True, True], c["AT101", True, False], c["AT101", False, True])
        p3, r3, _f3 = score(c["AT103", True, True], c["AT103", True, False], c["AT103", False, True])
        sentences = sum(v for k, v in c.items() if k[0] == "labels")
        print(f"{corpus:8s} {sentences:9d} {c['labels', 'N']:4d}  {p:.3f} / {r:.3f} / {f:.3f}   "
              f"{c['AT104', True, True]:4d} / {c['AT104', True, False]:<5d}        {p3:.3f} / {r3:.3f} ({c['AT103', True, True] + c['AT103', False, True]})")
    if args.curve:
        print("AT101 precision-recall curve (threshold: P / R / F1, all corpora):")
        for threshold in CURVE:
            at = with_threshold(rules, threshold)
            c = evaluate(args.split, at, settings, batch=args.batch)[0]["all"]
            p, r, f = score(c["AT101", True, True], c["AT101", True, False], c["AT101", False, True])
            print(f"  {threshold:.2f}: {p:.3f} / {r:.3f} / {f:.3f}")
    if args.verbose:
        for kind, label, path, sentence in errors:
            print(f"  {kind} {label} {path}: {sentence}")
    if not args.skip_polnear:
        flagged, cue = polnear_cue_share(rules, settings)
        print(f"PolNeAR dev: AT101 on {flagged} of {cue} sentences with an annotated cue ({flagged / cue:.1%}; target 5% or less)")
    if not args.skip_volume:
        per_article, files = bbc_volume(rules, settings)
        print(f"BBC ({files} articles), findings per article: " + ", ".join(f"{code} {value:.2f}" for code, value in per_article.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
