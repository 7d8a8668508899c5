"""Shared test helpers: where the reference data beside the repository lives.

Tests that need ../shared fail when CI is set and it is missing (as the Rust tests do), and
are skipped otherwise.
"""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


def shared(rel: str) -> pathlib.Path:
    p = SHARED / rel
    if not p.exists():
        if os.environ.get("CI"):
            pytest.fail(f"reference data {p} is missing (CI is set)")
        pytest.skip(f"reference data {p} is missing")
    return p


def cli() -> pathlib.Path:
    """The release `veerkracht` binary, built if needed (the numbers the package must equal)."""
    exe = REPO / "target" / "release" / "veerkracht"
    if not exe.exists():
        subprocess.run(
            ["cargo", "build", "--release", "--locked", "-q", "-p", "veerkracht"], cwd=REPO, check=True
        )
    return exe
