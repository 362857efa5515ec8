"""The Textual console (its app in :mod:`tui.ui.app`, which also makes Rich and Textual
break Chinese lines between characters: :mod:`tui.ui.cjk_wrap`).

Importing this package alone pulls in no third-party module: the packaging test finds
the stylesheets of an installed wheel through :mod:`tui.ui.paths` with nothing else.
"""
