import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def run_checker(*args, input=None, cwd=None, env=None):
    """Run the installed checker as a user would; returns CompletedProcess (text)."""
    return subprocess.run(
        [sys.executable, "-m", "checker", *map(str, args)],
        capture_output=True,
        text=True,
        input=input,
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def checker():
    return run_checker


def shared_path(*parts):
    """A path under ../shared, or skip the test with a message when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} is absent (it is research material outside the repository)")
    return path


@pytest.fixture(scope="session")
def default_rules():
    from checker.rules import builtin_rules_dir, load_rules

    return load_rules([builtin_rules_dir()])


HOUSE_RULE = (
    "code: HS001\nname: kiev-spelling\nseverity: warning\nkind: substitution\nswap: {Kiev: Kyiv}\n"
    "message: 'Use \"{suggestion}\", not \"{text}\"'\ndescription: House style.\n"
    "examples: {bad: ['Kiev rejected it.'], good: ['Kyiv rejected it.']}\n"
)


def write_house_rule(folder):
    """A user rule (Kiev -> Kyiv) in `folder`, as a newsroom would add one."""
    (folder / "HS001.yaml").write_text(HOUSE_RULE, encoding="utf-8")
