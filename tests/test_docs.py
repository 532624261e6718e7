"""The README stays true: every command and option is in it, and its example commands run.

As sqlite-utils keeps its CLI reference: the README's command table, and docs/architecture.md's
stage table and package picture, are generated from the code (`python -m eventledger.docgen
--write`) and must match it; then every fenced shell block's
`eventledger ...` line runs through click's runner, in a temporary folder holding the sample
corpus as `reports/` (and `samples/`), except the few listed in `SKIPPED` with a reason.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventledger import docgen
from eventledger.cli import main
from eventledger.pipeline import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
# an example is skipped when its line holds one of these; each says why
SKIPPED = {
    "eventledger serve": "starts a web server that runs until it is stopped",
    "eventledger quality": "the quality gate extracts the shared dev sets: minutes, and ../shared must exist",
    "--engine dask": "needs a Dask scheduler at a network address",
}


def _shell_blocks(text: str) -> list[str]:
    return [body for lang, body in FENCE.findall(text) if lang in ("bash", "sh", "shell", "console")]


def example_commands(text: str) -> list[list[str]]:
    """The argument lists of the `eventledger ...` lines of the README's shell blocks, in order."""
    commands = []
    for block in _shell_blocks(text):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and Path(words[0]).name == "eventledger":
                commands.append(words)
    return commands


def _skip_reason(words: list[str]) -> str | None:
    line = " ".join(words)
    return next((reason for key, reason in SKIPPED.items() if key in line), None)


@pytest.mark.parametrize("name", sorted(docgen.BLOCKS))
def test_the_generated_parts_of_the_docs_are_up_to_date(name: str) -> None:
    path, make = docgen.BLOCKS[name]
    found = docgen.block(path.read_text(encoding="utf-8"), name)
    assert found is not None, f"{path.name} has no generated {name!r} block"
    assert found == make(), f"{path.name}: the {name!r} block is stale; run python -m eventledger.docgen --write"


def test_the_stage_table_says_what_each_stage_reads_and_adds() -> None:
    table = docgen.stage_table()
    assert "| `events.v1` | sentences, places, dates | events | `eventledger.stages.language:find_events` |" in table
    assert table.count("\n| `") == len(REGISTRY)


def test_the_layout_names_every_module() -> None:
    picture = docgen.layout()
    for path in Path(docgen.PACKAGE).rglob("*.py"):
        if path.name != "__init__.py":
            assert f"── {path.name}" in picture, path


def test_the_reference_names_every_command_and_long_option() -> None:
    reference = docgen.reference()
    for name, command in main.commands.items():
        assert f"`eventledger {name}" in reference
        for param in command.params:
            for option in (o for o in getattr(param, "opts", ()) if o.startswith("--")):
                assert re.search(rf"{re.escape(option)}\b", reference), (name, option)


def test_the_example_parser_reads_lines_and_drops_comments() -> None:
    text = "intro\n```bash\nsource .venv/bin/activate\neventledger summary --db 'my ledger.db'   # what it holds\n```\n"
    assert example_commands(text) == [["eventledger", "summary", "--db", "my ledger.db"]]


def test_every_skipped_example_exists() -> None:
    lines = [" ".join(words) for words in example_commands(README.read_text(encoding="utf-8"))]
    for key in SKIPPED:
        assert any(key in line for line in lines), f"nothing in README.md is skipped for {key!r}: drop it"


def _workspace(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "samples", tmp_path / "reports")
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    runner = CliRunner()
    for args in (["extract", "reports/", "--out", "gold.jsonl", "-q"],  # a gold file for `evaluate`
                 ["ingest", "reports/", "--db", "backup.db", "-q"],
                 ["export", "--db", "backup.db", "--format", "jsonl", "--out", "backup.jsonl"]):  # for `import`
        result = runner.invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)


def test_the_readme_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = example_commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 10
    monkeypatch.chdir(tmp_path)
    _workspace(tmp_path)
    runner = CliRunner()
    ran = 0
    for words in commands:
        if _skip_reason(words):
            continue
        result = runner.invoke(main, words[1:], catch_exceptions=False)
        assert result.exit_code == 0, f"{' '.join(words)} exited {result.exit_code}:\n{result.output}"
        ran += 1
    assert ran >= 10
    assert Path("out.jsonl").stat().st_size > 0 and Path("events.csv").stat().st_size > 0


def test_the_readme_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = [body for lang, body in FENCE.findall(README.read_text(encoding="utf-8")) if lang == "python"]
    assert blocks
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    for block in blocks:
        namespace: dict[str, object] = {}
        exec(compile(block, "README.md", "exec"), namespace)  # the README's own example
    assert Path("ledger.db").exists()


def test_the_public_ingest_is_callable_and_its_package_still_a_package(tmp_path: Path) -> None:
    import eventledger
    from eventledger import extract, ingest  # extract imports the ingest package first

    assert callable(extract)
    summary = ingest([str(ROOT / "samples")], db=tmp_path / "ledger.db")
    assert summary.documents >= 3 and summary.records["event"] > 0
    assert eventledger.ingest.read_paths is not None and eventledger.ingest.urls.DEFAULT_DELAY > 0
