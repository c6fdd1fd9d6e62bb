"""--fix, --diff and --unsafe-fixes: byte-exact outside the fixed spans, atomic, idempotent."""

import codecs
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from conftest import ROOT, run_checker, shared_path

# A Cyrillic leftover with a glossary fix ([САЩ] → [US]), a zero-width space (fix: remove it),
# an offset-less header timestamp (fix with --timezone), and a vague source (no fix).
ARTICLE = "2024-07-05 06:15:31\nThe president of the [САЩ] spoke\u200b, sources said.\nThe talks went on, he said, and the delegation would stay in the city for the rest of the week.\n"
FIXED = "2024-07-05 06:15:31+00:00\nThe president of the [US] spoke, sources said.\nThe talks went on, he said, and the delegation would stay in the city for the rest of the week.\n"


def encoded(text, newline="\n", bom=b"", codec="utf-8"):
    return bom + text.replace("\n", newline).encode(codec)


VARIANTS = {
    "lf": dict(),
    "crlf": dict(newline="\r\n"),
    "cr": dict(newline="\r"),
    "utf8-bom": dict(bom=codecs.BOM_UTF8),
    "crlf-utf8-bom": dict(newline="\r\n", bom=codecs.BOM_UTF8),
    "utf16-le": dict(bom=codecs.BOM_UTF16_LE, codec="utf-16-le"),
    "utf16-be-crlf": dict(newline="\r\n", bom=codecs.BOM_UTF16_BE, codec="utf-16-be"),
    "utf32-be": dict(bom=codecs.BOM_UTF32_BE, codec="utf-32-be"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_fix_keeps_encoding_bom_and_line_endings_and_changes_only_the_spans(tmp_path, variant):
    path = tmp_path / "story.txt"
    path.write_bytes(encoded(ARTICLE, **VARIANTS[variant]))
    result = run_checker("--fix", "--timezone", "UTC", path)
    assert path.read_bytes() == encoded(FIXED, **VARIANTS[variant])
    # What remains is reported, and decides the exit code: the vague source has no fix.
    assert "AT103" in result.stdout and "FS101" not in result.stdout and "TX101" not in result.stdout
    assert result.returncode == 1
    assert "fixed 3 findings in 1 file" in result.stderr
    # A second run has nothing left to fix.
    again = run_checker("--fix", "--timezone", "UTC", path)
    assert path.read_bytes() == encoded(FIXED, **VARIANTS[variant])
    assert "fixed 0 findings in 0 files" in again.stderr


def test_exit_code_after_fix_reflects_what_remains(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes("The minister\u200b said the talks would go on.\n".encode())
    before = run_checker(path)
    assert before.returncode == 1 and "TX101" in before.stdout
    after = run_checker("--fix", path)
    assert after.returncode == 0, after.stdout + after.stderr
    assert path.read_text(encoding="utf-8") == "The minister said the talks would go on.\n"


def test_diff_prints_the_change_and_writes_nothing(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(ARTICLE.encode())
    result = run_checker("--diff", path)
    assert path.read_bytes() == ARTICLE.encode()
    assert result.returncode == 1
    assert "-The president of the [САЩ] spoke\u200b, sources said." in result.stdout
    assert "+The president of the [US] spoke, sources said." in result.stdout
    assert "2024-07-05 06:15:31+00:00" not in result.stdout  # no zone configured: no timestamp fix
    clean = tmp_path / "clean.txt"
    clean.write_text("The minister said the talks would go on.\n", encoding="utf-8")
    nothing = run_checker("--diff", clean)
    assert nothing.returncode == 0 and nothing.stdout == ""


def test_unsafe_fixes_only_on_request(tmp_path):
    from checker.config import Settings
    from checker.fix import fix_results, wanted_fixes
    from checker.pipeline import check_bytes
    from checker.profiles import Profile
    from checker.rules import builtin_rules_dir, load_rules

    rules = load_rules([builtin_rules_dir()])
    path = tmp_path / "story.txt"
    path.write_bytes(b"The minister\xe2\x80\x8b said the talks would go on.\n")
    result = check_bytes(path.read_bytes(), str(path), rules, Settings())
    assert wanted_fixes(result.findings), "expected a safe TX101 fix"
    # Mark every fix unsafe: --fix alone must leave the file alone, --unsafe-fixes applies them.
    unsafe = lambda path, findings, settings: [
        f.replace(fix=f.fix.replace(safe=False) if f.fix else None)
        for f in findings
    ]
    result.findings = unsafe(str(path), result.findings, Settings())
    profiles = [Profile(Settings(), rules, rules)]
    assert fix_results([result], profiles, unsafe) == (0, 0)
    assert path.read_bytes() == b"The minister\xe2\x80\x8b said the talks would go on.\n"
    assert fix_results([result], profiles, unsafe, unsafe=True) == (1, 1)
    assert path.read_bytes() == b"The minister said the talks would go on.\n"


def test_fix_keeps_permissions_and_symlinks(tmp_path):
    target = tmp_path / "story.txt"
    target.write_bytes(ARTICLE.encode())
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    run_checker("--fix", "--timezone", "UTC", link)
    assert link.is_symlink()
    assert target.read_bytes() == FIXED.encode()
    assert (target.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".checker-tmp")] == []


def test_file_changed_since_it_was_read_is_skipped_with_a_notice(tmp_path, default_rules):
    from checker.config import Settings
    from checker.fix import ChangedOnDisk, fix_results, write_atomic
    from checker.pipeline import check_bytes
    from checker.profiles import Profile

    path = tmp_path / "story.txt"
    path.write_bytes(ARTICLE.encode())
    result = check_bytes(path.read_bytes(), str(path), default_rules, Settings())
    edited = ARTICLE.replace("talks", "negotiations").encode()
    path.write_bytes(edited)  # someone saves the file after the check, before the fix
    log = _Log()
    profiles = [Profile(Settings(), default_rules, default_rules)]
    assert fix_results([result], profiles, lambda p, f, s: f, log=log) == (0, 0)
    assert path.read_bytes() == edited
    assert "changed on disk since it was checked; not fixed" in log.text
    with pytest.raises(ChangedOnDisk):
        write_atomic(path, b"new", expected=ARTICLE.encode())
    assert path.read_bytes() == edited


class _Log:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text


def test_suppressed_and_baselined_findings_are_not_fixed(tmp_path):
    story = tmp_path / "story.md"
    text = "<!-- checker-disable-next-line FS101 the outlet's name -->\nThe [САЩ] said so.\n\nThe [САЩ] said so again.\n"
    story.write_text(text, encoding="utf-8")
    run_checker("--fix", story)
    assert story.read_text(encoding="utf-8") == text.replace("[САЩ] said so again", "[US] said so again")
    plain = tmp_path / "plain.txt"
    plain.write_text("The [САЩ] said so.\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    run_checker("--write-baseline", baseline, plain)
    result = run_checker("--fix", "--baseline", baseline, plain)
    assert plain.read_text(encoding="utf-8") == "The [САЩ] said so.\n" and result.returncode == 0


def test_fix_from_stdin_writes_the_fixed_text_to_stdout(tmp_path):
    result = run_checker("--fix", "--stdin-filename", "story.txt", "-", input="The [САЩ] said so.\n")
    assert result.stdout == "The [US] said so.\n"


# --- interrupted runs -----------------------------------------------------------------

LARGE_FILES = 30
LINE = "The president of the [САЩ] spoke\u200b to reporters in the capital, the ministry said.\n"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_fix_leaves_every_file_old_or_new(tmp_path, signum):
    folder = tmp_path / "copy"
    folder.mkdir()
    originals = {}
    for index in range(LARGE_FILES):
        data = (f"Story {index}\n\n" + LINE * 120).encode()
        (folder / f"{index:03d}.txt").write_bytes(data)
        originals[f"{index:03d}.txt"] = data
    fixed_line = LINE.replace("[САЩ]", "[US]").replace("\u200b", "")
    expected = {name: data.decode().replace(LINE, fixed_line).encode() for name, data in originals.items()}

    process = subprocess.Popen(
        [sys.executable, "-m", "checker", "--fix", "--no-cache", "-j", "1", str(folder)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_default_signals,
    ) if _accepts_jobs() else subprocess.Popen(
        [sys.executable, "-m", "checker", "--fix", str(folder)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        preexec_fn=_default_signals,
    )
    deadline = time.monotonic() + 120
    # Wait until the run is writing (some file is new) but not done, then interrupt it.
    while time.monotonic() < deadline and process.poll() is None:
        done = sum((folder / name).read_bytes() == expected[name] for name in list(expected)[:: LARGE_FILES // 10])
        if done:
            break
        time.sleep(0.05)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr.decode()
    new = old = 0
    for name, data in originals.items():
        now = (folder / name).read_bytes()
        assert now in (data, expected[name]), f"{name} is neither the old nor the new file"
        new += now == expected[name]
        old += now == data
    assert process.returncode == 130, "the run ended before the signal reached it"
    assert new >= 1 and old >= 1  # stopped mid-run: some files written, some not yet
    assert [p.name for p in folder.iterdir() if not p.name.endswith(".txt")] == []  # no temporary files left


def _default_signals():
    """Ctrl-C as a terminal delivers it: a run started in the background by a
    non-interactive shell (CI scripts) inherits SIGINT ignored, and so would the checker."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _accepts_jobs():
    return "--jobs" in run_checker("--help").stdout


# --- the whole corpus -------------------------------------------------------------------

CORPUS_SAMPLE = {"wmt22-ru-en": 100, "reuters": 60, "reuters-malformed-dates": 20, "bbc": 20}


def _corpus_copy(tmp_path):
    """A spread sample of the corpus; CHECKER_FIX_CORPUS=all copies all of it (a one-off measurement)."""
    corpus = shared_path("corpus")
    copy = tmp_path / "corpus"
    if os.environ.get("CHECKER_FIX_CORPUS") == "all":
        shutil.copytree(corpus, copy)
        return copy
    for folder, count in CORPUS_SAMPLE.items():
        source = corpus / folder
        if not source.is_dir():
            continue
        files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))
        files = files[:: max(1, len(files) // count)][:count]  # spread over the folder's sub-folders
        for path in files:
            destination = copy / folder / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
    return copy


def test_fix_on_corpus_copies_changes_only_the_reported_spans(tmp_path):
    from checker.document import Document
    from checker.fix import encode_like
    from checker.pipeline import decode

    copy = _corpus_copy(tmp_path)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    assert before, "no corpus files copied"
    args = ["--timezone", "UTC", "--exit-zero", str(copy)]
    reported = json.loads(run_checker("--format", "json", *args).stdout)
    fixes_by_file = {}
    for finding in reported:
        if finding["fix"] and finding["fix"]["safe"]:
            fixes_by_file.setdefault(finding["path"], []).append(finding["fix"])
    assert fixes_by_file, "the sample should hold fixable findings"
    first = run_checker("--fix", *args)
    assert "Traceback" not in first.stderr
    changed = 0
    for path, old in before.items():
        now = path.read_bytes()
        fixes = fixes_by_file.get(str(path), [])
        if not fixes:
            assert now == old, f"{path} changed without a reported fix"
            continue
        source = decode(old)
        starts = Document(source.text).line_starts
        offsets = sorted((starts[f["line"] - 1] + f["column"] - 1, starts[f["end_line"] - 1] + f["end_column"] - 1, f["replacement"]) for f in fixes)
        pieces, cursor = [], 0
        for start, end, replacement in offsets:
            if start < cursor:
                continue  # overlapping fixes: the first wins, as --fix does
            pieces += [source.text[cursor:start], replacement]
            cursor = end
        expected = encode_like("".join(pieces) + source.text[cursor:], source.encoding, old)
        assert now == expected, f"{path}: bytes outside the reported fix spans changed"
        changed += now != old
    assert changed > 0
    print(f"corpus --fix: {len(before)} files, {sum(map(len, fixes_by_file.values()))} reported fixes in {len(fixes_by_file)} files, {changed} files changed")
    after_first = {p: p.read_bytes() for p in before}
    second = run_checker("--fix", *args)
    assert "fixed 0 findings in 0 files" in second.stderr
    assert {p: p.read_bytes() for p in before} == after_first


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="signals are held back only where the system can")
def test_ctrl_c_while_the_temporary_file_is_made_leaves_none_behind(tmp_path, monkeypatch):
    """The signal comes after mkstemp has created the file and before it returns
    (a CI run once left `.004.txt.….checker-tmp` so): it must wait for the cleanup."""
    import tempfile

    from checker import files

    target = tmp_path / "story.txt"
    target.write_bytes(b"old\n")
    real_mkstemp = tempfile.mkstemp

    def mkstemp_then_ctrl_c(*args, **kwargs):
        made = real_mkstemp(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)  # raised at once unless held back
        return made

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_then_ctrl_c)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # not ignored, as under a background CI job
    try:
        with pytest.raises(KeyboardInterrupt):
            files.replace_atomically(str(target), b"new\n")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.txt"] and target.read_bytes() == b"old\n"
