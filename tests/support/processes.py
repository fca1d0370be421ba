"""Starting the real peers that run as their own processes, and waiting until they answer."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def start(command: list[str], ready_url: str, timeout: float = 60.0) -> subprocess.Popen[bytes]:
    # The timeout is generous: on a loaded two-core machine the OIDC provider took over 20 s to answer.
    # A file, not a pipe: peers log every request, and a pipe nobody reads fills up and freezes them.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                stop(process)
                log.seek(0)
                raise RuntimeError(f"{command[0]} exited: {log.read().decode(errors='replace')}")
            try:
                if httpx.get(ready_url, timeout=1).status_code < 500:
                    return process
            except httpx.TransportError:
                time.sleep(0.1)
        stop(process)
        raise RuntimeError(f"{command[0]} did not answer at {ready_url}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
