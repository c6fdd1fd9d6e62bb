"""Build labelling packets for the attribution set, and merge the readers' labels.

    python tools/attribution_labels.py packets --out DIR [--batch N]  # select articles, write packets
    python tools/attribution_labels.py third DIR             # packets of the sentences readers disagree on
    python tools/attribution_labels.py merge DIR [DIR ...]   # readers' TSVs -> bench/attribution/labels.tsv
                                                             # (the folders of batch 1, 2, ... in order)

A batch adds articles to those before it: batch N takes, per stratum, the next
articles in the same hash order, so the selection of every batch is fixed by the
protocol and no article is labelled twice across batches. `merge` reads every
batch's folder and writes the one labels file.

The protocol (which articles, which split, how disagreements are settled) is
written down in docs/accuracy.md and fixed before any model is fitted. Packets
hold article text and stay outside the repository; the labels file holds only
corpus paths, character offsets and labels.
"""

import argparse
import csv
import hashlib
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LABELS = ROOT / "bench" / "attribution" / "labels.tsv"
sys.path.insert(0, str(ROOT))

# Strata: (name, corpus glob under ../shared, articles to take). Sport and
# entertainment are their own strata; PolNeAR is partisan US politics and holds
# the opinion pieces; BBC politics and business hold the analysis.
# The third number is the articles each batch takes (batch 1, batch 2, ...).
STRATA = [
    ("reuters", "corpus/reuters/reut-*.txt", (40, 24, 30)),
    ("bbc-business", "corpus/bbc/business_*.txt", (24, 14, 18)),
    ("bbc-politics", "corpus/bbc/politics_*.txt", (14, 10, 14)),
    ("bbc-tech", "corpus/bbc/tech_*.txt", (10, 6, 10)),
    ("bbc-sport", "corpus/bbc/sport_*.txt", (14, 8, 10)),
    ("bbc-entertainment", "corpus/bbc/entertainment_*.txt", (14, 8, 10)),
    ("wmt22", "corpus/wmt22-ru-en/[mr]*_en/**/*.txt", (32, 20, 12)),
    ("polnear", "corpus/polnear/[td][re][av]*/text/*.txt", (30, 20, 40)),
]
# The development gold (../shared/gold/attribution-dev.tsv) names its articles so.
DEV_PREFIXES = {
    "seed/": "seeds/",
    "reuters21578/articles/": "corpus/reuters/",
    "bbc-news-2005/articles/": "corpus/bbc/",
    "wmt22-ruen-mt-news/": "corpus/wmt22-ru-en/",
}
SECOND_READING_SHARE = 0.3  # of articles; the issue asks for at least 20% of sentences
PACKET_SENTENCES = 330
SENTENCES = (3, 80)  # articles shorter or longer are not taken: one long piece would outweigh a stratum


def digest(key, salt):
    return int(hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()[:12], 16)


def article_key(path):
    """What an article is, for splitting: a WMT22 document in any translation is one article."""
    if path.startswith("corpus/wmt22-ru-en/"):
        name = path.rsplit("/", 1)[1]
        return "wmt22:" + name.removesuffix(".txt").removesuffix(".refA")
    return path


def is_test(path):
    """The frozen test split: a fifth of the articles, by a hash of the article key."""
    return digest(article_key(path), "attribution-split-v1") % 5 == 0


