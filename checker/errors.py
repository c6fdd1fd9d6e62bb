"""Errors that end a run with exit code 2: usage, configuration and rule errors."""


class CheckerError(Exception):
    """A one-line, user-facing error. `str()` is what the user sees."""


class RuleError(CheckerError):
    """A rule or data file is malformed. Formats as `path:line:col: message`."""

    def __init__(self, path, message, line=None, column=None):
        self.path = str(path)
        self.message = message
        self.line = line
        self.column = column
        super().__init__(self.__str__())

    def __str__(self):
        if self.line is None:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}:{self.column or 1}: {self.message}"


class ConfigError(CheckerError):
    pass


class UsageError(CheckerError):
    pass
