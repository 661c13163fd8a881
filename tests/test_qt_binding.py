"""Guards against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 returns ``True`` from ``Signal.emit()`` without owning a
reference to it. Every streamed token emits signals, so on Python 3.11 (where
True is not immortal) the window crashed with "deallocating True or False"
after a few thousand tokens. The installer pins a version without the bug;
this test fails if an upgrade brings it back.
"""

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal


class _Emitter(QObject):
    fired = Signal(str)


def test_emit_keeps_the_reference_count_of_true():
    QCoreApplication.instance() or QCoreApplication([])
    emitter = _Emitter()
    received = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.fired.emit("piece")
    after = sys.getrefcount(True)
    assert len(received) == 200
    # A little noise from other objects is fine; losing one reference per emit is not.
    assert after - before > -20
