"""Accuracy of the attribution rules (AT) on the development material in ../shared.

    python bench/eval_attribution.py [--skip-polnear] [--skip-weasel] [--skip-timing]

Prints:
1. gold (../shared/gold/attribution-dev.tsv): AT101 precision/recall against
   label N (a finding counts for the gold sentence holding its start; `?` rows
   left out), and AT104 findings per gold label (A and C must be 0);
2. PolNeAR train+dev: share of has_cue=1 sentences flagged by AT101, and the
   recogniser's precision/recall for "this sentence holds an attribution"
   against has_cue on dev;
3. wiki-weasel: AT103 precision/recall against label 1;
4. the AT family's share of the run time on the BBC corpus.
Skips with a message when ../shared is absent. Never reads ../shared/holdout.
"""

import argparse
import csv
import sys
import time
from bisect import bisect_right
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold" / "attribution-dev.tsv"

# The gold's `article` column names corpus paths; where they live under ../shared.
ARTICLE_ROOTS = {
    "seed/": SHARED / "seeds",
    "reuters21578/articles/": SHARED / "corpus" / "reuters",
    "bbc-news-2005/articles/": SHARED / "corpus" / "bbc",
    "wmt22-ruen-mt-news/": SHARED / "corpus" / "wmt22-ru-en",
}


def article_path(article):
    for prefix, folder in ARTICLE_ROOTS.items():
        if article.startswith(prefix):
            return folder / article[len(prefix) :]
    raise ValueError(f"unknown gold article prefix: {article}")


def _setup():
    sys.path.insert(0, str(ROOT))
    from checker.config import Settings
    from checker.rules import builtin_rules_dir, load_rules, select_rules

    rules = select_rules(load_rules([builtin_rules_dir()]), ["AT"])
    return rules, Settings()


def run_rules(text, path, rules, settings):
    """(findings, document) for one text."""
    from checker.pipeline import FileResult, check_text

    result = FileResult(str(path))
    doc = check_text(result, text, str(path), rules, settings)
    return result.findings, doc


def _holder(starts, offset):
    """Index of the span (sorted by start) holding `offset`: the last one starting at or before it."""
    return max(0, bisect_right(starts, offset) - 1)


