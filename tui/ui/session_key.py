"""Keys given for this session only: held by the app in memory, never written.

Where there is no keyring (a headless box, a container) the console still
has to take a key, from the ``k`` prompt, the settings key field, the wizard
or ``--api-key-stdin``. It lives in ``app.session_keys`` (profile name, ``""``
for none) and is registered for masking the moment it arrives. Not in
``os.environ``: a child process (the clipboard helper) would inherit it.
"""

from __future__ import annotations

from tui.core.safe.masking import register_secret
from tui.core.setup.keys import normalise_key
from tui.ui.host import Host


def remember_key(app: Host, profile: str | None, key: str) -> str:
    """Normalise ``key`` (ValueError: not a key), register it, keep it for ``profile``."""
    key = normalise_key(key)
    register_secret(key)
    app.session_keys[profile or ""] = key
    return key
