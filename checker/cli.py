"""The command line: arguments, the run from top to bottom, exit codes.

Exit codes: 0 no finding at or above the fail level; 1 findings at or above it;
2 usage, configuration or rule errors, or a path that does not exist.
"""

import argparse
import os
import sys
from collections import Counter
from operator import attrgetter

from checker import __version__
from checker.errors import CheckerError, UsageError
from checker.findings import SEVERITIES, SEVERITY_RANK

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# `checker server` (the language server) and `checker serve` (the HTTP service): the
# first word names them (a folder of that name is `./server`), each an optional extra.
SUBCOMMANDS = {"server": "checker.lsp", "serve": "checker.service"}
STATISTICS_FORMATS = ("concise", "full", "json", "jsonl")  # the table as text, or as JSON rows


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


class _HelpFormatter(argparse.HelpFormatter):
    # argparse makes a formatter for every add_argument, and the default one asks
    # shutil for the width, and importing shutil (with bz2 and lzma) is a cost every
    # run would pay. The width is worked out as shutil does, without it.
    def __init__(self, *args, **kwargs):
        if kwargs.get("width") is None:
            from checker.terminal import columns  # lazy: start-up

            kwargs["width"] = columns() - 2
        super().__init__(*args, **kwargs)


def build_parser():
    from checker.formats import INPUT_FORMATS  # lazy: start-up
    from checker.report import FORMAT_NAMES  # lazy: start-up

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
    parser.add_argument("--format", choices=FORMAT_NAMES, default=None, help="output format (default: concise)")
    parser.add_argument("-o", "--output-file", help="write the report to this file instead of standard output")
    parser.add_argument("--fail-level", choices=SEVERITIES, default=None, help="lowest severity that fails the run (default: warning)")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings fail the run")
    parser.add_argument("--language", help="language of the copy (e.g. en); default: detected per file")
    parser.add_argument("--main-script", help="the copy's main script (e.g. Latin, Cyrillic); default: detected per file")
    parser.add_argument("--timezone", help="IANA time zone of timestamps without an offset (e.g. Europe/Sofia); enables their fix")
    parser.add_argument("--date-order", choices=["dmy", "mdy"], help="how to read numeric dates such as 05/07/2024")
    parser.add_argument("--stdin-filename", help="the path to report for '-' (and to decide its format by its extension)")
    parser.add_argument("--input-format", choices=INPUT_FORMATS, default=None, help="read every file as this format (default: auto, by extension and content)")
    parser.add_argument("--text-field", metavar="NAME", help="archive records (JSONL, CSV): the field with the article's text (default: body, else text)")
    parser.add_argument("--id-field", metavar="NAME", help="archive records: the field with the record's id (default: id)")
    parser.add_argument("--headline-field", metavar="NAME", help="archive records: the field with the headline")
    parser.add_argument("--date-field", metavar="NAME", help="archive records: the field with the publication timestamp (checked by the TS rules)")
    parser.add_argument("--language-field", metavar="NAME", help="archive records: the field with the record's language (BCP 47)")
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
    parser.add_argument("-j", "--jobs", type=whole_number, default=None, help="worker processes (0: automatic; default: the CPUs when there are many files or a large one, else 1)")
    parser.add_argument("--shard", metavar="I/N", help="check only the I-th of N shards of the input (0-based; needs -o): for job arrays")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache (compiled rules, findings of unchanged files)")
    parser.add_argument("--cache-dir", default=None, metavar="DIR", help="where the cache lives (default: .checker_cache in the current folder)")
    parser.add_argument("--version", action="version", version=f"checker {__version__}")
    return parser


