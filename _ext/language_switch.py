"""Sphinx extension: a button in every page's header that opens the same page in the book's other language.

The English book is published at the site's root and the Chinese edition under zh/ (`make book-zh` builds it
into _build/html/zh/), so the two editions' pages share their names: book/01_background.html in one is
zh/book/01_background.html in the other. Configure it in _config.yml (sphinx: config:):

    language_switch_root: "zh/"      # the other edition's root, relative to this edition's root
    language_switch_label: "中文"     # the button's text
    language_switch_tooltip: "中文版（简体）"

The button is one of sphinx-book-theme's header buttons (a plain link, no JavaScript).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def other_edition(pagename: str, root: str, suffix: str = ".html") -> str:
    """The relative URL, from page `pagename`, of the same page in the edition at `root`."""
    up = "../" * pagename.count("/")
    return f"{up}{root}{pagename}{suffix}"


def add_button(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Append the language button to the theme's header buttons (prepared at priority 500)."""
    root = app.config.language_switch_root
    if not root or "header_buttons" not in context:
        return
    context["header_buttons"].append(
        {
            "type": "link",
            "url": other_edition(pagename, root, app.builder.link_suffix),
            "text": app.config.language_switch_label,
            "tooltip": app.config.language_switch_tooltip or app.config.language_switch_label,
            "icon": "fas fa-language",
            "label": "language-switch-button",
        }
    )


def setup(app: Sphinx) -> dict:
    app.add_config_value("language_switch_root", "", "html")
    app.add_config_value("language_switch_label", "", "html")
    app.add_config_value("language_switch_tooltip", "", "html")
    app.connect("html-page-context", add_button, priority=502)  # after the theme's own buttons (501)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
