"""Running a child with no network: ``unshare -n`` (needs root or unprivileged user namespaces)."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def _no_network_ok() -> bool:
    if shutil.which("unshare") is None:
        return False
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


# skip a test that starts a network-less child where such a child cannot be started
needs_netns = pytest.mark.skipif(not _no_network_ok(), reason="'unshare -n true' is not permitted here (needs root "
                                 "or unprivileged user namespaces), so a network-less child cannot be started")
