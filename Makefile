# Two commands on a fresh machine (Python 3.11+, make, git): `make build`, `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: build pdf test check schema clean help

help:
	@echo "make build    create .venv, install, build every source into build/"
	@echo "make pdf      convert the built reports to PDF (needs LibreOffice)"
	@echo "make test     run the test suite"
	@echo "make check    check every source (arithmetic, weights, reasons, published figures)"
	@echo "make schema   regenerate schema/evaluation.schema.json"
	@echo "make clean    remove build/"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

build: $(STAMP)
	$(PY) -m generator build sources --out build

pdf: build
	$(PY) -m generator pdf sources --out build

test: $(STAMP)
	$(PY) -m pytest

check: $(STAMP)
	$(PY) -m generator check sources

schema: $(STAMP)
	$(PY) -m generator schema -o schema/evaluation.schema.json

clean:
	rm -rf build
