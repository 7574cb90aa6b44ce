"""A Dask worker killed each time it runs a task (by the system, for want of memory) stops the run with a
ChildProcessError saying so, as a forked worker's death does: one line on the command line, not Dask's
``KilledWorker`` traceback (found by a hunt in stop 77)."""

from __future__ import annotations

import os
import signal

import pytest
from distributed import Client, LocalCluster

from openfisca_sp.distributed.tasks import gather


def _killed(_: int) -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return 0


def test_a_task_whose_worker_dies_each_time_is_said_so() -> None:
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        futures = client.map(_killed, [1, 2])
        with pytest.raises(ChildProcessError) as stopped:
            gather(client, futures)
        assert str(stopped.value).startswith("a Dask worker died running a task, each time it was given it (")
        assert "for want of memory" in str(stopped.value)
        assert all(future.status in ("cancelled", "error") for future in futures)
