"""The window: PySide6 widgets and the thin QObject workers around the core."""
