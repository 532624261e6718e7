"""Hostile inputs and requests (issue 16, security and bounded cost): each test names the item.

Every text here is written for the tests. Servers are started and stopped by the tests, on
127.0.0.1 only; no test sleeps: waiting is on events (a served request, a process's exit).
"""

from __future__ import annotations

from pathlib import Path

from eventledger.ingest import IngestFailure, read_paths
from eventledger.models import Report

FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test wire</title>
<item><guid>wire-1</guid><title>Teachers rally</title>
<description>Teachers rallied in front of the education office in Tabriz on Sunday over pay.</description>
</item></channel></rss>"""


# --------------------------------------------------------------------------- 7: feed bytes, never a path


def test_feed_holding_a_path_is_not_read_as_that_file(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "private.rss"
    other.parent.mkdir()
    other.write_bytes(FEED)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "pointer.rss").write_bytes(str(other).encode())
    items = list(read_paths([inputs]))
    assert not any(isinstance(item, Report) for item in items)
    assert [type(item) for item in items] == [IngestFailure]
    assert "Teachers" not in repr(items)
