"""The command line: arguments, the run from top to bottom, exit codes.

Exit codes: 0 no finding at or above the fail level; 1 findings at or above it;
2 usage, configuration or rule errors, or a path that does not exist.
"""

import argparse
import gc
import os
import sys
from operator import attrgetter

from checker import __version__
from checker.errors import CheckerError, UsageError
from checker.findings import REPORT_ORDER, SEVERITIES, SEVERITY_RANK

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


class _HelpFormatter(argparse.HelpFormatter):
    # argparse makes a formatter for every add_argument, and the default one asks
    # shutil for the width: importing shutil (with bz2 and lzma) cost 5-10 ms of
    # every run. The width is worked out as shutil does, without it.
    def __init__(self, *args, **kwargs):
        if kwargs.get("width") is None:
            kwargs["width"] = _terminal_columns() - 2
        super().__init__(*args, **kwargs)


def _terminal_columns():
    """shutil.get_terminal_size().columns: $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser():
    from checker.report import FORMATS

    parser = _Parser(
        prog="checker",
        formatter_class=_HelpFormatter,
        description="A provenance linter for news copy: unattributed statements, foreign-script leftovers, timestamp defects.",
    )
    parser.add_argument("paths", nargs="*", help="files or folders to check ('-' reads standard input; default: the current folder)")
    parser.add_argument("--select", type=_codes, help="only these rules: codes, code prefixes or names, comma-separated (turns on opt-in rules)")
    parser.add_argument("--ignore", type=_codes, default=[], help="leave out these rules (added to the configuration's)")
    parser.add_argument("--extend-select", type=_codes, default=[], help="add these rules to the default set (and the configuration's)")
    parser.add_argument("--rules", action="append", default=[], metavar="DIR", help="another folder of rule files (repeatable)")
    parser.add_argument("--format", choices=sorted(FORMATS), default=None, help="output format (default: concise)")
    parser.add_argument("-o", "--output-file", help="write the report to this file instead of standard output")
    parser.add_argument("--fail-level", choices=SEVERITIES, default=None, help="lowest severity that fails the run (default: warning)")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings fail the run")
    parser.add_argument("--language", help="language of the copy (e.g. en); default: detected per file")
    parser.add_argument("--main-script", help="the copy's main script (e.g. Latin, Cyrillic); default: detected per file")
    parser.add_argument("--timezone", help="IANA time zone of timestamps without an offset (e.g. Europe/Sofia); enables their fix")
    parser.add_argument("--date-order", choices=["dmy", "mdy"], help="how to read numeric dates such as 05/07/2024")
    parser.add_argument("--stdin-filename", help="the path to report for '-' (and to decide Markdown or text)")
    parser.add_argument("--statistics", action="store_true", help="print a count of findings per rule instead of the findings")
    parser.add_argument("--config", metavar="FILE", help="configuration file to use instead of the nearest pyproject.toml / checker.toml / .checker.toml")
    parser.add_argument("--show-settings", action="store_true", help="print the resolved settings and the configuration file read, then exit")
    parser.add_argument("--force-exclude", action="store_true", default=None, help="apply exclude patterns to files named on the command line too (for pre-commit)")
    parser.add_argument("--fix", action="store_true", help="apply safe fixes in place (atomically; encoding, BOM and line endings kept)")
    parser.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff, also apply fixes that need a human look")
    parser.add_argument("--diff", action="store_true", help="print the fixes as a unified diff and change nothing (exit 1 if there are any)")
    parser.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in this baseline file")
    parser.add_argument("--write-baseline", metavar="FILE", help="record today's findings in FILE (path, code, matched text) and exit 0")
    parser.add_argument("--list-rules", action="store_true", help="list the rules: code, name, severity, on or off")
    parser.add_argument("--explain", metavar="CODE", help="print a rule's description and examples")
    parser.add_argument("--test-rules", action="store_true", help="run every loaded rule's bad and good examples and report failures")
    parser.add_argument("--rule-timeout", type=_seconds, default=None, metavar="SECONDS", help="abandon a rule on a file after this long, with a CK004 finding (default: 10; 0: never)")
    parser.add_argument("-j", "--jobs", type=_jobs, default=None, help="worker processes (default: the CPUs when there are many files or a large one, else 1)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache (compiled rules, findings of unchanged files)")
    parser.add_argument("--cache-dir", default=None, metavar="DIR", help="where the cache lives (default: .checker_cache in the current folder)")
    parser.add_argument("--version", action="version", version=f"checker {__version__}")
    return parser


def _jobs(value):
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (automatic) or more")
    return jobs


def _seconds(value):
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, not {value!r}") from None
    if not seconds >= 0:
        raise argparse.ArgumentTypeError("must be 0 (no bound) or more")
    return seconds


def _codes(value):
    return [token.strip() for token in value.split(",") if token.strip()]


def main(argv=None, keep_alive=None):
    """Run the command line; returns the exit code. keep_alive: a list that receives the
    run's results, which then outlive the run (see entry)."""
    try:
        return run(argv, keep_alive)
    except CheckerError as exc:
        print(f"checker: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("checker: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_broken_pipe()
        return EXIT_OK


def entry():
    """The `checker` command: main(), then a quick exit. Freeing each object of a
    large run one by one takes tens of milliseconds (BBC: 16 to 30 ms) and serves
    no one: by then the report is written and its file closed. The results are
    kept alive too, not freed when the run returns (BBC: 9 to 12 ms)."""
    results = []
    code = main(keep_alive=results)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except OSError as exc:  # what a normal exit would have said, and failed for
        print(f"checker: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        code = EXIT_ERROR
    os._exit(code)


def run(argv=None, keep_alive=None):
    from checker.config import Settings
    from checker.rules import builtin_rules_dir, load_rules, select_rules
    from checker.runner import check_paths

    args = build_parser().parse_args(argv)
    settings = resolve_settings(args)
    if args.show_settings:
        from checker.config import show_settings

        sys.stdout.write(show_settings(settings))
        return EXIT_OK

    # load config and rules
    if args.no_cache:
        cache = cache_dir = None  # nor is the cache module imported (hashlib, json, pickle)
    else:
        from checker import cache

        cache_dir = args.cache_dir or cache.DEFAULT_DIR
    folders = [builtin_rules_dir(), *settings.rule_dirs]
    helper = args.jobs != 1  # -j 1: one process, also while the rules are prepared
    try:
        if cache is None:
            all_rules = load_rules(folders, settings.rule_overrides, helper)
        else:
            all_rules = cache.load_rules_cached(folders, settings.rule_overrides, cache_dir, helper)
    except CheckerError as exc:
        from checker.config import explain_override_error

        raise explain_override_error(settings, folders) or exc from None
    if settings.rule_overrides:
        from checker.config import check_override_targets

        check_override_targets(all_rules, settings)
    if args.list_rules:
        return list_rules(all_rules)
    if args.explain:
        return explain(all_rules, args.explain)
    if args.test_rules:
        return test_rules(all_rules)
    rules = select_rules(all_rules, settings.select, settings.ignore, settings.extend_select)
    # The rules live as long as the process: moved out of the garbage collector's
    # sight, they are not traversed again and again as documents come and go,
    # nor copied into each worker by the traversal (-j 2: 10% less time).
    gc.freeze()

    # discover files, check each
    # --fix and --diff need each file's text: cached results carry none
    use_results_cache = cache_dir and not (getattr(args, "fix", False) or getattr(args, "diff", False))
    result_cache = cache.ResultCache(cache_dir, rules, settings, cache.last_rule_set_key) if use_results_cache else None
    results, files_checked, missing = check_paths(
        args.paths or ["."], rules, settings, args.stdin_filename, jobs=args.jobs, cache=result_cache,
        # the text travels back from the workers only when needed: fixes, snippets
        keep_source=bool(args.fix or args.diff or settings.format == "full"),
    )
    keep = _filters(settings, args)
    if keep is not None:
        for result in results:
            result.findings = keep(result.path, result.findings)
    if args.write_baseline:
        from checker.suppress import write_baseline

        count = write_baseline(args.write_baseline, [f for r in results for f in r.findings])
        print(f"checker: wrote {count} findings to the baseline {args.write_baseline}", file=sys.stderr)
        return EXIT_ERROR if missing else EXIT_OK
    changes = 0
    if args.fix or args.diff:
        changes = fix(results, rules, settings, keep or _keep_all, args)

    # Each file's findings come sorted, and the files mostly in path order: the
    # sort then only confirms it (BBC's 13,628 findings: 12 ms to sort unsorted).
    findings = [f for r in results for f in r.findings]
    findings.sort(key=REPORT_ORDER)
    if keep_alive is not None:
        keep_alive += [results, findings]

    # report
    if args.diff:
        return EXIT_ERROR if missing else (EXIT_FINDINGS if changes and not args.exit_zero else EXIT_OK)
    report(findings, args, files_checked, settings, results, rules)
    if missing or any(r.internal_errors for r in results):
        return EXIT_ERROR
    failing = any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[settings.fail_level] for f in findings)
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_OK


def resolve_settings(args):
    """Defaults, then the configuration file, then the command line (which wins)."""
    from checker.config import Settings, apply_config, find_config, read_config

    settings = Settings()
    if args.config:
        config_path = args.config
    else:
        paths = args.paths or ["."]
        start = args.stdin_filename if paths == ["-"] and args.stdin_filename else paths[0]
        config_path = find_config(start if start != "-" else ".")
    if config_path:
        apply_config(settings, read_config(config_path), config_path)
    if args.select is not None:
        settings.select = args.select
    settings.ignore = [*settings.ignore, *args.ignore]
    settings.extend_select = [*settings.extend_select, *args.extend_select]
    settings.rule_dirs = [*settings.rule_dirs, *args.rules]
    for name in ("fail_level", "language", "main_script", "timezone", "date_order", "format", "force_exclude", "rule_timeout"):
        if getattr(args, name) is not None:
            setattr(settings, name, getattr(args, name))
    return settings.validate()


def _keep_all(path, findings):
    return findings


def _filters(settings, args):
    """keep(path, findings): per-file ignores, then the baseline (None: neither is set)."""
    if not settings.per_file_ignores and not args.baseline:
        return None
    from checker.suppress import Baseline, matches_selector, per_file_ignored

    baseline = Baseline(args.baseline) if args.baseline else None

    def keep(path, findings):
        ignored = per_file_ignored(path, settings.per_file_ignores, settings.root)
        if ignored:
            findings = [f for f in findings if not any(matches_selector(f, token) for token in ignored)]
        if baseline is not None:
            findings = baseline.new(findings)
        return findings

    return keep


def fix(results, rules, settings, keep, args):
    """--fix / --diff: returns the number of files changed (or that would change)."""
    import signal

    from checker.fix import fix_results

    # SIGTERM unwinds like Ctrl-C, so a half-written temporary file is removed (the rename is atomic anyway).
    signal.signal(signal.SIGTERM, _interrupt)
    stdin_path = (args.stdin_filename or "-") if "-" in (args.paths or []) else None
    applied, changed = fix_results(
        results,
        rules,
        settings,
        keep,
        unsafe=args.unsafe_fixes,
        diff=sys.stdout if args.diff else None,
        stdin_path=stdin_path,
        stdin_out=sys.stdout,
    )
    if args.fix and not args.diff:
        files = "file" if changed == 1 else "files"
        print(f"checker: fixed {applied} {'finding' if applied == 1 else 'findings'} in {changed} {files}", file=sys.stderr)
    return changed


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def report(findings, args, files_checked, settings=None, results=(), rules=()):
    from checker.report import reporter, summary_for

    stream = open(args.output_file, "w", encoding="utf-8") if args.output_file else sys.stdout
    if stream is sys.stdout and args.fix and "-" in (args.paths or []):
        stream = sys.stderr  # standard output carries the fixed text
    try:
        if args.statistics:
            write_statistics(findings, stream)
        else:
            name = settings.format if settings is not None else (args.format or "concise")
            reporter(name).write(findings, stream, summary_for(files_checked, results, rules))
        stream.flush()
    finally:
        if stream not in (sys.stdout, sys.stderr):
            stream.close()


def write_statistics(findings, stream):
    from collections import Counter

    counts = Counter(map(attrgetter("code", "name", "severity"), findings))
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
