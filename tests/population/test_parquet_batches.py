"""A Parquet file read a block at a time: row groups of a usual size decoded whole and handed out in slices, a
larger one read by Arrow's batch reader; the blocks are the file's rows, in order, whatever its layout."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from openfisca_sp.population import reading
from openfisca_sp.population.reading import parquet_batches


@pytest.mark.parametrize("group_rows", [7, 100, 1000])
@pytest.mark.parametrize("whole_group_rows", [50, 1 << 20])
def test_the_blocks_are_the_files_rows_in_order(tmp_path, monkeypatch, group_rows, whole_group_rows):
    monkeypatch.setattr(reading, "WHOLE_GROUP_ROWS", whole_group_rows)
    table = pa.table({"a": np.arange(1000), "b": np.arange(1000) * 0.5, "c": ["x", "y"] * 500})
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=group_rows)
    blocks = list(parquet_batches(path, ["a", "c"], 64, ["c"]))
    assert all(block.num_rows <= 64 for block in blocks)
    assert pa.Table.from_batches(blocks).column("a").to_pylist() == list(range(1000))
    assert pa.types.is_dictionary(blocks[0].schema.field("c").type)


def test_a_row_group_too_large_to_decode_whole_is_read_a_block_at_a_time(tmp_path, monkeypatch):
    """No block holds more than the rows asked, and the large group is never decoded whole."""
    monkeypatch.setattr(reading, "WHOLE_GROUP_ROWS", 50)
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"a": np.arange(1000)}), path, row_group_size=1000)

    def whole(*arguments, **options):
        raise AssertionError("a row group above WHOLE_GROUP_ROWS was decoded whole")

    monkeypatch.setattr(pq.ParquetFile, "read_row_group", whole)
    blocks = list(parquet_batches(path, ["a"], 64))
    assert [block.num_rows for block in blocks] == [64] * 15 + [40]