def dev_gold_paths():
    gold = SHARED / "gold" / "attribution-dev.tsv"
    paths = set()
    with open(gold, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            for prefix, folder in DEV_PREFIXES.items():
                if row["article"].startswith(prefix):
                    paths.add(folder + row["article"][len(prefix):])
    return paths


def select_articles(batch=1):
    """The articles of `batch`, per stratum, taken in hash order after those of the
    batches before it; WMT22 documents once each, dev gold left out."""
    taken_keys = {article_key(p) for p in dev_gold_paths()}
    chosen = []
    for stratum, pattern, counts in STRATA:
        before, count = sum(counts[: batch - 1]), sum(counts[:batch])
        candidates = sorted(str(p.relative_to(SHARED)) for p in SHARED.glob(pattern) if p.name != "README.md")
        candidates.sort(key=lambda p: digest(p, "attribution-select-v1"))
        taken = 0
        for path in candidates:
            if taken == count:
                break
            key = article_key(path)
            if key in taken_keys or not SENTENCES[0] <= len(sentences_of(path)[1]) <= SENTENCES[1]:
                continue
            taken_keys.add(key)
            if taken >= before:
                chosen.append((stratum, path))
            taken += 1
    return chosen


def sentences_of(path):
    """(headline, [(paragraph, start, end, text)]) as the checker's document model splits them."""
    from checker.document import Document

    text = (SHARED / path).read_bytes().decode("utf-8-sig")
    doc = Document(text, path)
    headline = doc.header.headline.text if doc.header.headline else ""
    rows = [(s.paragraph, s.start, s.end, " ".join(s.text.split())) for s in doc.sentences]
    return headline, rows


def write_packet(folder, name, articles, intro):
    lines = [intro, ""]
    total = 0
    for path, headline, rows in articles:
        lines.append(f"=== ARTICLE {path}")
        if headline:
            lines.append(f"(headline, not to label: {headline})")
        paragraph = None
        for index, (para, _, _, sentence) in enumerate(rows):
            if paragraph is not None and para != paragraph:
                lines.append("")
            paragraph = para
            lines.append(f"[{index}] {sentence}")
            total += 1
        lines.append("")
    (folder / f"{name}.txt").write_text("\n".join(lines), encoding="utf-8")
    return total


INTRO = (
    "Label every numbered sentence below following GUIDELINES.md. Blank lines separate paragraphs; "
    "a headline line is context only. Write one row per numbered sentence."
)


def make_packets(out, batch=1):
    out.mkdir(parents=True, exist_ok=True)
    articles = []
    for stratum, path in select_articles(batch):
        headline, rows = sentences_of(path)
        if rows:
            articles.append((stratum, path, headline, rows))
    manifest = {"articles": {}, "packets": {}}
    for stratum, path, _headline, rows in articles:
        manifest["articles"][path] = {
            "stratum": stratum, "test": is_test(path),
            "second": digest(article_key(path), "attribution-second-v1") % 100 < SECOND_READING_SHARE * 100,
            "sentences": [[start, end] for _, start, end, _ in rows],
        }
    # First readings: articles in hash order, cut into packets of about PACKET_SENTENCES.
    order = sorted(articles, key=lambda a: digest(a[1], "attribution-packet-v1"))

    def cut(items, prefix):
        packets, current, size = [], [], 0
        for _, path, headline, rows in items:
            current.append((path, headline, rows))
            size += len(rows)
            if size >= PACKET_SENTENCES:
                packets.append(current)
                current, size = [], 0
        if current:
            packets.append(current)
        for number, packet in enumerate(packets, 1):
            name = f"{prefix}{number:02d}"
            count = write_packet(out, name, packet, INTRO)
            manifest["packets"][name] = {"articles": [p for p, _, _ in packet], "sentences": count}

    cut(order, "first-")
    seconds = [a for a in order if manifest["articles"][a[1]]["second"]]
    seconds.sort(key=lambda a: digest(a[1], "attribution-packet-v2"))
    cut(seconds, "second-")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    total = sum(len(a[3]) for a in articles)
    second = sum(len(a[3]) for a in seconds)
    print(f"{len(articles)} articles, {total} sentences; second reading {len(seconds)} articles, {second} sentences ({second / total:.0%})")
    print(Counter(a[0] for a in articles))
    for name, packet in manifest["packets"].items():
        print(f"  {name}: {len(packet['articles'])} articles, {packet['sentences']} sentences")


def read_reader(path):
    """{(article, sent): (label, vague)} from one reader's TSV."""
    rows = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            label = (row.get("label") or "").strip().upper()
            if label not in ("A", "C", "N", "O"):
                raise SystemExit(f"{path}: bad label {label!r} for {row.get('article')} #{row.get('sent')}")
            vague = (row.get("vague") or "0").strip() == "1"
            rows[row["article"].strip(), int(row["sent"])] = (label, vague)
    return rows


def readings(folder):
    """{(article, sent): [(reader, label, vague), ...]} over every reader file in `folder`."""
    manifest = json.loads((folder / "manifest.json").read_text())
    found = defaultdict(list)
    for name, packet in manifest["packets"].items():
        answer = folder / f"{name}.tsv"
        if not answer.exists():
            print(f"missing: {answer}", file=sys.stderr)
            continue
        rows = read_reader(answer)
        for article in packet["articles"]:
            count = len(manifest["articles"][article]["sentences"])
            for sent in range(count):
                if (article, sent) not in rows:
                    raise SystemExit(f"{answer}: no row for {article} #{sent}")
                label, vague = rows[article, sent]
                found[article, sent].append((name, label, vague))
    third_answer = folder / "third-01.tsv"
    if third_answer.exists():  # the third reading of the sentences the first two disagree on
        rows = read_reader(third_answer)
        for article, sents in manifest.get("third", {}).items():
            for sent in sents:
                if (article, sent) not in rows:
                    raise SystemExit(f"{third_answer}: no row for {article} #{sent}")
                label, vague = rows[article, sent]
                found[article, sent].append(("third-01", label, vague))
    return manifest, found


def kappa(pairs):
    """Cohen's kappa for two readers' binary judgements [(a, b), ...]."""
    n = len(pairs)
    if not n:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    pa = sum(a for a, _ in pairs) / n
    pb = sum(b for _, b in pairs) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def merge(folders):
    manifest, found = {"articles": {}}, {}
    for batch, folder in enumerate(folders, 1):
        batch_manifest, batch_found = readings(folder)
        for info in batch_manifest["articles"].values():
            info["batch"] = batch
        manifest["articles"].update(batch_manifest["articles"])
        found.update(batch_found)
    pairs = [(r[0][1] == "N", r[1][1] == "N") for r in found.values() if len(r) >= 2]  # the first two readers
    vague_pairs = [(r[0][2], r[1][2]) for r in found.values() if len(r) >= 2]
    four = sum(r[0][1] == r[1][1] for r in found.values() if len(r) >= 2)
    print(f"doubly read: {len(pairs)} sentences; N kappa {kappa(pairs):.3f}; "
          f"four-label agreement {four / max(1, len(pairs)):.3f}; vague kappa {kappa(vague_pairs):.3f}")
    LABELS.parent.mkdir(parents=True, exist_ok=True)
    counts = Counter()
    with open(LABELS, "w", encoding="utf-8", newline="") as handle:
        handle.write("# Attribution labels: see docs/accuracy.md. Offsets are code points into ../shared/<path>.\n")
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["path", "stratum", "split", "batch", "sent", "start", "end", "label", "vague", "readings"])
        for article, info in sorted(manifest["articles"].items()):
            for sent, (start, end) in enumerate(info["sentences"]):
                got = found.get((article, sent), [])
                if not got:
                    continue
                label, vague = settle(got)
                counts[label] += 1
                writer.writerow([article, info["stratum"], "test" if info["test"] else "train", info["batch"], sent, start, end,
                                 label, vague, ",".join(g[1] + ("v" if g[2] else "") for g in got)])
    print(f"wrote {LABELS}: {dict(counts)}")


