"""The command line: arguments, the run from top to bottom, exit codes.

Exit codes: 0 no finding at or above the fail level; 1 findings at or above it;
2 usage, configuration or rule errors, or a path that does not exist.
"""

import argparse
import sys

from checker import __version__
from checker.errors import CheckerError, UsageError
from checker.findings import SEVERITIES, SEVERITY_RANK

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def build_parser():
    from checker.report import FORMATS

    parser = _Parser(
        prog="checker",
        description="A provenance linter for news copy: unattributed statements, foreign-script leftovers, timestamp defects.",
    )
    parser.add_argument("paths", nargs="*", help="files or folders to check ('-' reads standard input; default: the current folder)")
    parser.add_argument("--select", type=_codes, help="only these rules: codes, code prefixes or names, comma-separated (turns on opt-in rules)")
    parser.add_argument("--ignore", type=_codes, default=[], help="leave out these rules")
    parser.add_argument("--extend-select", type=_codes, default=[], help="add these rules to the default set")
    parser.add_argument("--rules", action="append", default=[], metavar="DIR", help="another folder of rule files (repeatable)")
    parser.add_argument("--format", choices=sorted(FORMATS), default="concise", help="output format (default: concise)")
    parser.add_argument("-o", "--output-file", help="write the report to this file instead of standard output")
    parser.add_argument("--fail-level", choices=SEVERITIES, default="warning", help="lowest severity that fails the run (default: warning)")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings fail the run")
    parser.add_argument("--language", help="language of the copy (e.g. en); default: detected per file")
    parser.add_argument("--main-script", help="the copy's main script (e.g. Latin, Cyrillic); default: detected per file")
    parser.add_argument("--timezone", help="IANA time zone of timestamps without an offset (e.g. Europe/Sofia); enables their fix")
    parser.add_argument("--date-order", choices=["dmy", "mdy"], help="how to read numeric dates such as 05/07/2024")
    parser.add_argument("--stdin-filename", help="the path to report for '-' (and to decide Markdown or text)")
    parser.add_argument("--statistics", action="store_true", help="print a count of findings per rule instead of the findings")
    parser.add_argument("--list-rules", action="store_true", help="list the rules: code, name, severity, on or off")
    parser.add_argument("--explain", metavar="CODE", help="print a rule's description and examples")
    parser.add_argument("--test-rules", action="store_true", help="run every loaded rule's bad and good examples and report failures")
    parser.add_argument("--version", action="version", version=f"checker {__version__}")
    return parser


def _codes(value):
    return [token.strip() for token in value.split(",") if token.strip()]


def main(argv=None):
    try:
        return run(argv)
    except CheckerError as exc:
        print(f"checker: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("checker: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_broken_pipe()
        return EXIT_OK


def run(argv=None):
    from checker.config import Settings
    from checker.rules import builtin_rules_dir, load_rules, select_rules
    from checker.runner import check_paths

    args = build_parser().parse_args(argv)
    settings = Settings(
        select=args.select,
        ignore=args.ignore,
        extend_select=args.extend_select,
        rule_dirs=args.rules,
        fail_level=args.fail_level,
        language=args.language,
        main_script=args.main_script,
        timezone=args.timezone,
        date_order=args.date_order,
    ).validate()

    # load config and rules
    all_rules = load_rules([builtin_rules_dir(), *settings.rule_dirs], settings.rule_overrides)
    if args.list_rules:
        return list_rules(all_rules)
    if args.explain:
        return explain(all_rules, args.explain)
    if args.test_rules:
        return test_rules(all_rules)
    rules = select_rules(all_rules, settings.select, settings.ignore, settings.extend_select)

    # discover files, check each
    results, files_checked, missing = check_paths(args.paths or ["."], rules, settings, args.stdin_filename)
    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key())

    # report
    report(findings, args, files_checked)
    if missing or any(r.internal_errors for r in results):
        return EXIT_ERROR
    failing = any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[settings.fail_level] for f in findings)
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_OK


def report(findings, args, files_checked):
    from checker.report import reporter

    stream = open(args.output_file, "w", encoding="utf-8") if args.output_file else sys.stdout
    try:
        if args.statistics:
            write_statistics(findings, stream)
        else:
            reporter(args.format).write(findings, stream, {"files_checked": files_checked})
        stream.flush()
    finally:
        if stream is not sys.stdout:
            stream.close()


def write_statistics(findings, stream):
    counts = {}
    for f in findings:
        key = (f.code, f.name, f.severity)
        counts[key] = counts.get(key, 0) + 1
    for (code, name, severity), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        stream.write(f"{count:6d}  {code:7s} {name} [{severity}]\n")


def list_rules(rules):
    for rule in rules:
        state = "on" if rule.enabled else "off"
        print(f"{rule.code:7s} {rule.name:32s} {rule.severity:8s} {state}")
    return EXIT_OK


def explain(rules, wanted):
    for rule in rules:
        if wanted in (rule.code, rule.name):
            state = "on by default" if rule.enabled else "opt-in (turn on with --select or --extend-select)"
            print(f"{rule.code} {rule.name} ({rule.severity}, {state})\n")
            print(rule.description.rstrip() + "\n")
            for group, label in (("bad", "Flagged"), ("good", "Not flagged")):
                print(f"{label}:")
                for example in rule.examples[group]:
                    text = example["text"] if isinstance(example, dict) else example
                    print("    " + text.replace("\n", "\n    "))
                print()
            print(f"Rule file: {rule.path}")
            return EXIT_OK
    raise UsageError(f"no rule {wanted!r} (see --list-rules)")


def test_rules(rules):
    from checker.testing import check_rule_examples

    default = [r for r in rules if r.enabled]
    failures = [message for rule in rules for message in check_rule_examples(rule, default)]
    for message in failures:
        print(message)
    examples = sum(len(r.examples["bad"]) + len(r.examples["good"]) for r in rules)
    print(f"{len(rules)} rules, {examples} examples, {len(failures)} failures.")
    return EXIT_FINDINGS if failures else EXIT_OK


def _quiet_broken_pipe():
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
