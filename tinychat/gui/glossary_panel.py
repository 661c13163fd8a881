"""The glossary panel: search a term, read its explanation in large type, follow related terms.

Built to be read from the back of a classroom: the explanation is set well
above the normal font size and :meth:`GlossaryPanel.set_font_scale` makes it
larger still. The glossary opens in the language TinyChat speaks
(tinychat.core.i18n.current_language); the panel can still switch it, so a
teacher can show the Spanish text on an English desktop.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tinychat.core.glossary import (
    LANGUAGES,
    Glossary,
    GlossaryError,
    load_glossary,
    normalize_language,
)
from tinychat.core.i18n import current_language
from tinychat.gui.window_fit import fit_to_screen

# Two a row: three long Spanish names made the glossary wider than a 1024x768 projector.
SEE_ALSO_PER_ROW = 2
# How the glossary data introduces the example in each language.
EXAMPLE_MARKERS = ("Example:", "Ejemplo:")
_ID_ROLE = Qt.ItemDataRole.UserRole


def system_language() -> str:
    """The glossary's language when none is asked for: the one TinyChat speaks (see tinychat.core.i18n)."""
    return normalize_language(current_language())


def term_tooltip(term_id: str, language: str | None = None) -> str:
    """The one-sentence explanation of ``term_id`` for a tooltip ("" if unknown or unreadable).

    The ids of the sampling parameters are the names in
    ``tinychat.core.params.SPECS`` plus "seed".
    """
    try:
        glossary = load_glossary()
    except GlossaryError:
        return ""
    return glossary.tooltip(term_id, language or system_language())


def _example_on_its_own_line(text: str) -> str:
    """Start the example of an explanation on a new paragraph, where a class finds it at a glance."""
    for marker in EXAMPLE_MARKERS:
        text = text.replace(" " + marker, "\n\n" + marker, 1)
    return text