def settle(got):
    """One label from the readings: the majority; with two that disagree, '?' (a third reading settles it)."""
    labels = Counter(g[1] for g in got)
    label, top = labels.most_common(1)[0]
    if len(got) >= 2 and top * 2 <= len(got):
        label = "?"
    vague = sum(g[2] for g in got) * 2 > len(got)
    return label, int(vague)


def third(folder):
    """Packets of the sentences the two readers disagree on, whole articles for context."""
    manifest, found = readings(folder)
    disputed = defaultdict(set)
    for (article, sent), got in found.items():
        if len(got) == 2 and got[0][1] != got[1][1]:
            disputed[article].add(sent)
    articles = []
    for article in sorted(disputed):
        headline, rows = sentences_of(article)
        articles.append((article, headline, rows, sorted(disputed[article])))
    print(f"{sum(len(s) for s in disputed.values())} disputed sentences in {len(articles)} articles")
    # A third packet labels only the disputed sentences, but shows the article around them.
    lines = ["Label ONLY the sentences marked >>> below, following GUIDELINES.md; the other sentences are context. "
             "Write one row per marked sentence.", ""]
    for article, headline, rows, marked in articles:
        lines.append(f"=== ARTICLE {article}")
        if headline:
            lines.append(f"(headline, not to label: {headline})")
        paragraph = None
        for index, (para, _, _, sentence) in enumerate(rows):
            if paragraph is not None and para != paragraph:
                lines.append("")
            paragraph = para
            lines.append(f"{'>>> ' if index in marked else '    '}[{index}] {sentence}")
        lines.append("")
    (folder / "third-01.txt").write_text("\n".join(lines), encoding="utf-8")
    manifest["third"] = {a: sorted(s) for a, s in disputed.items()}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    packets = sub.add_parser("packets")
    packets.add_argument("--out", type=Path, required=True)
    packets.add_argument("--batch", type=int, default=1, choices=range(1, len(STRATA[0][2]) + 1))
    sub.add_parser("merge").add_argument("folders", type=Path, nargs="+")
    sub.add_parser("third").add_argument("folder", type=Path)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent", file=sys.stderr)
        return 0
    if args.command == "packets":
        make_packets(args.out, args.batch)
    elif args.command == "merge":
        merge(args.folders)
    else:
        third(args.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