def whole_number(value):
    """An argparse type: a whole number, 0 or more (`--jobs`, and `checker serve`'s sizes)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


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
    words = sys.argv[1:] if argv is None else list(map(str, argv))
    try:
        if words[:1] and words[0] in SUBCOMMANDS:
            import importlib  # lazy: start-up

            return importlib.import_module(SUBCOMMANDS[words[0]]).main(words[1:])
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
    large run one by one takes time and serves no one: by then the report is
    written and its file closed. The results are kept alive too, not freed when
    the run returns."""
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
    """The run from top to bottom: settings per file, the checks, filters, fixes, the report."""
    args = build_parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else map(str, argv))  # a shard's marker records it
    linter = _linter(args)
    profiles, run_settings = _profiles(args, linter)
    if args.show_settings or args.list_rules or args.explain or args.test_rules:
        return _about(args, profiles)
    _check_output_paths(args, run_settings)  # before the work: a report that cannot be written is a usage error
    if args.shard and (done := _shard_done(args, run_settings)) is not None:
        return done
    streamed = _streamed_report(args, run_settings)  # a line format: written as the files are checked
    try:
        return _run_checks(args, linter, run_settings, streamed, keep_alive)
    finally:
        if streamed is not None:
            streamed.close_stream()


def _run_checks(args, linter, run_settings, streamed, keep_alive):
    checked = _check(args, linter, run_settings, streamed.write if streamed is not None else None)
    if args.write_baseline:
        from checker.suppress import write_baseline  # lazy: start-up

        count = write_baseline(args.write_baseline, [f for r in checked.results for f in r.findings])
        print(f"checker: wrote {count} findings to the baseline {args.write_baseline}", file=sys.stderr)
        return EXIT_ERROR if checked.missing else EXIT_OK
    changes = fix(checked, checked.keep, args) if args.fix or args.diff else 0
    from checker.api import in_report_order  # lazy: start-up

    findings = in_report_order(checked.results)
    if keep_alive is not None:
        keep_alive += [checked.results, findings]
    if args.diff:
        return EXIT_ERROR if checked.missing else (EXIT_FINDINGS if changes and not args.exit_zero else EXIT_OK)
    if streamed is not None:
        streamed.finish(_summary(checked, ()))
        worst = streamed.worst
    else:
        report(findings, args, checked, run_settings, _distinct_rules(checked.profiles))
        worst = max((SEVERITY_RANK[f.severity] for f in findings), default=-1)
    if checked.missing or any(r.internal_errors for r in checked.results):
        return EXIT_ERROR
    failing = worst >= SEVERITY_RANK[run_settings.fail_level]
    code = EXIT_FINDINGS if failing and not args.exit_zero else EXIT_OK
    if args.shard:
        _mark_shard_done(args, run_settings, checked, findings, code)
    return code


def _streamed_report(args, settings):
    """The report, open and ready to take findings as files are checked, when its format is
    written a line at a time (concise, jsonl, github) and nothing needs every finding first
    (fixes, a diff, statistics, a baseline to write, a shard's report, which is written
    whole or not at all); else None. Opened before any work, so a large archive's
    findings appear as its records are checked and are not all held."""
    from checker.report import Streamed, reporter  # lazy: start-up

    module = reporter(settings.format)
    if args.fix or args.diff or args.statistics or args.write_baseline or args.shard or not hasattr(module, "write_findings"):
        return None
    return Streamed(module, _open_report(args))


def _open_report(args):
    try:
        stream = open(args.output_file, "w", encoding="utf-8") if args.output_file else sys.stdout
    except OSError as exc:
        raise UsageError(f"-o {args.output_file}: cannot write ({exc.strerror or exc})") from None
    if stream is sys.stdout and args.fix and "-" in (args.paths or []):
        stream = sys.stderr  # standard output carries the fixed text
    return stream


def _linter(args):
    """The Linter (checker.api) of the command line: every check goes through it."""
    from checker.api import Linter  # lazy: start-up

    if args.no_cache:
        cache_dir = None  # nor is the cache module imported (hashlib, json, pickle)
    else:
        from checker.cache import DEFAULT_DIR  # lazy: start-up

        cache_dir = args.cache_dir or DEFAULT_DIR
    return Linter._for_command_line(command_line_settings(args), args.config, cache_dir)


