"""A branch keys the caches of every decision: its hash is computed once, equal for equal branches, and never
carried to another process, where texts hash otherwise."""

from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys

from openfisca_sp.rules.branches import BRANCHES


def test_equal_branches_hash_alike_and_another_branch_otherwise() -> None:
    for branch in BRANCHES.values():
        copy = dataclasses.replace(branch)
        assert copy == branch and hash(copy) == hash(branch)
        assert {branch: 1}[copy] == 1
        assert hash(dataclasses.replace(branch, label=branch.label + "!")) != hash(branch)


def test_a_branch_sent_to_another_process_hashes_as_that_process_hashes_it() -> None:
    branch = BRANCHES["old_age"]
    hash(branch)  # computed, and kept on the branch
    sent = pickle.dumps(branch)
    assert b"_hash" not in sent
    script = (
        "import pickle, sys\n"
        "from openfisca_sp.rules.branches import BRANCHES\n"
        "branch = pickle.loads(sys.stdin.buffer.read())\n"
        "print(branch == BRANCHES['old_age'], hash(branch) == hash(BRANCHES['old_age']), {BRANCHES['old_age']: 1}[branch])\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], input=sent, capture_output=True, check=True, env={"PYTHONHASHSEED": "7"}
    )
    assert found.stdout.split() == [b"True", b"True", b"1"]
