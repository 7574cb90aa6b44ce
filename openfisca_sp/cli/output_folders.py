"""The folders of the files a command writes, made and tried before any work (not after a run of millions of
persons)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

OUTPUT_OPTIONS = ("output", "totals", "report", "json")  # the options that name a file or folder to write


def check_output_folders(arguments: argparse.Namespace) -> None:
    """Each file or folder to write is in a folder that exists or is made now (as ``mkdir -p`` would), and that a
    file can be written in, before any work: a folder that cannot be made (a file in the way, no permission) or
    written in (read-only, /proc) is refused at once, not after a run of millions of persons."""
    for option in OUTPUT_OPTIONS:
        given = getattr(arguments, option, None)
        if not isinstance(given, str) or not given:
            continue
        folder = Path(given).expanduser().absolute().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            blocking = next((path for path in (folder, *folder.parents) if path.exists() and not path.is_dir()), None)
            reason = f"{blocking} is a file" if blocking else error.strerror or error
            raise ValueError(f"--{option} {given}: cannot make the folder {folder} to write it in ({reason})") from None
        try:
            with tempfile.TemporaryFile(dir=folder):  # a file made and gone: the folder takes files
                pass
        except OSError as error:
            reason = error.strerror or str(error)
            raise ValueError(f"--{option} {given}: cannot write a file in the folder {folder} ({reason})") from None
