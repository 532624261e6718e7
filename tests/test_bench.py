"""Tests of `eventledger bench` and its generated corpus. No timing is asserted: only that the
measurements are made and reported, on a tiny corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from eventledger.bench_corpus import generate, vocabulary, write_jsonl
from eventledger.cli import main
from eventledger.ingest import read_paths
from eventledger.models import Report

REQUIRED = ("docs_per_s", "pipeline_words_per_s", "tokenizer_words_per_s", "workers2_words_per_s", "peak_rss_mb")


def test_bench_writes_the_json_fields(tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    result = CliRunner().invoke(main, ["bench", "--docs", "4", "--workers", "2", "--store-docs", "12",
                                       "--json", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    for key in REQUIRED:
        assert isinstance(data[key], float) and data[key] > 0, key
    assert data["docs"] == 4 and data["words_per_doc"] > 700
    assert data["workers2_identical_records"] is True
    assert set(data["stage_ms_per_doc"]) >= {"text.v1", "places.v1", "events.v1"}
    assert data["store_docs"] == 12 and len(data["store_rss_samples_mb"]) >= 2
    assert set(data["targets"]) == {"docs_per_s", "tokenizer_ratio", "workers2_speedup", "peak_rss_mb",
                                    "store_rss_growth_mb", "store_peak_rss_mb", "store_last_to_first_tenth",
                                    "store_to_pipeline"}
    for key in ("store_docs_per_s", "store_docs_per_s_first_tenth", "store_docs_per_s_last_tenth"):
        assert isinstance(data[key], float) and data[key] > 0, key
    assert 2 <= len(data["store_docs_per_s_tenths"]) <= 10
    assert all(isinstance(t["met"], bool) for t in data["targets"].values())
    assert "tokenizer" in result.output and "target" in result.output


def test_bench_on_a_corpus_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_jsonl(generate(3, seed=2, words=200), corpus / "reports.jsonl")
    (corpus / "broken.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["bench", "--corpus", str(corpus), "--workers", "1", "--json",
                                       str(tmp_path / "b.json"), "--quiet"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "b.json").read_text())
    assert data["docs"] == 3 and data["skipped_files"] == 1
    assert "workers2_words_per_s" not in data  # one worker: nothing to compare


def test_bench_on_an_empty_corpus_fails(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["bench", "--corpus", str(tmp_path), "--workers", "1"])
    assert result.exit_code == 3


def test_generated_corpus_is_deterministic_and_news_shaped() -> None:
    first, again, other = generate(3, seed=7), generate(3, seed=7), generate(3, seed=8)
    assert first == again and first != other
    vocab = vocabulary()
    for report in first:
        words = len(report.text.split())
        assert 780 <= words <= 1000
        assert sum(town in report.text for town in vocab.towns) >= 5  # place lists
        assert re.search(r"\d{1,3},\d{3}|\b\d{2}\b", report.text)  # figures
        assert re.search(r"(January|February|March|April|May|June|July|August|September|October|November"
                         r"|December) \d{1,2}\b", report.text)  # dates
        assert "\u201c" in report.text and "\u2019" in report.text  # typographic quotes and apostrophes
        assert report.published is not None and report.doc.startswith("bench-7-")


def test_generated_corpus_round_trips_through_json_lines(tmp_path: Path) -> None:
    reports = generate(2, seed=1, words=150)
    write_jsonl(reports, tmp_path / "c.jsonl")
    read = [i for i in read_paths([tmp_path / "c.jsonl"]) if isinstance(i, Report)]
    assert [(r.doc, r.text, r.published, r.publisher) for r in read] == \
           [(r.doc, r.text, r.published, r.publisher) for r in reports]
