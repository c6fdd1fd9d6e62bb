"""IPTC NewsML-G2 (XML), and NITF or XHTML documents on their own.

Per item (newsItem, packageItem, conceptItem, knowledgeItem, planningItem,
catalogItem; each item of a newsMessage): the text of `contentSet/inlineXML`
(XHTML or NITF, read as markup: see checker.formats.markup) and
`contentSet/inlineData`, and `headline`, `description` and `dateline` in
`contentMeta`; the timestamps `itemMeta/firstCreated`, `itemMeta/versionCreated`,
`itemMeta/embargoed` and `contentMeta/contentCreated`. `xml:lang` (or
`contentMeta/language/@tag`) is the item's language. A guideline fragment whose
root is a NewsML-G2 element (a contentSet alone) is read as one item.
"""

from checker.formats.base import Item, NotNews
from checker.formats.markup import Blocks

NAMESPACE = "http://iptc.org/std/nar/2006-10-01/"
ITEMS = frozenset({"newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem", "catalogItem"})
_TIMESTAMPS = (("itemMeta", "firstCreated"), ("itemMeta", "versionCreated"), ("itemMeta", "embargoed"), ("contentMeta", "contentCreated"))


# parts of an item that the NewsML-G2 Guidelines show on their own, often with no namespace
FRAGMENTS = frozenset({"newsMessage", "itemSet", "itemMeta", "contentMeta", "contentSet", "groupSet", "inlineXML"})


def is_newsml(root):
    return root.namespace == NAMESPACE or root.name in ITEMS or root.name in FRAGMENTS


def items(root):
    """The Items of a parsed document (checker.formats.xmltext.parse)."""
    if root.name in ("nitf", "html"):  # NITF or XHTML on its own: one article
        item = Item(language=root.language or _html_language(root))
        item.add_blocks(_blocks(root, whole=False))
        return [item]
    if not is_newsml(root):
        raise NotNews(f"<{root.name}> is not a NewsML-G2, NITF or XHTML document")
    elements = list(_item_elements(root)) or [root]
    many = len(elements) > 1 or root.name == "newsMessage"
    return [_item(element, many) for element in elements]


def _item_elements(element):
    for child in element.elements():
        if child.name in ITEMS:
            yield child
        else:
            yield from _item_elements(child)


def _part(element, name):
    """The item's itemMeta, contentMeta or contentSet (the element itself in a fragment)."""
    return element if element.name == name else element.first(name)


def _item(element, many):
    meta, content, content_set = _part(element, "itemMeta"), _part(element, "contentMeta"), _part(element, "contentSet")
    language = element.language
    if content is not None and content.first("language") is not None:
        language = language or content.first("language").attributes.get("tag")
    item = Item(record=element.attributes.get("guid") if many else None, language=language)
    for part_name, name in _TIMESTAMPS:
        part = meta if part_name == "itemMeta" else content
        for stamp in part.elements(name) if part is not None else ():
            for _role, piece in _blocks(stamp):
                item.timestamps.append((name, piece))
    if content is not None:
        for index, headline in enumerate(piece for h in content.elements("headline") for _r, piece in _blocks(h)):
            item.header.append(("headline" if index == 0 else "title", headline))
        for dateline in content.elements("dateline"):
            item.header += [("dateline", piece) for _r, piece in _blocks(dateline)]
        for description in content.elements("description"):
            item.body += [piece for _r, piece in _blocks(description)]
    if content_set is not None:
        for inline in content_set.elements():
            if inline.name == "inlineXML":
                item.add_blocks(_blocks(inline, whole=False))
            elif inline.name == "inlineData" and not inline.attributes.get("encoding"):
                item.body += [child.strip() for child in inline.children if not hasattr(child, "name") and child.text.strip()]
    return item


def _blocks(element, whole=True):
    """[(role, Piece)] of an element's text, white space collapsed; `whole`: the element is one paragraph."""
    blocks = Blocks()
    if whole:
        blocks.start("p")
    for child in element.children:
        if hasattr(child, "name"):
            child.walk(blocks)
        else:
            blocks.text(child)
    if whole:
        blocks.end("p")
    return blocks.close()


def _html_language(root):
    return root.attributes.get("lang")
