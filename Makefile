# Two commands on a fresh machine (Python 3.11+, make, git): `make build`, `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

SRC       ?= sources
OUT       ?= build
SOURCES   := $(sort $(wildcard $(SRC)/*/*.yaml))
DOCX      := $(patsubst $(SRC)/%.yaml,$(OUT)/%.docx,$(SOURCES))
GENERATOR := $(sort $(wildcard generator/*.py generator/*.yaml generator/*/*.py))
YEARS     := $(sort $(patsubst $(SRC)/%/,%,$(dir $(SOURCES))))
SITE      := $(patsubst %,$(OUT)/%/index.html,$(YEARS))
# One example evaluation per form profile that no sample uses (examples/<year>/*.yaml), built
# into build/examples/ beside the samples' reports.
EXAMPLES  := $(if $(filter sources,$(SRC)),$(sort $(wildcard examples/*/*.yaml)))   # with this repository's own sources only
EXAMPLE_DOCX := $(patsubst examples/%.yaml,$(OUT)/examples/%.docx,$(EXAMPLES))

REPORTS   := $(OUT)/.reports

.PHONY: build reports site pdf proof FORCE review summary git-setup new new-year bench test check schema messages clean help mutation

FORM    ?= national
CATALOG := generator/locale/zh_CN/LC_MESSAGES/selfeval.po

help:
	@echo "make build                    build every changed source into build/<year>/<slug>.docx"
	@echo "make build FUND=2022/<slug>   build one fund (same as make build/2022/<slug>.docx)"
	@echo "make build DRAFT=1            also build sources with errors, as <slug>-草稿.docx (watermarked, problems listed)"
	@echo "make site YEAR=2022           write build/2022/index.html and a page per fund (all years without YEAR)"
	@echo "make pdf                      convert the built reports to PDF (needs LibreOffice)"
	@echo "make proof                    one contact sheet per report: build/proof/<year>-<slug>.png, all pages side by side"
	@echo "make summary YEAR=2022        write build/2022/summary.md and summary.xlsx: one row per fund"
	@echo "make review                   write build/<year>/<slug>.md: the report as Markdown, one fact per line"
	@echo "make git-setup                let git diff show .docx files as text"
	@echo "make new FUND=2024/<slug>     start a fund: a source with every field of the form, explained (FORM=national|city2020|provincial, OUTLINE=, FORCE=1)"
	@echo "make new-year FROM=2022 TO=2023  start next year's sources (ONLY=<slug>, FORCE=1)"
	@echo "make check                    check every source (arithmetic, weights, reasons, published figures)"
	@echo "make check FUND=2022/<slug>   check one fund"
	@echo "make messages                 extract the messages, update the zh_CN catalog, compile it (Babel)"
	@echo "make bench                    time the build on synthetic sources (build/bench/results.md, ~7 min)"
	@echo "make test                     run the test suite"
	@echo "make mutation                 mutation-test the scoring and checking code (10-18 min; docs/mutation.md)"
	@echo "make mutation ONLY='generator.compute.x_rule_score*'   only the mutants of the functions you changed"
	@echo "make schema                   regenerate schema/evaluation.schema.json"
	@echo "make clean                    remove build/"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

build: $(if $(FUND),$(OUT)/$(FUND).docx,$(if $(SOURCES),$(REPORTS)) $(SITE) $(EXAMPLE_DOCX))

# The reports alone, without the year pages.
reports: $(if $(SOURCES),$(REPORTS))

# One report (and its 自评表 as a workbook) per source. Its templates are listed in the .d file the build writes beside it,
# so a template change rebuilds exactly the reports made from it. Outputs are written to a
# temporary file and renamed: make -j is safe and an interrupted build leaves no broken file.
$(OUT)/%.docx $(OUT)/%.xlsx: $(SRC)/%.yaml $(GENERATOR) | $(STAMP)
	@$(PY) -m generator build $< --out $(OUT) --force $(if $(DRAFT),--draft)

# `make build` hands every out-of-date report to one process: a Python process costs ~0.5 s to
# start, more than a report, and `generator build` spreads the reports over the cores itself. It
# runs when a source, the generator or a template a report was made from (read from the .d files
# by one shell) is newer than the last such run, or a report is missing, and skips what is up to
# date by the same rule as make, so it rebuilds exactly what is stale. (A grouped target over every
# report would say the same to make, but make's cost for one grows with the square of its size:
# 3 s and 200 MB at 1000 sources; so does including 10,000 .d files, which is why they are read
# only for the reports a goal names.) A named report (make build/2022/x.docx, FUND=) is built by
# the rule above, with its .d file.
MISSING    = $(filter-out $(wildcard $(OUT)/*/*.docx $(OUT)/*/*.xlsx),$(DOCX) $(DOCX:.docx=.xlsx))
MADE_FROM := $(if $(wildcard $(OUT)/*/*.d),$(shell sed -n 's/^[^:]*://p' $(OUT)/*/*.d | tr ' ' '\n' | sort -u))
$(REPORTS): $(SOURCES) $(GENERATOR) $(MADE_FROM) $(if $(MISSING),FORCE) | $(STAMP)
	@$(PY) -m generator build $(SRC) --out $(OUT) $(if $(DRAFT),--draft)
	@touch $@

FORCE:

NAMED := $(filter $(DOCX) $(DOCX:.docx=.xlsx),$(MAKECMDGOALS)) $(if $(FUND),$(OUT)/$(FUND).docx)
-include $(addsuffix .d,$(basename $(NAMED)))

$(OUT)/examples/%.docx: examples/%.yaml $(GENERATOR) | $(STAMP)
	@$(PY) -m generator build $< --out $(OUT)/examples --force

-include $(EXAMPLE_DOCX:.docx=.d)

# A year at a glance: index.html and a page per fund, written after the reports they link to.
$(OUT)/%/index.html: $(REPORTS) $(GENERATOR) $(wildcard templates/site/*) | $(STAMP)
	@$(PY) -m generator site $* --root $(SRC) --out $(OUT)

site: $(REPORTS) | $(STAMP)
	$(PY) -m generator site $(YEAR) --root $(SRC) --out $(OUT)

pdf: build
	$(PY) -m generator pdf $(if $(FUND),$(SRC)/$(FUND).yaml,$(SRC)) --out $(OUT)
	@$(PY) -m generator site --root $(SRC) --out $(OUT)   # the pages now link the PDFs too

# A contact sheet per report (every page side by side) to judge a whole year at a glance.
proof: pdf
	$(PY) -m generator.render.proof $(OUT)

review: $(STAMP)
	$(PY) -m generator review $(if $(FUND),$(SRC)/$(FUND).yaml,$(SRC)) --out $(OUT)

summary: $(STAMP)
	$(PY) -m generator summary $(YEAR) --root $(SRC) --out $(OUT)

# git diff on a .docx shows its text (paragraphs with styles, tables one cell per line).
git-setup: $(STAMP)
	git config diff.docx.textconv "$(abspath $(PY)) -m generator dump"
	git config diff.docx.cachetextconv true
	@echo "git diff now shows .docx files as text (.gitattributes: *.docx diff=docx)"

new: $(STAMP)
	@test -n "$(FUND)" || { echo "make new FUND=<year>/<slug> [FORM=national|city2020|provincial] [OUTLINE=…]"; exit 2; }
	$(VENV)/bin/selfeval new $(SRC)/$(FUND).yaml --form $(FORM) $(if $(OUTLINE),--outline $(OUTLINE)) $(if $(FORCE),--force)

new-year: $(STAMP)
	$(PY) -m generator new-year $(FROM) $(TO) $(if $(ONLY),--only $(ONLY)) $(if $(FORCE),--force)

bench: $(STAMP)
	$(PY) -m bench.run $(if $(LARGE),--large)

test: $(STAMP)
	$(PY) -m pytest

# Mutants of compute, quantity and checks ([tool.mutmut] in pyproject.toml); every survivor must be
# killed by a test or listed in tests/mutation-equivalents.txt with its reason. ONLY=<glob> [<glob>…]
# runs and judges just those mutants (under a minute instead of a quarter hour). mutants/ is rebuilt each time, so the
# results always belong to the code and tests as they are now.
mutation: $(STAMP)
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2 $(foreach p,$(ONLY),'$(p)')
	$(PY) -m tests.mutation_report $(if $(ONLY),--only $(foreach p,$(ONLY),'$(p)'))

check: $(STAMP)
	$(VENV)/bin/selfeval check $(if $(FUND),$(SRC)/$(FUND).yaml,$(SRC))

# The messages in Chinese: extract every _() from generator/, merge into the zh_CN catalog, compile
# the .mo that ships with the package. Translate the new entries in $(CATALOG) (tests/test_i18n.py
# lists any left empty), then run this again.
messages: $(STAMP)
	@mkdir -p $(OUT)
	$(VENV)/bin/pybabel -q extract -F babel.cfg --no-location --sort-output --project=selfeval --msgid-bugs-address="the project's issue tracker" -o $(OUT)/selfeval.pot .
	$(VENV)/bin/pybabel -q update -i $(OUT)/selfeval.pot -d generator/locale -D selfeval -l zh_CN --ignore-obsolete --no-fuzzy-matching --width 100
	$(VENV)/bin/pybabel -q compile -d generator/locale -D selfeval

schema: $(STAMP)
	$(PY) -m generator schema -o schema/evaluation.schema.json

clean:
	rm -rf $(OUT)