def _profiles(args, linter):
    """(the Profiles that give each file its settings and rules, the settings of the whole run)."""
    profiles = linter._profiles()
    # what holds for the whole run (format, fail level): the configuration nearest the
    # current folder, or standard input's stand-in path (as ruff takes them)
    reading_stdin = (args.paths or ["."]) == ["-"] and args.stdin_filename
    run_settings = (profiles.for_file(args.stdin_filename) if reading_stdin else profiles.for_run()).settings
    if args.statistics and run_settings.format not in STATISTICS_FORMATS:
        raise UsageError(f"--statistics writes {', '.join(STATISTICS_FORMATS)}, not {run_settings.format}")
    return profiles, run_settings


def _about(args, profiles):
    """--show-settings, --list-rules, --explain, --test-rules: answers about the checker, no check."""
    if args.show_settings:
        from checker.config import show_settings  # lazy: start-up

        paths = args.paths or ["."]
        target = args.stdin_filename if paths == ["-"] and args.stdin_filename else paths[0]
        profile = profiles.for_folder(target) if os.path.isdir(target) else profiles.for_file(target)
        sys.stdout.write(show_settings(profile.settings))
        return EXIT_OK
    all_rules = profiles.for_run().all_rules
    if args.list_rules:
        return list_rules(all_rules)
    if args.explain:
        return explain(all_rules, args.explain)
    return test_rules(all_rules)


def _check(args, linter, run_settings, deliver=None):
    """Discover the files, each with the configuration nearest it, and check them
    through the API, which filters the findings (per-file ignores, baseline): the
    runner's Run, with `keep` (the filter, for the fixes). deliver(findings): a
    streamed report, given each file's findings in report order."""
    baseline = None
    if args.baseline:
        from checker.suppress import Baseline  # lazy: start-up (only with a baseline)

        baseline = Baseline(args.baseline)
    checked = linter._check_paths(
        args.paths or ["."], stdin_filename=args.stdin_filename, jobs=args.jobs,
        # the text travels back from the workers only when needed: fixes, snippets, the
        # HTML report (which then shows the very text that was checked)
        keep_source=bool(args.fix or args.diff or run_settings.format in ("full", "html")),
        result_cache=not (args.fix or args.diff),  # they need each file's text: cached results carry none
        shard=_shard(args), baseline=baseline, deliver=deliver,
    )
    if "-" in checked.excluded and args.fix:
        sys.stdout.buffer.write(sys.stdin.buffer.read())  # an excluded buffer comes back unchanged
    _note_unchecked_languages(checked)
    _note_skipped(checked)
    return checked


def command_line_settings(args):
    """{Settings field: value} the command line sets (None: left to the configuration)."""
    values = {name: getattr(args, name) for name in (
        "select", "fail_level", "language", "main_script", "timezone", "date_order", "format", "force_exclude", "rule_timeout",
        "input_format", "text_field", "id_field", "headline_field", "date_field", "language_field",
    )}
    values.update(ignore=args.ignore, extend_select=args.extend_select, rule_dirs=args.rules)
    return values


def _check_output_paths(args, settings):
    """-o and --write-baseline must name a file that can be written (-o a folder for
    Parquet): a usage error (exit 2) before any work, never a traceback after it."""
    _shard(args)  # a malformed --shard too
    if settings.format == "parquet":
        _check_parquet_output(args)
    elif args.shard and not args.output_file:
        raise UsageError("--shard needs -o FILE: each shard writes its own report and a completion marker beside it")
    for flag, path in (("-o", args.output_file), ("--write-baseline", args.write_baseline)):
        if not path or (flag == "-o" and settings.format == "parquet"):
            continue
        folder = os.path.dirname(os.path.abspath(path))
        if os.path.isdir(path):
            raise UsageError(f"{flag} {path}: is a folder; name a file")
        if not os.path.isdir(folder):
            raise UsageError(f"{flag} {path}: no such folder {folder}")
        if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
            raise UsageError(f"{flag} {path}: not writable")


def _distinct_rules(profiles):
    """The rules of every profile used, each code once (for SARIF's rule list)."""
    seen = {}
    for profile in profiles:
        for rule in profile.rules:
            seen.setdefault(rule.code, rule)
    return [seen[code] for code in sorted(seen)]


