"""``GET /parameter/{id}``: every dated value shows its legal reference and status, scales' brackets included."""

from __future__ import annotations

import pytest
import yaml

from tests.api.server import ROOT


@pytest.mark.parametrize(
    ("parameter", "brackets"),
    [
        (
            "unemployment.duration.by_contribution_months",
            "parameters/vnm/unemployment/duration/by_contribution_months.yaml",
        ),
        (
            "old_age.replacement_rate.accrual_scale.men",
            "parameters/vnm/old_age/replacement_rate/accrual_scale/men.yaml",
        ),
    ],
)
def test_a_scale_shows_the_reference_and_status_of_each_bracket(client, parameter: str, brackets: str) -> None:
    answer = client.get(f"/vnm/parameter/{parameter}")
    assert answer.status_code == 200
    document = yaml.safe_load((ROOT / brackets).read_text(encoding="utf-8"))
    written, file_status = document["brackets"], document["metadata"].get("status")
    shown = answer.json()["provenance"]["brackets"]
    assert len(shown) == len(written)
    for bracket, source in zip(shown, written, strict=True):
        for part, dated in source.items():
            for start, value in dated.items():
                metadata = value.get("metadata", {})
                assert bracket[part][str(start)]["status"] == metadata.get("status", file_status)  # or the file's
                assert bracket[part][str(start)]["reference"] == metadata["reference"]
