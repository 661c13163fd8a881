"""TinyChat: chat with small language models offline, and see how they work."""

APP_NAME = "TinyChat"


def __getattr__(name: str) -> str:
    # The version is read from the installed package's metadata only when asked for:
    # importlib.metadata costs a fifth of a second, which 'tinychat --help' does not need.
    if name != "__version__":
        raise AttributeError(f"module 'tinychat' has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("tinychat")
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        version = "0.1.0"
    globals()["__version__"] = version
    return version
