"""What the ledger keeps per document so that corroboration can be incremental (pure functions).

The full pass (`plan` over every stored report) finds near-identical paragraphs with MinHash and
LSH, then confirms each candidate pair with `passages.similar`. Two paragraphs are LSH candidates
exactly when one of the `BANDS` bands of their signatures (rows ``ROWS * b`` to ``ROWS * (b + 1)``)
is equal; that is a property of the pair alone. So the ledger stores, per paragraph, one 64-bit key
per band (`band_keys`): paragraphs sharing a key are the candidates the full pass would compare,
and a new paragraph finds its candidates with an indexed lookup instead of a rebuilt index.

Incidents never cross the (event type, place) of an event (`incidents.place_key`): events of
different `incident_base` are never clustered together and a near-copy's event only follows its
original's event of the same base. So incidents are re-planned one base at a time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from eventledger.corroborate.incidents import place_key
from eventledger.corroborate.passages import LSH_THRESHOLD, NUM_PERM, _shingles
from eventledger.models import Event


def _lsh_shape() -> tuple[int, int]:
    """(bands, rows per band) that `datasketch.MinHashLSH` picks for the threshold `passages` uses."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


BANDS, ROWS = 21, 3  # checked against datasketch in tests (`_lsh_shape`)


def _band_key(band: int, values: bytes) -> int:
    digest = hashlib.blake2b(bytes((band,)) + values, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)  # fits SQLite's INTEGER


def band_keys(texts: Sequence[tuple[str, ...]]) -> list[list[int]]:
    """For each word sequence, one key per LSH band: equal keys <=> `passages._candidates` pairs them.

    The signature is the one `passages._candidates` computes (`MinHash.bulk` of the same shingles,
    same seed); a band key is a 64-bit hash of the band's number and its hash values.
    """
    if not texts:
        return []
    from datasketch import MinHash

    signatures = MinHash.bulk((_shingles(t) for t in texts), num_perm=NUM_PERM)
    out = []
    for signature in signatures:
        values = signature.hashvalues
        out.append([_band_key(b, values[b * ROWS:(b + 1) * ROWS].tobytes()) for b in range(BANDS)])
    return out


def incident_base(event: Event) -> str:
    """The (event type, place) an event's incident is decided within, as a string key."""
    return json.dumps([event.event_type, *(place_key(event) or ("", ""))], ensure_ascii=False)
