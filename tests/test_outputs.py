"""Outputs are written whole or not at all: full disks, failed writes, FIFOs, symlinks and clashing paths never
leave half a file, replace a special file, or lose data already there."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT, golden_pages, load_golden
from crawler import archive
from crawler.archive import outputs
from crawler.cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outputs") / "archive.db"
    conn = archive.open_archive(path)
    for page in golden_pages()[:6]:
        archive.store_article(conn, load_golden(page))
    conn.close()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("newsarchive: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def run_shell(command: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`newsarchive` in a shell, so that the shell (not our code) points stdout at a full or closed file."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(["bash", "-c", f"{sys.executable} -m crawler {command}"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_failing_write_leaves_the_old_file_and_no_part_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("what was there\n", encoding="utf-8")
    with pytest.raises(outputs.OutputError, match="No space left on device"):
        with outputs.output_file(target) as fh:
            fh.write("half of the new")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert target.read_text(encoding="utf-8") == "what was there\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_failing_close_is_an_error_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync_fails(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(outputs.os, "fsync", fsync_fails)
    with pytest.raises(outputs.OutputError, match="Input/output error"):
        with outputs.output_file(tmp_path / "new.csv") as fh:
            fh.write("data")
    assert list(tmp_path.iterdir()) == []


def test_export_into_a_full_disk_is_one_line_and_status_2(db: Path, tmp_path: Path) -> None:
    for command in (f"export --db {db}", f"query --db {db} 'SELECT * FROM articles'",
                    f"query --db {db} --json 'SELECT title FROM articles'"):
        result = run_shell(f"{command} > /dev/full", tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        assert "No space left on device" in one_error_line(result.stderr)


def test_export_with_stdout_closed_is_one_line_and_status_2(db: Path, tmp_path: Path) -> None:
    for command in (f"export --db {db}", f"query --db {db} 'SELECT 1'"):
        result = run_shell(f"{command} >&-", tmp_path)
        assert result.returncode == 2, (command, result.stderr)
        one_error_line(result.stderr)


def test_export_into_a_closed_pipe_is_one_line(db: Path, tmp_path: Path) -> None:
    result = run_shell(f"export --db {db} | head -c 10 > head.txt", tmp_path)
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


def test_export_into_a_fifo_writes_through_it_and_keeps_it_a_fifo(db: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    status = main(["export", "--db", str(db), "-o", str(fifo), "--force"])
    reader.join(10)
    if reader.is_alive():  # nothing opened the FIFO for writing: let the reader go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert status == 0
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].startswith(b"id,site,") and received[0].count(b"\n") > 6


def test_export_through_a_symlink_replaces_its_target_and_keeps_the_link(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert main(["export", "--db", str(db), "-o", str(link), "--force"]) == 0
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text(encoding="utf-8").startswith("id,site,")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_an_existing_file_is_not_written_over_without_force(db: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.csv"
    out.write_text("keep me\n", encoding="utf-8")
    assert main(["export", "--db", str(db), "-o", str(out)]) == 2
    assert "exists" in one_error_line(capsys.readouterr().err)
    assert out.read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize("spelling", ["same", "dot", "link"])
def test_two_outputs_naming_one_file_are_refused(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 spelling: str) -> None:
    out = tmp_path / "same.csv"
    other = {"same": out, "dot": tmp_path / "." / "same.csv", "link": tmp_path / "link.csv"}[spelling]
    if spelling == "link":
        out.write_text("keep me\n", encoding="utf-8")
        other.symlink_to(out)
    assert main(["export", "--db", str(db), "-o", str(out), "--images", str(other), "--force"]) == 2
    assert "the same file" in one_error_line(capsys.readouterr().err)
    assert not out.exists() or out.read_text(encoding="utf-8") == "keep me\n"


def test_export_over_the_archive_itself_is_refused(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(db)
    assert main(["export", "--db", str(db), "-o", str(db), "--force"]) == 2
    assert "archive itself" in one_error_line(capsys.readouterr().err)
    assert digest(db) == before


def test_export_into_a_missing_folder_or_a_folder_is_refused_before_any_work(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", str(db), "-o", str(tmp_path / "no" / "a.csv")]) == 2
    assert "no folder" in one_error_line(capsys.readouterr().err)
    assert main(["export", "--db", str(db), "-o", str(tmp_path), "--force"]) == 2
    assert "is a directory" in one_error_line(capsys.readouterr().err)