def _note_unchecked_languages(checked):
    """Once per run: files whose language no language-bound rule covers (their AT and
    body-date rules were skipped), with a count per language."""

    bound = {}
    for profile in checked.profiles:
        if id(profile) not in bound:
            bound[id(profile)] = {lang for rule in profile.rules if rule.languages for lang in rule.languages}
    skipped = Counter(
        result.language for result, profile in zip(checked.results, checked.profiles)
        if result.language is not None and bound[id(profile)] and result.language not in bound[id(profile)]
    )
    if skipped:
        total = sum(skipped.values())
        languages = ", ".join(f"{lang}: {n}" for lang, n in skipped.most_common())
        files = "file" if total == 1 else "files"
        print(
            f"checker: {total} {files} in a language no language-bound rule covers ({languages}; 'und': too short "
            "or unknown), so their attribution and body-date rules were skipped; set `language` if that is wrong",
            file=sys.stderr,
        )


def _note_skipped(checked):
    """Once per run: files with a news format's extension that hold no news item (a
    package.json among ninjs items), which were not checked."""
    skipped = [result for result in checked.results if result.skipped]
    if skipped:
        more = f" (and {len(skipped) - 1} more)" if len(skipped) > 1 else ""
        files = "file" if len(skipped) == 1 else "files"
        print(
            f"checker: {len(skipped)} {files} not checked, not being news copy: {skipped[0].path}: {skipped[0].skipped}{more}; "
            "--input-format says what to read them as",
            file=sys.stderr,
        )


# --- shards: each writes its own report, then a completion marker ---------------------


def _shard(args):
    if not args.shard:
        return None
    from checker.shards import parse_shard  # lazy: start-up

    if "-" in (args.paths or []):
        raise UsageError("--shard cannot split standard input")
    return parse_shard(args.shard)


def _report_path(args, settings):
    """Where the report goes: -o, or for Parquet a part file in the -o folder."""
    if settings.format != "parquet":
        return args.output_file
    index, count = _shard(args) or (0, 1)
    return os.path.join(args.output_file, f"part-{index:05d}-of-{count:05d}.parquet")


def _marker_path(args, settings):
    return _report_path(args, settings) + ".done"


def _shard_done(args, settings):
    """The exit code recorded by a finished run of this shard with this very command
    line (its marker), or None: a job array resubmitted skips the shards done."""
    import json  # lazy: start-up

    marker = _marker_path(args, settings)
    try:
        with open(marker, encoding="utf-8") as handle:
            recorded = json.load(handle)
        report_exists = os.path.exists(marker[: -len(".done")])
    except (OSError, ValueError):
        return None
    if not isinstance(recorded, dict) or recorded.get("argv") != args.argv or not report_exists:
        return None
    print(f"checker: shard {args.shard} is done already ({marker}); delete the marker to check it again", file=sys.stderr)
    return recorded.get("exit_code", EXIT_OK)


def _mark_shard_done(args, settings, checked, findings, code):
    """Write the marker, after the report is complete: a shard killed before has none."""
    import json  # lazy: start-up

    from checker.files import write_new_atomically  # lazy: start-up

    summary = {
        "shard": args.shard, "argv": args.argv, "exit_code": code, "files": checked.files_checked,
        "records": sum(r.records for r in checked.results if r.records is not None), "findings": len(findings),
    }
    write_new_atomically(_marker_path(args, settings), (json.dumps(summary, ensure_ascii=False) + "\n").encode("utf-8"))


def _check_parquet_output(args):
    if not args.output_file:
        raise UsageError("--format parquet needs -o DIR: the folder that receives one Parquet file per shard")
    if os.path.exists(args.output_file) and not os.path.isdir(args.output_file):
        raise UsageError(f"-o {args.output_file}: --format parquet writes into a folder, and this is a file")
    parent = os.path.dirname(os.path.abspath(args.output_file))
    if not os.path.isdir(parent):
        raise UsageError(f"-o {args.output_file}: no such folder {parent}")
    from checker.report.parquet import require_pyarrow  # lazy: start-up

    require_pyarrow()


