"""Settings for one run: defaults, then the command line.

(Configuration files come with the tooling work; the fields and their
validation live here so that every entry point shares them.)
"""

import re
from dataclasses import dataclass, field

from checker.errors import UsageError
from checker.findings import SEVERITIES


@dataclass
class Settings:
    select: list | None = None
    ignore: list = field(default_factory=list)
    extend_select: list = field(default_factory=list)
    rule_dirs: list = field(default_factory=list)  # user rule folders, added to the built-in ones
    fail_level: str = "warning"
    language: str | None = None  # None: detect per document
    main_script: str | None = None  # None: detect per document
    timezone: str | None = None  # IANA name, for timestamp fixes
    date_order: str | None = None  # "dmy" or "mdy"; None: ambiguous dates are findings
    rule_overrides: dict = field(default_factory=dict)  # code or name -> {key: value}

    def validate(self):
        if self.fail_level not in SEVERITIES:
            raise UsageError(f"fail level must be one of {', '.join(SEVERITIES)}, not {self.fail_level!r}")
        if self.date_order not in (None, "dmy", "mdy"):
            raise UsageError(f"date order must be 'dmy' or 'mdy', not {self.date_order!r}")
        if self.language is not None and not re.fullmatch(r"[a-z]{2,3}(?:-[A-Za-z0-9]+)*", self.language):
            raise UsageError(f"language must be a code such as 'en', not {self.language!r}")
        if self.timezone is not None:
            from zoneinfo import ZoneInfo

            try:
                ZoneInfo(self.timezone)
            except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
                raise UsageError(f"unknown time zone {self.timezone!r} (use an IANA name such as Europe/Sofia)") from None
        return self
