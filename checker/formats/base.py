"""What every reader gives: items, and the two ways a file can fail to give any."""

from checker.records import Record


class Malformed(Exception):
    """The file (or one record of an archive) is not valid in its format: the
    parser's message and the offset into the stored text where it stopped."""

    def __init__(self, message, offset=0):
        super().__init__(message)
        self.message, self.offset = message, offset


class NotNews(Exception):
    """The file is valid in its format but holds no news item (a package.json,
    a JUnit report): it is not checked, and the run says why."""


class Item(Record):
    """One article as a reader found it.

    record: its id within a collection (an archive's id field, a NewsML-G2 guid
    in a newsMessage, a ninjs uri in an array), None for the one item of a file.
    timestamps: [(field name, Piece)], checked by the TS rules, the first dating
    the story. header: [(role, Piece)] with role headline, title, byline or
    dateline: text that is checked but is not body prose. body: [Piece], each a
    paragraph, or plain text with its own blank-line paragraphs."""

    FIELDS = ("record", "language", "timestamps", "header", "body")

    def __init__(self, record=None, language=None, timestamps=None, header=None, body=None):
        self.record = record
        self.language = language
        self.timestamps = [] if timestamps is None else timestamps
        self.header = [] if header is None else header
        self.body = [] if body is None else body

    @property
    def fields(self):
        """How many pieces of text and timestamps the reader found."""
        return len(self.timestamps) + len(self.header) + len(self.body)

    def add_blocks(self, blocks):
        """Paragraphs from markup (checker.formats.markup): prose to the body, the
        headline, title, byline and dateline to the header."""
        for role, piece in blocks:
            if role == "text":
                self.body.append(piece)
            else:
                self.header.append((role, piece))


class Fields(Record):
    """Which fields of an archive record hold what (`--text-field` and the like).
    text None: `body`, else `text`."""

    FIELDS = ("text", "id", "headline", "date", "language")

    def __init__(self, text=None, id="id", headline=None, date=None, language=None):
        self.text, self.id, self.headline, self.date, self.language = text, id, headline, date, language

    def text_key(self, record):
        if self.text is not None:
            return self.text
        return next((key for key in ("body", "text") if key in record), "body")
