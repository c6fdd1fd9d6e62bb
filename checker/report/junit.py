"""`junit`: JUnit XML, one test case a checked file (a failure lists its findings).

CI systems that show test results (GitLab, Jenkins, Azure) read it.
"""

import re
from xml.sax.saxutils import escape, quoteattr

from checker.findings import SEVERITY_RANK
from checker.report import shown_message

# XML 1.0 cannot carry these at all, even escaped.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text):
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write(findings, stream, summary):
    by_file = {}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    files = list(dict.fromkeys([*summary.get("files", []), *by_file]))
    failures = sum(1 for path in files if by_file.get(path))
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(f'<testsuites name="checker" tests="{len(files)}" failures="{failures}" errors="0">\n')
    stream.write(f'  <testsuite name="checker" tests="{len(files)}" failures="{failures}" errors="0" skipped="0">\n')
    for path in files:
        name = quoteattr(_clean(path))
        found = by_file.get(path, [])
        if not found:
            stream.write(f'    <testcase classname="checker" name={name} file={name}/>\n')
            continue
        worst = max(found, key=lambda f: SEVERITY_RANK[f.severity])
        noun = "finding" if len(found) == 1 else "findings"
        body = "\n".join(f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {shown_message(f)}" for f in found)
        stream.write(f'    <testcase classname="checker" name={name} file={name}>\n')
        stream.write(
            f"      <failure message={quoteattr(_clean(f'{len(found)} {noun}'))} type={quoteattr(worst.severity)}>"
            f"{escape(_clean(body))}</failure>\n"
        )
        stream.write("    </testcase>\n")
    stream.write("  </testsuite>\n</testsuites>\n")
