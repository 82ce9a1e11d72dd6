"""The progress line of long builds: what it says, and that it says nothing when nobody watches."""
from __future__ import annotations

import io

from generator.cli import main
from generator.engine.progress import Progress, line


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_line_says_done_of_total_the_current_site_and_the_time_left():
    assert line(3, 43, "gen-jeugdregio-04", 30.0) == \
        "3/43 sites klaar · bezig: gen-jeugdregio-04 · nog ongeveer 6 min 40 s"
    assert line(20, 40, "portaal", 10.0) == "20/40 sites klaar · bezig: portaal · nog ongeveer 10 s"


def test_no_estimate_before_the_first_site_or_after_the_last():
    assert line(0, 43, "portaal", 5.0) == "0/43 sites klaar · bezig: portaal"
    assert line(43, 43, None, 50.0) == "43/43 sites klaar"


def test_on_a_terminal_the_line_is_rewritten_in_place_and_wiped_at_the_end():
    stream, clock = _Terminal(), _Clock()
    progress = Progress(4, stream=stream, clock=clock)
    assert progress.active
    progress.update(0, "portaal")
    clock.now += 8
    progress.update(2, "regio-b")
    progress.finish()
    text = stream.getvalue()
    assert text.startswith("\r0/4 sites klaar · bezig: portaal")
    assert "\r2/4 sites klaar · bezig: regio-b · nog ongeveer 8 s" in text
    assert "\n" not in text  # one line, overwritten: a log of 43 lines would drown the findings
    assert text.endswith("\r")
    assert text.rsplit("\r", 2)[-2].strip() == ""  # the last write wipes the line


def test_a_shorter_line_wipes_the_rest_of_a_longer_one():
    stream = _Terminal()
    progress = Progress(10, stream=stream, clock=_Clock())
    progress.update(1, "een-heel-lange-regionaam")
    progress.update(2, "kort")
    last = stream.getvalue().split("\r")[-1]
    longer = line(1, 10, "een-heel-lange-regionaam", 0.0)
    assert last == line(2, 10, "kort", 0.0).ljust(len(longer))


def test_quiet_when_stderr_is_not_a_terminal():
    stream = io.StringIO()  # CI, a log file, a pipe
    progress = Progress(4, stream=stream)
    assert not progress.active
    progress.update(1, "portaal")
    progress.finish()
    assert stream.getvalue() == ""


def test_forced_off_even_on_a_terminal():
    stream = _Terminal()
    progress = Progress(4, stream=stream, force=False)
    progress.update(1, "portaal")
    progress.finish()
    assert stream.getvalue() == ""


def test_govsite_build_writes_no_progress_when_not_on_a_terminal(regions, tmp_path, capfd):
    code = main(["build", "--regions", str(regions.root), "--out", str(tmp_path / "site"),
                 "--as-of", "2026-11-26", "--jobs", "2"])
    captured = capfd.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""
    assert "sites klaar" not in captured.out
    assert (tmp_path / "site" / "leidse-regio" / "index.html").is_file()
