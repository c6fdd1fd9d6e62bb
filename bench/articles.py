"""Corpus articles written in the formats agencies and archives store them in, for the
bench/ scripts: ninjs 1.x, 2.x and 3.x, NewsML-G2, HTML, JSON Lines and CSV.

No writer declares a language: the checker detects it from the same text as for the .txt.
An article is read from a .txt of ../shared/corpus as the checker reads it: BBC
(headline, blank line, paragraphs) and Reuters (timestamp line, headline, hard-wrapped
body). Each writer keeps the text exactly; the markup writers (HTML bodies, XHTML in
NewsML-G2) put one paragraph in each <p>, escaped. Not a module of the package.
"""

import csv
import html
import io
import json
import re
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


class Article:
    def __init__(self, name, headline, body, timestamp=None):
        self.name, self.headline, self.body, self.timestamp = name, headline, body, timestamp

    @property
    def paragraphs(self):
        return [p for p in re.split(r"\n[ \t]*\n", self.body) if p.strip()]


def read_article(path):
    """An Article from a corpus file: Reuters when its first line is a timestamp, else BBC."""
    text = path.read_text(encoding="utf-8")
    first, _, rest = text.partition("\n")
    if re.match(r"\d{4}-\d{2}-\d{2} ", first):
        headline, _, body = rest.partition("\n")
        return Article(path.stem, headline.strip(), body, first.strip())
    headline, _, body = text.partition("\n\n")
    return Article(path.stem, headline.strip(), body)


def corpus(name, count):
    """The first `count` articles of ../shared/corpus/NAME (sorted by file name), or None when absent."""
    folder = SHARED / "corpus" / name
    if not folder.is_dir():
        return None
    return [read_article(p) for p in sorted(folder.glob("*.txt"))[:count]]


def _html_paragraphs(article):
    """One <p> a paragraph; a line break within one (a list written as lines) is a <br>."""
    return "".join("<p>" + "<br>".join(html.escape(line, quote=False) for line in p.split("\n")) + "</p>" for p in article.paragraphs)


def ninjs_1(article):
    item = {"uri": f"urn:bench:{article.name}", "type": "text", "headline": article.headline, "body_text": article.body}
    if article.timestamp:
        item["versioncreated"] = article.timestamp
    return json.dumps(item, ensure_ascii=False, indent=2)


def ninjs_2(article):
    """2.x with an HTML body (one <p> a paragraph), every non-ASCII character escaped."""
    item = {"uri": f"urn:bench:{article.name}", "type": "text", "headlines": [{"role": "main", "value": article.headline}],
            "bodies": [{"role": "main", "contentType": "text/html", "value": _html_paragraphs(article)}]}
    if article.timestamp:
        item["versioncreated"] = article.timestamp
    return json.dumps(item, ensure_ascii=True, indent=2)


def ninjs_3(article):
    """3.x with a plain-text body: hard-wrapped copy (Reuters) keeps its lines."""
    item = {"uri": f"urn:bench:{article.name}", "type": "text", "headlines": [{"role": "main", "value": article.headline}],
            "bodies": [{"role": "main", "contentType": "text/plain", "value": article.body}]}
    if article.timestamp:
        item["versionCreated"] = article.timestamp
    return json.dumps(item, ensure_ascii=False, indent=2)


def _xml(text):
    return html.escape(text, quote=False)


def newsml(article, plain=False):
    """A NewsML-G2 newsItem: the body as XHTML paragraphs, or (`plain`) as text/plain inlineData."""
    meta = f"<versionCreated>{_xml(article.timestamp)}</versionCreated>" if article.timestamp else ""
    if plain:
        content = f'<inlineData contenttype="text/plain">{_xml(article.body)}</inlineData>'
    else:
        paragraphs = "\n".join("      <p>" + "<br/>".join(_xml(line) for line in p.split("\n")) + "</p>" for p in article.paragraphs)
        content = (
            '<inlineXML contenttype="application/xhtml+xml">\n    <html xmlns="http://www.w3.org/1999/xhtml"><body>\n'
            f"{paragraphs}\n    </body></html>\n  </inlineXML>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:bench:{article.name}" version="1" standard="NewsML-G2" standardversion="2.35">\n'
        f'  <itemMeta><itemClass qcode="ninat:text"/>{meta}</itemMeta>\n'
        f"  <contentMeta><headline>{_xml(article.headline)}</headline></contentMeta>\n"
        f"  <contentSet>{content}</contentSet>\n</newsItem>\n"
    )


def html_page(article):
    meta = f'<meta property="article:published_time" content="{html.escape(article.timestamp)}">\n' if article.timestamp else ""
    return (
        f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n{meta}</head>\n<body>\n'
        f"<h1>{html.escape(article.headline, quote=False)}</h1>\n{_html_paragraphs(article)}\n</body>\n</html>\n"
    )


def jsonl_record(article, index=None):
    """One JSON Lines record: id, headline, body (and published when the article has a timestamp)."""
    record = {"id": article.name if index is None else f"{article.name}-{index}", "headline": article.headline, "body": article.body}
    if article.timestamp:
        record["published"] = article.timestamp
    return json.dumps(record, ensure_ascii=False) + "\n"


def csv_archive(articles):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "headline", "published", "body"])
    for article in articles:
        writer.writerow([article.name, article.headline, article.timestamp or "", article.body])
    return out.getvalue()


ARCHIVE_FLAGS = ["--headline-field", "headline", "--date-field", "published"]
