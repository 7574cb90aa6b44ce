"""The Dockerfile's recipe, as far as this machine can run it without a container engine: the installed wheel
served by the image's entry point, under the image's environment, as its non-root user, from a tree that user
cannot write (the image runs with ``--read-only`` and a ``/tmp`` tmpfs)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.test_packaging import ROOT, _free_port, site, wheel  # noqa: F401 - the installed wheel, as fixtures

BIN = Path(sys.executable).parent


def final_stage() -> dict[str, object]:
    """The ENV, USER, ENTRYPOINT and HEALTHCHECK of the Dockerfile's last stage."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    last = max(index for index, line in enumerate(lines) if line.startswith("FROM "))
    stage: dict[str, object] = {"env": {}}
    for line in lines[last + 1 :]:
        instruction, _, rest = line.partition(" ")
        if instruction == "ENV":
            stage["env"].update(dict(item.split("=", 1) for item in shlex.split(rest)))  # type: ignore[union-attr]
        elif instruction in ("USER", "ENTRYPOINT", "HEALTHCHECK"):
            stage[instruction.lower()] = rest
    return stage


def test_the_image_runs_as_a_non_root_user_with_a_health_check() -> None:
    stage = final_stage()
    user, _, group = str(stage["user"]).partition(":")
    assert int(user) >= 1000 and int(group) >= 1000
    assert json.loads(str(stage["entrypoint"])) == ["openfisca-sp", "serve"]
    assert "/health" in str(stage["healthcheck"])
    assert stage["env"]["PYTHONDONTWRITEBYTECODE"] == "1"  # type: ignore[index]


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="taking another user id needs root")
def test_the_entry_point_serves_as_the_image_user_from_a_tree_it_cannot_write(site: Path) -> None:  # noqa: F811
    stage = final_stage()
    uid, gid = (int(part) for part in str(stage["user"]).split(":"))
    root = Path(tempfile.mkdtemp(prefix="openfisca-sp-image-"))
    try:
        root.chmod(0o755)
        tree = root / "opt"
        shutil.copytree(site, tree)  # owned by root, read-only to the image's user
        scratch = root / "tmp"  # the tmpfs
        scratch.mkdir()
        os.chown(scratch, uid, gid)
        keys = root / "keys"
        keys.write_text("image-key\n", encoding="utf-8")
        keys.chmod(0o444)
        port = _free_port()
        environment = {
            **stage["env"],  # type: ignore[dict-item]
            "PATH": f"{BIN}:/usr/bin:/bin",
            "PYTHONPATH": str(tree),
            "HOME": str(scratch),
            "TMPDIR": str(scratch),
            "MPLCONFIGDIR": str(scratch),
            "OPENFISCA_SP_HOST": "127.0.0.1",  # tests listen on the loopback only; the image binds 0.0.0.0
            "OPENFISCA_SP_PORT": str(port),
            "OPENFISCA_SP_API_KEYS_FILE": str(keys),
        }
        before = sorted(path.relative_to(tree) for path in tree.rglob("*"))
        entrypoint = json.loads(str(stage["entrypoint"]))
        # the image's user, allowed to read and enter any folder (this machine's Python and virtual environment
        # may sit in folders only root may enter, such as /root or a fresh clone's mktemp folder) but never to
        # write one it does not own: what the image's read-only file system allows
        reader = ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
        command = ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", *reader, str(BIN / entrypoint[0])]
        can_switch = subprocess.run([*command[:-1], "/bin/true"], capture_output=True, text=True)
        if can_switch.returncode != 0:  # e.g. a container without CAP_DAC_READ_SEARCH in its bounding set
            pytest.skip(f"cannot run as the image user with read rights here: {can_switch.stderr.strip()}")
        probe = subprocess.run(
            [*command[:-1], sys.executable, "-c", f"open({str(tree / 'probe')!r}, 'w')"], capture_output=True, text=True
        )
        assert probe.returncode != 0 and "PermissionError" in probe.stderr  # the tree is read-only to that user
        log = root / "log"
        with log.open("wb") as sink:
            process = subprocess.Popen([*command, *entrypoint[1:]], env=environment, cwd="/", stdout=sink, stderr=sink)
        try:
            _wait_ready(port, process, log)
            request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"X-API-Key": "image-key"})
            assert b"openfisca_sp_requests_total" in urllib.request.urlopen(request, timeout=10).read()
            expected = int(environment["OPENFISCA_SP_WORKERS"])
            deadline = time.monotonic() + 60  # each worker listens once its app is loaded
            while len(re.findall(r"Started server process", log.read_text())) < expected:
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
            assert len(re.findall(r"Started server process", log.read_text())) == expected
            workers = psutil.Process(process.pid).children(recursive=True)
            assert {each.uids().real for each in [psutil.Process(process.pid), *workers]} == {uid}
            health = json.loads(str(stage["healthcheck"]).split(" CMD ", 1)[1])  # on the port set at run time
            checked = subprocess.run([sys.executable, *health[1:]], env=environment, capture_output=True, text=True)
            assert checked.returncode == 0, checked.stderr
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        assert "Traceback" not in log.read_text(), log.read_text()[-3000:]
        assert sorted(path.relative_to(tree) for path in tree.rglob("*")) == before  # nothing written in the tree
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _wait_ready(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[:3000]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"not ready: {log.read_text()[:4000]}")