class GlossaryPanel(QWidget):
    """Search box and term list on the left, the chosen term's explanation on the right."""

    termShown = Signal(str)
    languageChanged = Signal(str)
    #: A term's "try it" link was pressed: the Look-inside view to open ("tokens": the tokenizer playground).
    tryRequested = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        glossary: Glossary | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("glossaryPanel")
        self._load_error = ""
        if glossary is None:
            try:
                glossary = load_glossary()
            except GlossaryError as exc:
                glossary = Glossary(())
                self._load_error = str(exc)
        self.glossary = glossary
        self._language = normalize_language(language or system_language())
        self._current: str | None = None
        self._announced: str | None = None
        self._font_scale = 1.0
        self._build_ui()
        self._apply_fonts()
        self.retranslate()
        self._refill_list()

    # ----- building -------------------------------------------------------

    def _build_ui(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("glossary_search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._refill_list)
        self.search_edit.returnPressed.connect(self._show_first_match)

        self.language_label = QLabel()
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("glossary_language")
        for code in LANGUAGES:
            self.language_combo.addItem("", code)
        self.language_combo.setCurrentIndex(LANGUAGES.index(self._language))
        self.language_combo.currentIndexChanged.connect(self._on_language_index)
        self.language_label.setBuddy(self.language_combo)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addSpacing(12)
        top.addWidget(self.language_label)
        top.addWidget(self.language_combo)

        self.term_list = QListWidget()
        self.term_list.setObjectName("glossary_list")
        self.term_list.setWordWrap(True)
        self.term_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.term_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.term_list.currentItemChanged.connect(self._on_current_item)

        self.title_label = QLabel()
        self.title_label.setObjectName("glossary_title")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.short_label = QLabel()
        self.short_label.setObjectName("glossary_short")
        self.short_label.setTextFormat(Qt.TextFormat.PlainText)
        self.short_label.setWordWrap(True)
        self.short_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Plain text only: the explanations come from a data file and are
        # never interpreted as HTML.
        self.long_view = QTextBrowser()
        self.long_view.setObjectName("glossary_long")
        self.long_view.setOpenLinks(False)
        self.long_view.setFrameShape(QTextBrowser.Shape.NoFrame)

        # A link to where the idea can be tried (the tokenizer playground for "token" and "context window").
        self.try_button = QPushButton()
        self.try_button.setObjectName("glossary_try")
        self.try_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.try_button.clicked.connect(self._on_try)
        self.try_button.hide()
        try_row = QHBoxLayout()
        try_row.addWidget(self.try_button)
        try_row.addStretch(1)

        self.see_also_label = QLabel()
        self.see_also_box = QWidget()
        self.see_also_box.setObjectName("glossary_see_also")
        # Rows of buttons at their natural width, left-aligned like a line of text.
        self.see_also_layout = QVBoxLayout(self.see_also_box)
        self.see_also_layout.setContentsMargins(0, 0, 0, 0)
        self.see_also_buttons: list[QPushButton] = []

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(16, 0, 0, 0)
        detail_layout.addWidget(self.title_label)
        detail_layout.addWidget(self.short_label)
        detail_layout.addWidget(self.long_view, 1)
        detail_layout.addLayout(try_row)
        detail_layout.addWidget(self.see_also_label)
        detail_layout.addWidget(self.see_also_box)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("glossary_splitter")
        splitter.addWidget(self.term_list)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def retranslate(self) -> None:
        """Set every fixed text of the panel through Qt's translator (called again on a language change)."""
        self.search_edit.setPlaceholderText(self.tr("Search the glossary…"))
        self.search_edit.setToolTip(self.tr("Type part of a term or of its explanation; accents do not matter."))
        self.language_label.setText(self.tr("&Language:"))
        self.language_combo.setToolTip(self.tr("The language of the explanations"))
        names = {"en": self.tr("English"), "es": self.tr("Español")}
        for index in range(self.language_combo.count()):
            self.language_combo.setItemText(index, names[self.language_combo.itemData(index)])
        self.see_also_label.setText(self.tr("See also:"))
        self.search_edit.setAccessibleName(self.tr("Search the glossary"))
        self.term_list.setAccessibleName(self.tr("Terms"))
        self.term_list.setAccessibleDescription(self.tr("The glossary's terms; choose one to read its explanation"))
        self._show_current()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _apply_fonts(self) -> None:
        base = self.font().pointSizeF()
        if base <= 0:
            base = 10.0
        scale = self._font_scale

        def sized(factor: float, bold: bool = False, italic: bool = False) -> QFont:
            font = QFont(self.font())
            font.setPointSizeF(base * factor * scale)
            font.setBold(bold)
            font.setItalic(italic)
            return font

        self.language_label.setFont(sized(1.0))
        self.language_combo.setFont(sized(1.0))
        self.term_list.setFont(sized(1.3))
        self.search_edit.setFont(sized(1.3))
        self.title_label.setFont(sized(2.4, bold=True))
        self.short_label.setFont(sized(1.6, italic=True))
        self.long_view.setFont(sized(1.6))
        self.long_view.document().setDefaultFont(sized(1.6))
        self.see_also_label.setFont(sized(1.3, bold=True))
        for button in self.see_also_buttons:
            button.setFont(sized(1.3))
        self.try_button.setFont(sized(1.3, bold=True))
        # Wide enough for most term names at this size; the splitter lets a teacher adjust it.
        self.term_list.setMinimumWidth(self.term_list.fontMetrics().horizontalAdvance("M" * 16))

    # ----- public API -----------------------------------------------------

    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> None:
        """Show the glossary in ``language`` ("en", "es", or a locale name such as "es_MX")."""
        code = normalize_language(language)
        index = LANGUAGES.index(code)
        if self.language_combo.currentIndex() != index:
            self.language_combo.setCurrentIndex(index)  # calls _on_language_index
        else:
            self._set_language_code(code)

    def current_term_id(self) -> str | None:
        return self._current

    def show_term(self, term_id: str) -> bool:
        """Select and show the term with this id or alias; False (and nothing changes) if there is none.

        A search that hides the term is cleared first.
        """
        term = self.glossary.get(term_id)
        if term is None:
            return False
        if self._item_for(term.id) is None:
            self.search_edit.clear()
        item = self._item_for(term.id)
        if item is not None:
            self.term_list.setCurrentItem(item)
            self.term_list.scrollToItem(item)
        self._current = term.id
        self._show_current()
        return True

    def set_search(self, text: str) -> None:
        self.search_edit.setText(text)

    def visible_term_ids(self) -> list[str]:
        """The ids listed now, in order (the search filters them)."""
        return [self.term_list.item(row).data(_ID_ROLE) for row in range(self.term_list.count())]

    def set_font_scale(self, factor: float) -> None:
        """Make every text in the panel ``factor`` times its normal projector size (classroom mode)."""
        self._font_scale = max(0.5, min(float(factor), 4.0))
        self._apply_fonts()

    # ----- behaviour ------------------------------------------------------

    @Slot(int)
    def _on_language_index(self, index: int) -> None:
        self._set_language_code(self.language_combo.itemData(index))

    def _set_language_code(self, code: str) -> None:
        changed = code != self._language
        self._language = code
        self._refill_list()
        if changed:
            self.languageChanged.emit(code)

    def _item_for(self, term_id: str) -> QListWidgetItem | None:
        for row in range(self.term_list.count()):
            item = self.term_list.item(row)
            if item.data(_ID_ROLE) == term_id:
                return item
        return None

    @Slot()
    def _refill_list(self) -> None:
        """List the terms matching the search in the current language, keeping the shown term if it is listed."""
        matches = self.glossary.search(self.search_edit.text(), self._language)
        self.term_list.blockSignals(True)
        self.term_list.clear()
        for term in matches:
            item = QListWidgetItem(term.name(self._language))
            item.setData(_ID_ROLE, term.id)
            item.setToolTip(term.text("short", self._language))
            self.term_list.addItem(item)
        self.term_list.blockSignals(False)
        keep = self._item_for(self._current) if self._current else None
        if keep is None and self.search_edit.text().strip() and matches:
            keep = self.term_list.item(0)
        if keep is None and self._current is None and matches:
            keep = self.term_list.item(0)
        if keep is not None:
            self.term_list.setCurrentItem(keep)
            self._current = keep.data(_ID_ROLE)
        self._show_current()

    @Slot()
    def _show_first_match(self) -> None:
        if self.term_list.count():
            self.show_term(self.term_list.item(0).data(_ID_ROLE))

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_current_item(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self._current = current.data(_ID_ROLE)
            self._show_current()

    def _show_current(self) -> None:
        language = self._language
        term = self.glossary.get(self._current) if self._current else None
        searching = self.search_edit.text().strip()
        if self._load_error:
            self._show_message(self.tr("The glossary is not available"), self._load_error)
            return
        if self.term_list.count() == 0 and searching:
            self._show_message(
                self.tr("Nothing found"),
                self.tr("No term matches “%1”. Try a shorter word, or clear the search.").replace("%1", searching),
            )
            return
        if term is None:
            self._show_message("", "")
            return
        self.title_label.setText(term.name(language))
        self.short_label.setText(term.text("short", language))
        self.long_view.setPlainText(_example_on_its_own_line(term.text("long", language)))
        self._set_see_also([t for t in (self.glossary.get(i) for i in term.see_also) if t is not None])
        self.try_button.setText("▶ " + term.try_text(language) if term.try_view else "")
        self.try_button.setToolTip(self.tr("Opens Look inside the model on this idea, with the loaded model"))
        self.try_button.setVisible(bool(term.try_view))
        if term.id != self._announced:
            self._announced = term.id
            self.termShown.emit(term.id)

    def _on_try(self) -> None:
        term = self.glossary.get(self._current) if self._current else None
        if term is not None and term.try_view:
            self.tryRequested.emit(term.try_view)

    def _show_message(self, title: str, text: str) -> None:
        self.try_button.hide()
        self.title_label.setText(title)
        self.short_label.setText("")
        self.long_view.setPlainText(text)
        self._set_see_also([])

    def _set_see_also(self, terms: list) -> None:
        for button in self.see_also_buttons:
            button.hide()  # deleteLater() waits for the event loop; until then it would still be drawn
            button.deleteLater()
        self.see_also_buttons = []
        while self.see_also_layout.count():
            old_row = self.see_also_layout.takeAt(0).layout()
            if old_row is not None:
                old_row.deleteLater()
        row: QHBoxLayout | None = None
        for position, term in enumerate(terms):
            if position % SEE_ALSO_PER_ROW == 0:
                if row is not None:
                    row.addStretch(1)
                row = QHBoxLayout()
                self.see_also_layout.addLayout(row)
            button = QPushButton("→ " + term.name(self._language))
            button.setObjectName(f"see_also_{term.id}")
            button.setToolTip(term.text("short", self._language))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _checked=False, target=term.id: self.show_term(target))
            row.addWidget(button)
            # Shown now rather than on the next pass of the event loop, so the
            # old and new buttons are never on screen together.
            button.setVisible(True)
            self.see_also_buttons.append(button)
        if row is not None:
            row.addStretch(1)
        self.see_also_label.setVisible(bool(terms))
        self.see_also_box.setVisible(bool(terms))
        self._apply_fonts()


class GlossaryDialog(QDialog):
    """A window holding the glossary panel, for the Help menu or a "?" next to a control."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        glossary: Glossary | None = None,
        language: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("glossaryDialog")
        self.panel = GlossaryPanel(self, glossary=glossary, language=language)
        self._close_button = buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, 1100, 720, near=parent, center=False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Glossary"))
        self._close_button.button(QDialogButtonBox.StandardButton.Close).setAccessibleDescription(
            self.tr("Close the glossary")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_term(self, term_id: str) -> bool:
        """Open the dialog (if hidden) at the given term; False if the glossary has no such term."""
        found = self.panel.show_term(term_id)
        if not self.isVisible():
            self.show()
        # activateWindow() also brings it to the front under common window
        # managers; raise_() is left out because some platforms reject it.
        self.activateWindow()
        return found
