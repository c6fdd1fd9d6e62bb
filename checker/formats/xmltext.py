"""XML read safely, with the place of every piece of text in the stored file.

The parser is the standard library's expat binding driven through defusedxml,
which refuses entity declarations (the billion-laughs and quadratic-blowup
attacks are built from them) and external references (XXE: `<!ENTITY x SYSTEM
"file:///etc/passwd">`); expat itself never fetches anything. A refusal is a
`Malformed`, as is any syntax error, with the parser's line and column.

The document becomes a small tree of `Element`s whose text children are
Pieces: expat hands over decoded character data with the line and column
(counted in code points) where it starts, and `_aligned` walks it against the
stored text to find each entity, character reference and CRLF.
"""

import io
from xml.sax import SAXException, SAXParseException
from xml.sax.handler import ContentHandler, feature_external_ges, feature_external_pes, feature_namespaces, property_lexical_handler
from xml.sax.xmlreader import InputSource

from checker.formats.base import Malformed
from checker.formats.pieces import OffsetMap, Piece, joined

XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"
MAX_DEPTH = 256  # elements within elements: news markup nests a dozen deep; a hostile file, without end (the tree is walked recursively)


class Element:
    """An element: local name, namespace, attributes by local name, children
    (Elements and text Pieces), its language (xml:lang here or above) and where its start tag begins."""

    __slots__ = ("name", "namespace", "attributes", "children", "language", "start")

    def __init__(self, name, namespace, attributes, language, start):
        self.name, self.namespace, self.attributes = name, namespace, attributes
        self.children, self.language, self.start = [], language, start

    def elements(self, name=None):
        return [c for c in self.children if isinstance(c, Element) and (name is None or c.name == name)]

    def first(self, name):
        return next((c for c in self.children if isinstance(c, Element) and c.name == name), None)

    def walk(self, blocks):
        """Replay this element as markup events into a `markup.Blocks`."""
        blocks.start(self.name)
        for child in self.children:
            if isinstance(child, Element):
                child.walk(blocks)
            else:
                blocks.text(child)
        blocks.end(self.name)


def parse(text, line_starts):
    """The root Element of the XML document `text` (its decoded stored text, with its
    line starts). Expat reads the text itself, as UTF-8 whatever the XML declaration
    says: the file was decoded once, and positions are counted in that text."""
    handler = _TreeBuilder(text, line_starts)
    reader = _create_reader()
    reader.setContentHandler(handler)
    reader.setProperty(property_lexical_handler, handler)
    source = InputSource()
    source.setByteStream(io.BytesIO(text.encode("utf-8")))
    source.setEncoding("utf-8")
    try:
        reader.parse(source)
    except SAXParseException as exc:
        raise Malformed(f"not well-formed XML ({exc.getMessage()})", _offset(line_starts, exc.getLineNumber(), exc.getColumnNumber())) from None
    except SAXException as exc:
        raise Malformed(f"not well-formed XML ({exc.getMessage()})", handler.offset()) from None
    except _Refused as exc:
        raise Malformed(str(exc), handler.offset()) from None
    if handler.root is None:
        raise Malformed("no root element", 0)
    return handler.root


class _Refused(Exception):
    pass


def _create_reader():
    from defusedxml.expatreader import DefusedExpatParser  # lazy: only XML files need it

    class Reader(DefusedExpatParser):
        # defusedxml raises its own exceptions; each becomes a one-line refusal here
        def defused_entity_decl(self, name, *args):
            raise _Refused(f"entity declarations are refused (<!ENTITY {name} ...>: entity expansion could be a billion-laughs or external-entity attack)")

        def defused_unparsed_entity_decl(self, name, *args):
            raise _Refused(f"entity declarations are refused (<!ENTITY {name} ... NDATA>)")

        def defused_external_entity_ref_handler(self, context, base, sysid, pubid):
            raise _Refused(f"external references are refused ({sysid or pubid})")

    reader = Reader(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    reader.setFeature(feature_namespaces, True)
    reader.setFeature(feature_external_ges, False)
    reader.setFeature(feature_external_pes, False)
    return reader


def _offset(line_starts, line, column):
    """expat's (1-based line, 0-based column in code points) as an offset into the text."""
    line = min(max(line, 1), len(line_starts))
    return line_starts[line - 1] + max(column, 0)


class _TreeBuilder(ContentHandler):
    def __init__(self, text, line_starts):
        super().__init__()
        self.text, self.line_starts = text, line_starts
        self.root = None
        self.stack = []
        self.in_cdata = False
        self.pending = []  # pieces of the run of text being read
        self.locator = None

    def setDocumentLocator(self, locator):
        self.locator = locator

    def offset(self):
        if self.locator is None:
            return 0
        return _offset(self.line_starts, self.locator.getLineNumber(), self.locator.getColumnNumber())

    def startElementNS(self, name, qname, attrs):
        if len(self.stack) >= MAX_DEPTH:
            raise _Refused(f"elements nested more than {MAX_DEPTH} deep are refused")
        if self.stack:
            self._flush()
        namespace, local = name
        attributes = {key[1]: value for key, value in attrs.items()}
        parent = self.stack[-1] if self.stack else None
        language = attrs.get((XML_NAMESPACE, "lang")) or (parent.language if parent is not None else None)
        element = Element(local, namespace, attributes, language, self.offset())
        if parent is None:
            self.root = element
        else:
            parent.children.append(element)
        self.stack.append(element)

    def endElementNS(self, name, qname):
        self._flush()
        self.stack.pop()

    def characters(self, content):
        # expat hands text over in pieces (at every reference and line break): they are
        # joined once, when the run of text ends, not one by one
        if self.stack and content:
            self.pending.append(_aligned(content, self.text, self.offset(), ("cdata",) if self.in_cdata else ("markup",)))

    def _flush(self):
        if self.pending:
            self.stack[-1].children.append(joined(self.pending))
            self.pending = []

    # the lexical handler: CDATA sections are stored as they read
    def startCDATA(self):
        self._flush()
        self.in_cdata = True

    def endCDATA(self):
        self._flush()
        self.in_cdata = False

    def comment(self, content):
        pass

    def startDTD(self, name, public_id, system_id):
        pass

    def endDTD(self):
        pass


def _aligned(content, text, at, contexts):
    """The Piece of decoded character data `content` that starts at offset `at` of the stored text.

    In markup a stored "&" always opens a reference (a bare one is not well-formed);
    in a CDATA section the text is stored as it reads."""
    cdata = contexts == ("cdata",)
    if text.startswith(content, at) and (cdata or "&" not in content):
        return Piece(content, OffsetMap.copied(at, len(content)), contexts)
    runs, cursor, i = [], at, 0
    while i < len(content):
        char = content[i]
        if text.startswith(char, cursor) and (cdata or char != "&"):  # copied: as far as it goes
            j = i + 1
            while j < len(content) and text[cursor + j - i : cursor + j - i + 1] == content[j] and (cdata or content[j] != "&"):
                j += 1
            runs.append((i, cursor, cursor + j - i))
            cursor += j - i
            i = j
            continue
        if text.startswith("&", cursor) and not cdata:  # an entity or character reference: to its semicolon
            end = text.index(";", cursor) + 1
        elif text.startswith("\r\n", cursor) and char == "\n":
            end = cursor + 2
        elif text.startswith("\r", cursor) and char == "\n":
            end = cursor + 1
        else:  # never guess a position
            raise ValueError(f"cannot align XML text at offset {cursor}")
        runs.append((i, cursor, end))
        cursor, i = end, i + 1
    return Piece(content, OffsetMap.from_runs(runs, len(content), at=at), contexts)
