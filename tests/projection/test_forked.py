"""A projection's years in forked worker processes: the same projection as in one process, years in order.

Kept apart from the Dask tests: this module's process runs no cluster's threads when it forks.
"""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from openfisca_sp.projection import forked, project
from openfisca_sp.projection.forked import can_fork, cores, worker_count
from openfisca_sp.rules.yaml_files import ParameterFileError
from tests.projection.scenarios import write_scenario


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scenario(tmp_path_factory.mktemp("forked"), years={"first": 2026, "last": 2029})


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")
def test_forked_workers_give_the_same_projection_as_one_process(scenario_file: Path) -> None:
    alone = project(scenario_file)
    done: list[tuple[int, int]] = []
    parent = os.getpid()
    forked = project(scenario_file, workers=2, progress=lambda count, total: done.append((count, total)))
    assert os.getpid() == parent
    assert done == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert list(forked.years.year.unique()) == [2026, 2027, 2028, 2029]
    pd.testing.assert_frame_equal(forked.years, alone.years, check_exact=True)
    pd.testing.assert_frame_equal(forked.branches, alone.branches, check_exact=True)
    assert forked.meta["notes"] == alone.meta["notes"]


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")
def test_the_years_run_in_worker_processes(scenario_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each year says which process ran it (a wrapper the workers inherit when they are forked)."""
    run_year = forked.run_year

    def signed(inputs, year, ahead=True):
        rows, branches, notes = run_year(inputs, year, ahead)
        return rows, branches, [*notes, f"process {os.getpid()}"]

    monkeypatch.setattr(forked, "run_year", signed)
    notes = project(scenario_file, workers=2).meta["notes"]
    processes = {note for note in notes if note.startswith("process ")}
    assert processes and f"process {os.getpid()}" not in processes


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")
@pytest.mark.parametrize(("cores_here", "ahead"), [(2, False), (3, False), (4, True)])
def test_a_worker_prepares_its_next_chunk_ahead_only_with_two_cores_for_it(
    scenario_file: Path, monkeypatch: pytest.MonkeyPatch, cores_here: int, ahead: bool
) -> None:
    """Two workers on 2 cores: a thread preparing the next chunk in each would take the other's core."""
    run_year = forked.run_year

    def signed(inputs, year, ahead=True):
        rows, branches, notes = run_year(inputs, year, ahead)
        return rows, branches, [*notes, f"ahead {ahead}"]

    monkeypatch.setattr(forked, "run_year", signed)
    monkeypatch.setattr(forked, "cores", lambda: cores_here)
    notes = project(scenario_file, workers=2).meta["notes"]
    assert {note for note in notes if note.startswith("ahead ")} == {f"ahead {ahead}"}


def test_worker_count_is_bounded_by_the_years_and_defaults_to_the_cores() -> None:
    assert worker_count(8, 3) == 3
    assert worker_count(1, 30) == 1
    assert worker_count(0, 1_000) == cores() == len(os.sched_getaffinity(0))
    assert worker_count(None, 1) == 1
    assert worker_count(np.int64(2), 30) == 2
    for wrong in (-1, "two", 1.5, True):  # a stop-78 hunt: 'two' and 1.5 were told in Python's words
        with pytest.raises(
            ValueError, match=f"workers must be a whole number, 0 \\(one per core\\) or more, not {wrong!r}"
        ):
            worker_count(wrong, 30)
    with pytest.raises(ValueError, match="not a negative whole number of 5001 digits"):  # repr would refuse it
        worker_count(-(10**5000), 30)


def _raised_within(seconds: float, scenario_file: Path, waits: str) -> list[BaseException]:
    """What a projection in two workers raised, failing with ``waits`` if it has not ended within ``seconds``."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            project(scenario_file, workers=2)
        except Exception as error:  # what came back is the caller's to check
            raised.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    assert not thread.is_alive(), waits
    return raised


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")
def test_an_error_in_a_worker_comes_back_with_its_message(scenario_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even an error whose constructor takes more than its message (it cannot be unpickled as it is)."""

    def failing(inputs, year, ahead=True):
        raise ParameterFileError("parameters/x.yaml", 3, f"a value breaks the rule in {year}")

    monkeypatch.setattr(forked, "run_year", failing)
    raised = _raised_within(120, scenario_file, "the projection waits for ever for a worker's error")
    assert isinstance(raised[0], ValueError)
    assert str(raised[0]) == "parameters/x.yaml:3: a value breaks the rule in 2026"


@pytest.mark.skipif(not can_fork(), reason="worker processes are forked on Linux only")
def test_a_worker_killed_stops_the_run_saying_so(scenario_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hunt (stop 77): a worker killed (by the system, for want of memory) left the projection waiting for its
    year for ever: multiprocessing's pool forked another worker and never gave the lost year back."""

    real = forked.run_year

    def killed_in_2027(inputs, year, ahead=True):
        if year == 2027:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(inputs, year, ahead)

    monkeypatch.setattr(forked, "run_year", killed_in_2027)
    raised = _raised_within(120, scenario_file, "the projection waits for ever for the killed worker's year")
    assert isinstance(raised[0], ChildProcessError), raised
    assert str(raised[0]).startswith("a worker process stopped before it answered, while 2 ran years side by side")
