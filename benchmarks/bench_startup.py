"""Launch → window shown, against the floor of importing Qt's widgets, measured in the same run.

Run: python benchmarks/bench_startup.py [REPEATS]   (default 5; offscreen unless QT_QPA_PLATFORM is set)

Each launch is a fresh process running TinyChat's real entry point
(``tinychat.cli.main([])``, the window with the starter model); the only
addition is a hook that prints "shown" once the window has been shown and
the event loop has painted it, then quits, and one that prints "splash" when
the start-up splash (icon and "Starting TinyChat…") is shown. The floor is a
fresh ``python -c "import PySide6.QtWidgets"``. Prints the median of each and
their ratios; the goal is a window in under a second.
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
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

# Hooks on Qt's classes, so TinyChat's own modules load exactly when they would.
original_show = QMainWindow.show
original_widget_show = QWidget.show

def show_and_report(self):
    original_show(self)
    if type(self).__name__ == "MainWindow":
        def report():
            print("shown", flush=True)
            QApplication.instance().quit()
        QTimer.singleShot(0, report)

def widget_show(self):
    original_widget_show(self)
    if self.objectName() == "splash":
        print("splash", flush=True)

QMainWindow.show = show_and_report
QWidget.show = widget_show
from tinychat.cli import main
sys.exit(main([]))
"""


def time_process(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from launch to each line the process prints, and to its exit ("exit")."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    times: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        times.setdefault(line.strip(), time.perf_counter() - start)
    proc.wait()
    times["exit"] = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{args[:3]} exited with {proc.returncode}")
    return times


def main() -> int:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("TINYCHAT_THREADS", "1")
    floors, splashes, launches = [], [], []
    with tempfile.TemporaryDirectory() as data:
        env["TINYCHAT_DATA_DIR"] = data
        # One warm-up of each so both read the same files from the disk cache.
        time_process([sys.executable, "-c", "import PySide6.QtWidgets"], env)
        time_process([sys.executable, "-c", LAUNCH], env)
        for _ in range(repeats):  # interleaved, so a busy moment hurts both alike
            floors.append(time_process([sys.executable, "-c", "import PySide6.QtWidgets"], env)["exit"])
            launch = time_process([sys.executable, "-c", LAUNCH], env)
            splashes.append(launch["splash"])
            launches.append(launch["shown"])
    floor, splash, shown = (statistics.median(x) for x in (floors, splashes, launches))
    print(f"python -c 'import PySide6.QtWidgets': {floor * 1000:7.0f} ms (median of {repeats})")
    print(f"tinychat launch -> splash shown:      {splash * 1000:7.0f} ms")
    print(f"tinychat launch -> main window shown: {shown * 1000:7.0f} ms")
    print(f"ratio splash / floor: {splash / floor:.2f}   main window / floor: {shown / floor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