def read_gold():
    articles = {}
    with open(GOLD, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            articles.setdefault(row["article"], []).append(row)
    return articles


def gold_scores(rules=None, settings=None, verbose=False):
    """AT101 against N and AT104 per label on the gold set; returns a dict of figures."""
    if rules is None:
        rules, settings = _setup()
    flagged = Counter()  # (code, label) -> sentences flagged
    vague = Counter()  # (vague column, AT103 on the sentence) -> sentences
    tp = fp = fn = 0
    errors = []
    for article, rows in read_gold().items():
        path = article_path(article)
        text = path.read_bytes().decode("utf-8-sig")
        findings, _ = run_rules(text, path, rules, settings)
        starts = [int(r["start"]) for r in rows]
        hit = {"AT101": set(), "AT104": set(), "AT103": set()}
        for finding in findings:
            if finding.code in hit:
                hit[finding.code].add(_holder(starts, finding.start))
        for index, row in enumerate(rows):
            label = row["label"]
            vague[row["vague"], index in hit["AT103"]] += 1
            for code in ("AT101", "AT104"):
                if index in hit[code]:
                    flagged[code, label] += 1
            if label == "?":
                continue
            predicted, needed = index in hit["AT101"], label == "N"
            tp += predicted and needed
            fp += predicted and not needed
            fn += needed and not predicted
            if predicted != needed:
                errors.append(("FP" if predicted else "FN", label, article, row["sent"], row["sentence"]))
    if verbose:
        for kind, label, article, sent, sentence in errors:
            print(f"  {kind} {label} {article}#{sent}: {sentence[:150]}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall,
        "AT104": {label: flagged["AT104", label] for label in "ACNO?"},
        "AT101": {label: flagged["AT101", label] for label in "ACNO?"},
        "AT103": {"vague": (vague["1", True], vague["1", True] + vague["1", False]), "not vague": (vague["0", True], vague["0", True] + vague["0", False])},
    }


def polnear_scores(rules, settings, verbose=False):
    """AT101 on has_cue sentences (train+dev); recogniser P/R against has_cue on dev."""
    from checker.kinds.attribution import analyse

    base = SHARED / "corpus" / "polnear"
    by_article = {}
    with open(base / "sentence_labels.tsv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            by_article.setdefault((row["compartment"], row["article"]), []).append(row)
    at101 = [r for r in rules if r.code == "AT101"][0]
    cue_sentences = cue_flagged = 0
    flagged_total = sentences_total = 0
    rec = Counter()
    misses = []
    for (split, article), rows in by_article.items():
        if split not in ("train", "dev"):
            continue
        path = base / split / "text" / f"{article}.txt"
        text = path.read_text(encoding="utf-8")
        findings, doc = run_rules(text, path, rules, settings)
        starts = [int(r["start"]) for r in rows]
        flagged = {_holder(starts, f.start) for f in findings if f.code == "AT101"}
        recognised = set()
        if split == "dev":
            for view in analyse(doc, at101.prepared, every_cue=True):
                # every cue the recogniser found: one checker sentence may span several of PolNeAR's
                recognised.update(_holder(starts, cue[0]) for cue in view.cues)
        for index, row in enumerate(rows):
            has_cue = row["has_cue"] == "1"
            sentences_total += 1
            flagged_total += index in flagged
            if has_cue:
                cue_sentences += 1
                cue_flagged += index in flagged
                if index in flagged and verbose:
                    misses.append(f"  AT101 on cue ({row['cue_texts']}): {row['sentence'][:150]}")
            if split == "dev":
                rec[index in recognised, has_cue] += 1
    if verbose:
        for line in misses[:60]:
            print(line)
    tp, fp, fn = rec[True, True], rec[True, False], rec[False, True]
    return {
        "cue_sentences": cue_sentences, "cue_flagged": cue_flagged,
        "cue_flagged_share": cue_flagged / cue_sentences if cue_sentences else 0.0,
        "flagged_share": flagged_total / sentences_total if sentences_total else 0.0,
        "recogniser_precision": tp / (tp + fp) if tp + fp else 0.0,
        "recogniser_recall": tp / (tp + fn) if tp + fn else 0.0,
    }


def weasel_scores(rules, settings, verbose=False):
    at103 = [r for r in rules if r.code == "AT103"]
    counts = Counter()
    examples = []
    with open(SHARED / "corpus" / "wiki-weasel" / "train.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            findings, _ = run_rules(row["text"].strip(), "weasel.txt", at103, settings)
            predicted, actual = bool(findings), row["label"] == "1"
            counts[predicted, actual] += 1
            if predicted and not actual and verbose:
                examples.append(f"  FP {findings[0].matched!r}: {row['text'].strip()[:140]}")
    if verbose:
        for line in examples[:40]:
            print(line)
    tp, fp, fn = counts[True, True], counts[True, False], counts[False, True]
    return {"tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0}


def timing(repeat=3):
    """CPU seconds over the BBC corpus (best of `repeat`): building the documents,
    each rule family's checks, and the AT family's share of the whole.

    Timed per rule on documents built once, with process CPU time, so that a
    findings cache or other processes on the machine do not distort the share."""
    from checker.config import Settings
    from checker.pipeline import build_document, decode
    from checker.rules import builtin_rules_dir, kind_module, load_rules, select_rules

    corpus = SHARED / "corpus" / "bbc"
    settings = Settings()
    rules = [r for r in select_rules(load_rules([builtin_rules_dir()]), None) if r.kind != "pipeline"]
    files = sorted(corpus.rglob("*.txt"))
    best = {}
    for _ in range(repeat):
        spent = {"documents": 0.0}
        for path in files:
            text = decode(path.read_bytes()).text
            start = time.process_time()
            doc = build_document(text, str(path), settings)
            spent["documents"] += time.process_time() - start
            for rule in rules:
                if not rule.applies_to(doc):
                    continue
                start = time.process_time()
                for _finding in kind_module(rule.kind).check(doc, rule, settings):
                    pass
                family = rule.code[:2]
                spent[family] = spent.get(family, 0.0) + time.process_time() - start
        for key, value in spent.items():
            best[key] = min(best.get(key, value), value)
    return best, len(files)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-polnear", action="store_true")
    parser.add_argument("--skip-weasel", action="store_true")
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the errors")
    args = parser.parse_args()
    if not GOLD.exists():
        print(f"skipped: {GOLD} is absent (../shared is research material outside the repository)")
        return 0
    rules, settings = _setup()
    gold = gold_scores(rules, settings, verbose=args.verbose)
    print(f"gold AT101 vs N: precision {gold['precision']:.3f} recall {gold['recall']:.3f} "
          f"(tp {gold['tp']}, fp {gold['fp']}, fn {gold['fn']})")
    print(f"gold AT101 sentences by label: {gold['AT101']}")
    print(f"gold AT104 sentences by label: {gold['AT104']} (A and C must be 0)")
    (hits, total), (false, others) = gold["AT103"]["vague"], gold["AT103"]["not vague"]
    print(f"gold AT103: on {hits} of {total} sentences marked vague, on {false} of {others} not marked vague")
    if not args.skip_polnear:
        pol = polnear_scores(rules, settings, verbose=args.verbose)
        print(f"PolNeAR train+dev: AT101 on {pol['cue_flagged']} of {pol['cue_sentences']} has_cue sentences "
              f"({pol['cue_flagged_share']:.1%}); AT101 on {pol['flagged_share']:.1%} of all sentences")
        print(f"PolNeAR dev recogniser vs has_cue: precision {pol['recogniser_precision']:.3f} "
              f"recall {pol['recogniser_recall']:.3f}")
    if not args.skip_weasel:
        weasel = weasel_scores(rules, settings, verbose=args.verbose)
        print(f"wiki-weasel AT103 vs label 1: precision {weasel['precision']:.3f} recall {weasel['recall']:.3f} "
              f"(tp {weasel['tp']}, fp {weasel['fp']}, fn {weasel['fn']})")
    if not args.skip_timing:
        best, count = timing()
        total = sum(best.values())
        parts = ", ".join(f"{key} {value:.2f} s" for key, value in sorted(best.items(), key=lambda kv: -kv[1]))
        print(f"BBC corpus ({count} files), CPU time best of 3: total {total:.2f} s ({parts}); "
              f"AT share {best.get('AT', 0.0) / total:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
