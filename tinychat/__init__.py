"""TinyChat: chat with small language models offline, and see how they work."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("tinychat")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"

APP_NAME = "TinyChat"
