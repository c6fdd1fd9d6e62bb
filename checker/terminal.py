"""The terminal's width, as shutil.get_terminal_size works it out, without
importing shutil (with bz2 and lzma) on the start-up path."""

import os
import sys


def columns(stream=None):
    """$COLUMNS, else the width of the terminal behind `stream` (standard output by default), else 80."""
    try:
        width = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        width = 0
    if width <= 0:
        try:
            width = os.get_terminal_size((stream or sys.__stdout__).fileno()).columns
        except (AttributeError, ValueError, OSError):
            width = 0
    return width or 80
