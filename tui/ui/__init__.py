"""The Textual console. Importing it makes Rich and Textual break Chinese lines
between characters (:mod:`tui.ui.cjk_wrap`), for every widget of the UI."""

from tui.ui.cjk_wrap import install as _install_cjk_wrap

_install_cjk_wrap()
