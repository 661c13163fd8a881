"""The part of TinyChat that knows nothing about Qt.

Everything here is usable from the command line and from tests without a
display. A test (tests/test_layering.py) fails if any module in this package
imports PySide6.
"""
