"""The labelled attribution sentences, read for training and measuring.

    from attribution_data import articles
    for article in articles(split="train"): ...

Two sources, both keyed by paths under ../shared and character offsets (no
text is stored in the repository):
- bench/attribution/labels.tsv: the articles labelled for issue 21 in batches
  (bench/attribution/PROTOCOL.md: 178 in batch 1, 110 in batch 2, 144 in batch 3), sentence
  offsets as the checker splits them;
- ../shared/gold/attribution-dev.tsv: the 25 articles of the development gold,
  split by another splitter (a finding counts for the sentence holding its start).

Each article belongs to a corpus (reuters, bbc, wmt22, polnear; the seed counts
as wmt22, machine-translated agency copy) and to the train or the frozen test
split (tools/attribution_labels.is_test). The test split is read only for the
final, single measurement.
"""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LABELS = ROOT / "bench" / "attribution" / "labels.tsv"
DEV_GOLD = SHARED / "gold" / "attribution-dev.tsv"
sys.path.insert(0, str(ROOT / "tools"))

from attribution_labels import DEV_PREFIXES, is_test  # noqa: E402


class Article:
    base = SHARED  # where `path` is relative to

    def __init__(self, path, corpus, split, sentences, batch=0):
        self.path = path  # under `base` (../shared for ours)
        self.corpus = corpus
        self.split = split
        self.batch = batch  # the labelling batch (bench/attribution/PROTOCOL.md); 0: the development gold
        self.sentences = sentences  # [(start, end, label, vague)] sorted by start; label in A C N O ?

    @property
    def text(self):
        return (self.base / self.path).read_bytes().decode("utf-8-sig")


def corpus_of(path):
    for prefix, corpus in (("corpus/reuters", "reuters"), ("corpus/bbc", "bbc"), ("corpus/wmt22", "wmt22"), ("seeds/", "wmt22"), ("corpus/polnear", "polnear")):
        if path.startswith(prefix):
            return corpus
    raise ValueError(path)


def desk_articles(labels, base):
    """A desk's own labelled articles, from a TSV of the same columns as labels.tsv
    (path, start, end, label, vague; other columns are ignored), paths relative to
    `base`. Each article's corpus is the first folder of its path."""
    found = {}
    with open(labels, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in rows:
            found.setdefault(row["path"], []).append((int(row["start"]), int(row["end"]), row["label"], row.get("vague") == "1"))
    result = []
    for path in sorted(found):
        article = Article(path, path.split("/", 1)[0] if "/" in path else "copy", "train", sorted(found[path]))
        article.base = Path(base)
        result.append(article)
    return result


def articles(split="train", batch=None):
    """The labelled articles of a split ('train', 'test' or 'all'), in a stable order;
    `batch`: only those of one labelling batch (0: the development gold)."""
    found, batches = {}, {}
    with open(LABELS, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in rows:
            found.setdefault(row["path"], []).append((int(row["start"]), int(row["end"]), row["label"], row["vague"] == "1"))
            batches[row["path"]] = int(row["batch"])
    with open(DEV_GOLD, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            path = next(folder + row["article"][len(prefix):] for prefix, folder in DEV_PREFIXES.items() if row["article"].startswith(prefix))
            found.setdefault(path, []).append((int(row["start"]), int(row["end"]), row["label"], row["vague"] == "1"))
    result = []
    for path in sorted(found):
        article_split = "test" if is_test(path) else "train"
        article_batch = batches.get(path, 0)
        if split in ("all", article_split) and batch in (None, article_batch):
            result.append(Article(path, corpus_of(path), article_split, sorted(found[path]), article_batch))
    return result
