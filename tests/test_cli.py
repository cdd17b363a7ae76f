"""The command line, run as a user runs it: in a subprocess, against real files."""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import CORPUS, EXPECTED, cli_json


def _state(dirs: dict[str, Path], run_cli) -> tuple[list[dict], list[str]]:  # type: ignore[no-untyped-def]
    listing = cli_json(run_cli, "list")
    objects = sorted(p.name for p in (dirs["data"] / "sources" / "objects").glob("*/*"))
    return listing, objects


def test_add_corpus_then_list(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in EXPECTED:
        (corpus / name).write_bytes((CORPUS / name).read_bytes())
    proc = run_cli("add", str(corpus))
    assert proc.returncode == 0, proc.stderr
    # The first command seeded the bundled copies of the same files: nothing new.
    assert proc.stdout.count("already in library") == 3
    listing = cli_json(run_cli, "list")
    titled = [row for row in listing if row["number"] is not None]
    assert [row["number"] for row in titled] == list(range(395, 385, -1))
    expected_titles = {e["number"]: e["title"] for e in EXPECTED["text-archive-386-395.txt"]}
    assert {row["number"]: row["title"] for row in titled} == expected_titles
    untitled = [row for row in listing if row["number"] is None]
    assert len(untitled) == 2
    assert set(listing[0]) == {"id", "number", "title", "date", "url", "sections"}
    assert {row["title"] for row in untitled} == {
        EXPECTED[name][0]["sections"][0]["headline"] for name in EXPECTED if name.endswith(".html")
    }


def test_first_run_seeds_bundled_issues_with_a_notice(run_cli) -> None:  # type: ignore[no-untyped-def]
    proc = run_cli("list")
    assert proc.returncode == 0
    assert "bundled sample issues" in proc.stderr
    assert "Import AI 395" in proc.stdout
    again = run_cli("list")
    assert again.stderr == ""


def test_show_json_and_section(run_cli) -> None:  # type: ignore[no-untyped-def]
    issue = cli_json(run_cli, "show", "393")
    assert issue["number"] == 393 and issue["id"] == "393"
    assert set(issue) == {"id", "number", "title", "date", "url", "references", "sections"}
    assert {384, 387} <= set(issue["references"])
    exp = next(e for e in EXPECTED["text-archive-386-395.txt"] if e["number"] == 393)
    assert [s["headline"] for s in issue["sections"]] == [s["headline"] for s in exp["sections"]]
    section = issue["sections"][4]
    assert set(section) == {"index", "kind", "headline", "subtitle", "text", "links"}
    assert "DeepSeek" in section["text"]
    one = cli_json(run_cli, "show", "393", "--section", "5")
    assert [s["index"] for s in one["sections"]] == [5]
    human = run_cli("show", "395", "--section", "3", check=True).stdout
    assert "Everything becomes a game – DeepMind demos Genie 2" in human
    assert "Anything you can imagine can become a game" in human


def test_search_json(run_cli) -> None:  # type: ignore[no-untyped-def]
    hits = cli_json(run_cli, "search", "chip embargo", "--limit", "5")
    assert hits and len(hits) <= 5
    assert (hits[0]["number"], hits[0]["section"]) == (393, 5)
    assert "embargo" in hits[0]["snippet"]
    assert set(hits[0]) == {"issue_id", "number", "section", "kind", "headline", "snippet", "score"}
    fuzzy = cli_json(run_cli, "search", "distrib trainng")
    headlines = [h["headline"] for h in fuzzy[:5]]
    assert "Drop-in AdamW replacement makes distributed training possible" in headlines
    typo = cli_json(run_cli, "search", "geni")
    assert typo[0]["headline"].endswith("DeepMind demos Genie 2")


def test_unknown_issue_and_section(run_cli) -> None:  # type: ignore[no-untyped-def]
    run_cli("list", check=True)
    proc = run_cli("show", "999")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "999" in proc.stderr
    proc = run_cli("show", "395", "--section", "40")
    assert proc.returncode == 2 and "sections 1 to 6" in proc.stderr


def _bad_inputs(folder: Path) -> dict[str, Path]:
    html = (CORPUS / "substack-body-stow-robots.html").read_bytes()
    files = {
        "empty": b"",
        "binary": bytes(range(256)) * 4,
        "truncated": html[: len(html) // 2],
        "truncated feed": (
            b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>Import AI"
        ),
        "not xml feed": b"<?xml version='1.0'?><rss><channel><item>& broken <</rss>",
        "no issue html": b"<html><body><article><p>Recipes</p><p>Soup.</p></article></body></html>",
        "no issue md": b"---\ntitle: Groceries\n---\n**Buy:** eggs\n\n- [milk](https://x.org)\n",
        "no issue text": b"Meeting notes\n\nNothing about the newsletter here.\n",
        "no issue feed": (
            b"<?xml version='1.0'?><rss version='2.0'><channel><title>Cooking</title>"
            b"<item><title>Soup</title><description>Add salt.</description></item>"
            b"</channel></rss>"
        ),
    }
    paths = {}
    for label, data in files.items():
        path = folder / (label.replace(" ", "-") + ".dat")
        path.write_bytes(data)
        paths[label] = path
    return paths


def test_bad_inputs_are_refused_and_change_nothing(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    run_cli("list", check=True)
    before = _state(isolated_dirs, run_cli)
    bad = _bad_inputs(tmp_path)
    for label, path in bad.items():
        proc = run_cli("add", str(path))
        assert proc.returncode == 2, label
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and str(path) in lines[0] and "rejected" in lines[0], label
        assert "Traceback" not in proc.stderr
    assert _state(isolated_dirs, run_cli) == before


def test_other_files_in_the_same_call_are_still_imported(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path
) -> None:
    run_cli("list", check=True)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = tmp_path / "issue.txt"
    good.write_text((Path(__file__).parent / "data" / "issue-512.txt").read_text())
    proc = run_cli("add", str(empty), str(good), str(tmp_path / "missing.txt"))
    assert proc.returncode == 2
    assert "added" in proc.stdout and "Import AI 512" in proc.stdout
    assert "empty.txt: rejected: the file is empty" in proc.stderr
    assert "missing.txt: rejected: no such file" in proc.stderr
    assert any(row["number"] == 512 for row in cli_json(run_cli, "list"))
    again = run_cli("add", str(good))
    assert again.returncode == 0 and "already in library" in again.stdout


def test_fifo_and_dangling_link_do_not_hang(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "dangling"
    link.symlink_to(tmp_path / "nowhere")
    proc = run_cli("add", str(fifo), str(link))
    assert proc.returncode == 2
    assert "pipe: rejected: not a regular file" in proc.stderr
    assert "dangling: rejected: no such file" in proc.stderr


def test_help_and_version(run_cli) -> None:  # type: ignore[no-untyped-def]
    for command in ("add", "list", "show", "search", "rebuild"):
        proc = run_cli(command, "--help")
        assert proc.returncode == 0 and "usage: importai " + command in proc.stdout
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("importai ")
    bad = run_cli("search")
    assert bad.returncode == 2 and "QUERY" in bad.stderr


def test_read_needs_a_terminal_and_a_known_issue(run_cli) -> None:  # type: ignore[no-untyped-def]
    proc = run_cli("read", "99999")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == (
        "importai: no issue '99999' in the library (try 'importai list')"
    )
    proc = run_cli("read")
    assert proc.returncode == 2
    assert "needs a terminal" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_bare_command_piped_prints_the_list(run_cli) -> None:  # type: ignore[no-untyped-def]
    proc = run_cli(check=True)
    assert "395" in proc.stdout and "Title" in proc.stdout


def test_no_arguments_are_read_as_the_parser_reads_them() -> None:
    # the bare command skips building the parser (start-up time): it must mean the same
    from importai_tui import cli

    assert cli._arguments([]) == cli._parser().parse_args([])
