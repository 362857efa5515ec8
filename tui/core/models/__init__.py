"""The model matrix: which models a key really serves, how fast, at what price (issue 17).

``catalog`` lists the gateway's models with context length and price where the
gateway publishes them; ``probe`` sends each a one-token request; ``grid`` lays
several keys against the models; ``memory`` remembers the last results per
profile (masked) for the console's picker. Pure logic: no textual here.
"""

#: Probes in flight at once by default, and the most a user may ask for. Here, not in
#: ``probe``: the command line's help needs them without importing httpx.
DEFAULT_CONCURRENCY = 4
MAX_CONCURRENCY = 32
