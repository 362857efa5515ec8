"""Hypothesis strategies for keys of the shapes users really paste (and some they shouldn't)."""

from __future__ import annotations

import string

from hypothesis import strategies as st

_ALNUM = string.ascii_letters + string.digits
KEYS = st.one_of(
    st.text(_ALNUM + "-_", min_size=20, max_size=60).map(lambda s: "sk-" + s),
    st.text(_ALNUM, min_size=40, max_size=64).map(lambda s: "sk-or-v1-" + s),
    st.tuples(
        st.text(_ALNUM + "-_", min_size=10, max_size=30),
        st.text(_ALNUM + "-_", min_size=10, max_size=40),
        st.text(_ALNUM + "-_", min_size=10, max_size=40),
    ).map(lambda t: f"eyJ{t[0]}.eyJ{t[1]}.{t[2]}"),
    st.text(_ALNUM, min_size=8, max_size=15),
    st.text(_ALNUM + "密钥キーключé", min_size=16, max_size=40),
)
