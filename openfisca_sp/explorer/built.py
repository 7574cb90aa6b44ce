"""The explorer a server serves: built once per rules version and day by a background process, into a folder every
worker (and every later start the same day) reads, never by the request that asks for it.

Building it is seconds of CPU (every jurisdiction collected, its law cases run, every page rendered): done in the
request that first asked, one unauthenticated request made a worker busy for that long. :class:`BuiltSite` starts
``openfisca-sp explorer`` at low priority in a process of its own when the server starts; the first worker to lock
the site's folder builds it, the others wait for it, and each then serves its pages from that folder (held in
memory, they were 3.5 MB of every worker, a page of 3.3 MB among them). A site is named by a
digest of the package version, the day, the jurisdictions and every rules, code and law case file (names, sizes,
times changed): a checkout edited between two starts is built again.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime
import fcntl
import hashlib
import logging
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import openfisca_sp
from openfisca_sp.rules.paths import PARAMETERS_DIR

log = logging.getLogger("openfisca_sp.explorer")
COMPLETE = ".complete"  # written last in a site's folder: the site is whole
KEEP_DAYS = 7  # other sites of the cache older than this are removed once a new one is built
RETRY_SECONDS = 60.0  # a build that failed is tried again by a request this long after
POLL_SECONDS = 0.5  # how often a worker that waits for another's build looks for it


def rules_files(cases_folder: Path | None) -> list[Path]:
    """The folders whose files make the site: the package (code, templates), its parameters, variables and reforms,
    and the law cases read."""
    import openfisca_sp.reforms
    import openfisca_sp.variables

    folders = [*openfisca_sp.__path__, PARAMETERS_DIR, *openfisca_sp.variables.__path__, *openfisca_sp.reforms.__path__]
    return [Path(folder) for folder in dict.fromkeys(map(str, folders))] + ([cases_folder] if cases_folder else [])


def site_key(codes: Sequence[str] | None, cases_folder: Path | None, day: datetime.date) -> str:
    """The name of a site: a digest of what it is built from (see the module)."""
    digest = hashlib.sha256(f"{openfisca_sp.__version__}|{day}|{','.join(codes or ())}|{cases_folder}".encode())
    for folder in rules_files(cases_folder):
        for path in sorted(folder.rglob("*")):
            if "__pycache__" not in path.parts and path.is_file():
                found = path.stat()
                digest.update(f"{path}|{found.st_size}|{found.st_mtime_ns}\n".encode())
    return f"{day}-{digest.hexdigest()[:20]}"


def private_folder(folder: Path | None) -> Path:
    """``folder`` (created 0700 if need be), or by default a folder of this user's in the temporary directory; one
    another user owns or may write, or a link, is not used (its pages would be served): a fresh private one
    instead."""
    folder = folder or Path(tempfile.gettempdir()) / f"openfisca-sp-explorer-{os.getuid()}"
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700, parents=True)
    found = folder.lstat()
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid() or found.st_mode & 0o022:
        log.warning("explorer: %s is not a folder of this user's alone; the site is built elsewhere", folder)
        return Path(tempfile.mkdtemp(prefix="openfisca-sp-explorer-"))
    return folder


class BuiltSite:
    """The explorer's pages of ``codes``, built in the background into ``cache`` (see the module)."""

    def __init__(self, codes: Sequence[str] | None, cases_folder: Path | None, cache: Path | None = None) -> None:
        self.codes, self.cases_folder, self.cache = list(codes or ()), cases_folder, cache
        self.pages: dict[str, Path] | None = None  # each page's and asset's file, by its path in the site
        self.failed_at: float | None = None
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        """Start building (or reading) the site in the background, unless that is under way, done, or failed less
        than :data:`RETRY_SECONDS` ago."""
        with self.lock:
            if self.pages is not None or (self.thread is not None and self.thread.is_alive()):
                return
            if self.failed_at is not None and time.monotonic() - self.failed_at < RETRY_SECONDS:
                return
            self.thread = threading.Thread(target=self._get, name="explorer-build", daemon=True)
            self.thread.start()

    def forget(self) -> None:
        """Forget the pages read (their folder is gone): the next request starts reading or building them again."""
        with self.lock:
            self.pages = None
        self.start()

    def _get(self) -> None:
        try:
            self.pages = _read(self._built())
            self.failed_at = None
        except (OSError, subprocess.SubprocessError, RuntimeError) as error:
            self.failed_at = time.monotonic()
            log.error("explorer not built: %s", error)

    def _built(self) -> Path:
        """The site's folder, built by this process unless another holds its lock (then waited for)."""
        day = datetime.date.today()
        cache = private_folder(self.cache)
        site = cache / site_key(self.codes, self.cases_folder, day)
        with (cache / f"{site.name}.lock").open("a") as lock:
            while not (site / COMPLETE).exists():
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:  # another worker builds it
                    time.sleep(POLL_SECONDS)
                    continue
                if not (site / COMPLETE).exists():
                    _build(site, self.codes, self.cases_folder, day)
                    _remove_old(cache, site)
        return site


def _build(site: Path, codes: Sequence[str], cases_folder: Path | None, day: datetime.date) -> None:
    """Run ``openfisca-sp explorer`` at low priority into a folder beside ``site``, then rename it ``site``."""
    building = Path(tempfile.mkdtemp(prefix=f"{site.name}.", dir=site.parent))
    command = [sys.executable, "-m", "openfisca_sp.cli", "explorer", "--output", str(building), "--date", str(day)]
    command += ["--jurisdiction", *codes] if codes else []
    command += ["--tests", str(cases_folder)] if cases_folder else ["--no-cases"]
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # noqa: S603 - our own command
    atexit.register(process.terminate)  # a server stopped stops its build (the next start builds it again)
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, process.pid, 10)  # after the requests: it is no request's work
    try:
        _, errors = process.communicate()
    finally:
        atexit.unregister(process.terminate)
    if process.returncode:
        shutil.rmtree(building, ignore_errors=True)
        raise RuntimeError(f"openfisca-sp explorer exited with {process.returncode}: {errors.strip()[-500:]}")
    (building / COMPLETE).write_text(f"{time.monotonic() - started:.1f} s\n", encoding="utf-8")
    building.rename(site)
    log.info("explorer built in %.1f s", time.monotonic() - started)


def _remove_old(cache: Path, kept: Path) -> None:
    """Remove the other sites of ``cache`` (and their locks) unchanged for :data:`KEEP_DAYS` days."""
    oldest = time.time() - KEEP_DAYS * 86_400
    for path in cache.iterdir():
        if path.name.split(".")[0] != kept.name and path.stat().st_mtime < oldest:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _read(site: Path) -> dict[str, Path]:
    """The file of every page and asset of a built site, by its path relative to the site."""
    files: Iterable[Path] = (path for path in site.rglob("*") if path.is_file() and path.name != COMPLETE)
    return {path.relative_to(site).as_posix(): path for path in files}