def fix(checked, keep, args):
    """--fix / --diff: returns the number of files changed (or that would change)."""
    import signal  # lazy: start-up

    from checker.fix import fix_results  # lazy: start-up

    # SIGTERM unwinds like Ctrl-C, so a half-written temporary file is removed (the rename is atomic anyway).
    signal.signal(signal.SIGTERM, _interrupt)
    stdin_path = (args.stdin_filename or "-") if "-" in (args.paths or []) else None
    applied, changed = fix_results(
        checked.results,
        checked.profiles,
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


def _summary(checked, rules):
    from checker.report import summary_for  # lazy: start-up

    return summary_for(checked.files_checked, checked.results, rules, show=not (checked.missing and not checked.files_checked))


def report(findings, args, checked, settings, rules):
    if settings.format == "parquet":
        from checker.report.parquet import write_file  # lazy: start-up

        os.makedirs(args.output_file, exist_ok=True)
        return write_file(findings, _report_path(args, settings))
    if args.shard:  # written whole or not at all: a shard killed midway leaves no half report
        import io  # lazy: start-up

        from checker.files import write_new_atomically  # lazy: start-up

        stream = io.StringIO()
        _write_report(findings, args, checked, settings, rules, stream)
        return write_new_atomically(args.output_file, stream.getvalue().encode("utf-8"))
    stream = _open_report(args)
    try:
        _write_report(findings, args, checked, settings, rules, stream)
        stream.flush()
    finally:
        if stream not in (sys.stdout, sys.stderr):
            stream.close()
    return None


def _write_report(findings, args, checked, settings, rules, stream):
    from checker.report import reporter  # lazy: start-up

    summary = _summary(checked, rules)
    if args.statistics:
        write_statistics(findings, stream, settings.format)
    else:
        reporter(settings.format).write(findings, stream, summary)


def write_statistics(findings, stream, format_name):
    """A count of findings per rule: a text table, or with --format json / jsonl the
    same rows as JSON (an array, or one object a line), so the stream stays JSON."""

    counts = Counter(map(attrgetter("code", "name", "severity"), findings))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if format_name in ("json", "jsonl"):
        import json  # lazy: start-up

        objects = [{"code": code, "name": name, "severity": severity, "count": count} for (code, name, severity), count in rows]
        if format_name == "json":
            stream.write(json.dumps(objects, indent=2) + "\n")
        else:
            stream.write("".join(json.dumps(o) + "\n" for o in objects))
        return
    for (code, name, severity), count in rows:
        stream.write(f"{count:6d}  {code:7s} {name} [{severity}]\n")


def list_rules(rules):
    for rule in rules:
        state = "on" if rule.enabled else "off"
        print(f"{rule.code:7s} {rule.name:32s} {rule.severity:8s} {state}")
    return EXIT_OK


def explain(rules, wanted):
    for rule in rules:
        if wanted in (rule.code, rule.name):
            print(explanation(rule), end="")
            return EXIT_OK
    raise UsageError(f"no rule {wanted!r} (see --list-rules)")


def explanation(rule):
    """What `--explain` prints for a rule (the language server's hover shows it too)."""
    from checker.rules import where_it_lives  # lazy: start-up

    state = "on by default" if rule.enabled else "opt-in (turn on with --select or --extend-select)"
    lines = [f"{rule.code} {rule.name} ({rule.severity}, {state})", "", rule.description.rstrip(), ""]
    for group, label in (("bad", "Flagged"), ("good", "Not flagged")):
        lines.append(f"{label}:")
        for example in rule.examples[group]:
            text = example["text"] if isinstance(example, dict) else example
            lines.append("    " + text.replace("\n", "\n    "))
        lines.append("")
    lines += [f"Rule file: {rule.path}", f"Code: {where_it_lives(rule)}"]
    return "\n".join(lines) + "\n"


def test_rules(rules):
    from checker.testing import check_rule_examples  # lazy: start-up

    default = [r for r in rules if r.enabled]
    failures = [message for rule in rules for message in check_rule_examples(rule, default)]
    for message in failures:
        print(message)
    examples = sum(len(r.examples["bad"]) + len(r.examples["good"]) for r in rules)
    print(f"{len(rules)} rules, {examples} examples, {len(failures)} failures.")
    return EXIT_FINDINGS if failures else EXIT_OK


def _quiet_broken_pipe():

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
