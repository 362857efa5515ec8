# Two commands: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test setup lint format bench screenshots clean check-demo

PEERS := .peers

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@# mitmdump, a real TLS-intercepting proxy for the tests, in its own venv (its pins
	@# conflict with httpx's); tests/support/peers.py finds it there.
	@test -x $(PEERS)/bin/python || $(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet --disable-pip-version-check 'mitmproxy>=11,<12'
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/gateway-doctor demo

check-demo: $(STAMP)
	$(VENV)/bin/gateway-doctor demo --headless

# Three workers on two cores: most tests wait on sockets and timers, so a third worker
# fills the idle time (2,383 tests: 4 min 41 s with -n 3, 6 min 45 s with -n 2, same clone).
test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -n 3

lint: $(STAMP)
	$(VENV)/bin/ruff check tui tests bench
	$(VENV)/bin/ruff format --check tui tests bench
	$(PY) -m mypy --strict tui/core
	$(PY) -m mypy tui/ui tui/commands tui/demo tui/cli.py

format: $(STAMP)
	$(VENV)/bin/ruff format tui tests bench
	$(VENV)/bin/ruff check --fix tui tests bench

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

screenshots: $(STAMP)
	$(PY) -m tui.ui.screenshots screenshots

clean:
	rm -rf $(VENV) $(PEERS) dist build .pytest_cache .ruff_cache .mypy_cache
