"""Launch → window shown, against the floor of importing Qt's widgets, measured in the same run.

Run: python benchmarks/bench_startup.py [REPEATS]   (default 5; offscreen unless QT_QPA_PLATFORM is set)

Each launch is a fresh process running TinyChat's real entry point
(``tinychat.cli.main([])``, the window with the starter model); the only
addition is a hook that prints "shown" once the window has been shown and
the event loop has painted it, then quits. The floor is a fresh
``python -c "import PySide6.QtWidgets"``. Prints the median of each and their
ratio; the goal is a window in under a second, i.e. a small multiple of the floor.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

LAUNCH = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import tinychat.gui.main_window as mw

original_show = mw.MainWindow.show

def show_and_report(self):
    original_show(self)
    def report():
        print("shown", flush=True)
        QApplication.instance().quit()
    QTimer.singleShot(0, report)

mw.MainWindow.show = show_and_report
from tinychat.cli import main
sys.exit(main([]))
"""


def time_process(args: list[str], env: dict[str, str], until_line: str | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if until_line is None:
        proc.wait()
        elapsed = time.perf_counter() - start
    else:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == until_line:
                break
        elapsed = time.perf_counter() - start
        proc.wait()
    if proc.returncode != 0:
        raise SystemExit(f"{args[:3]} exited with {proc.returncode}")
    return elapsed


def main() -> int:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("TINYCHAT_THREADS", "1")
    floors, launches = [], []
    with tempfile.TemporaryDirectory() as data:
        env["TINYCHAT_DATA_DIR"] = data
        # One warm-up of each so both read the same files from the disk cache.
        time_process([sys.executable, "-c", "import PySide6.QtWidgets"], env)
        time_process([sys.executable, "-c", LAUNCH], env, "shown")
        for _ in range(repeats):  # interleaved, so a busy moment hurts both alike
            floors.append(time_process([sys.executable, "-c", "import PySide6.QtWidgets"], env))
            launches.append(time_process([sys.executable, "-c", LAUNCH], env, "shown"))
    floor, launch = statistics.median(floors), statistics.median(launches)
    print(f"python -c 'import PySide6.QtWidgets': {floor * 1000:7.0f} ms (median of {repeats})")
    print(f"tinychat launch -> window shown:      {launch * 1000:7.0f} ms (median of {repeats})")
    print(f"ratio (launch / floor): {launch / floor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
