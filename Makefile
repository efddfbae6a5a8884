# The contributor's interface. `make serve` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILDDIR ?= _build
SPHINXOPTS ?=
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help serve html test check lock clean bench bench-pyvideo bench-catalogue audit theme-css screenshots

help:  ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 10

$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed; set PYTHON=python3.x")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# The search index is updated after each rebuild without making the rebuild wait for it.
serve: $(STAMP)  ## Build, serve on http://127.0.0.1:8000 and rebuild on every edit.
	RECAPS_SEARCH_INDEX=background $(BIN)/sphinx-autobuild --host $(HOST) --port $(PORT) --jobs auto -b dirhtml \
		--watch src \
		--ignore '*/.venv/*' --ignore '*/.git/*' --ignore '*/tests/*' --ignore '*/node_modules/*' \
		--ignore '*/.*_cache/*' --ignore '*/__pycache__/*' --ignore '*.egg-info/*' \
		$(SPHINXOPTS) . $(BUILDDIR)/html

html: $(STAMP)  ## The strict build, as CI and Read the Docs run it (warnings are errors).
	$(BIN)/sphinx-build -W --keep-going -j auto -b dirhtml $(SPHINXOPTS) . $(BUILDDIR)/html

test: $(STAMP)  ## Run the whole test suite (real Sphinx builds included).
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

check: $(STAMP)  ## Linters, type checks and the content checker.
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/recaps check

screenshots: html  ## PNGs of every page type at 1366 and 390 px, light and dark, in _build/screenshots.
	$(BIN)/python tools/screenshots.py $(BUILDDIR)/html $(BUILDDIR)/screenshots

# The npm tools (Lighthouse, pa11y, PurgeCSS...), as package-lock.json pins them. Install
# scripts stay off: puppeteer would download its own Chrome; Debian's chromium is used.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

AUDIT_ARGS ?=
audit: html $(NODE_STAMP)  ## Lighthouse (mobile) and pa11y on each page type, against the weight budget.
	$(BIN)/recaps audit --site $(BUILDDIR)/html --report-dir $(BUILDDIR)/audit $(AUDIT_ARGS)

theme-css: $(STAMP) $(NODE_STAMP)  ## Remake the pruned theme stylesheet (after a theme upgrade).
	node tools/theme-css.mjs "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
		src/conference_recaps/static/recaps-theme.css

N ?= 500 2000 8000
bench: $(STAMP)  ## Time full and incremental builds of synthetic sites (N="500 2000" for a quick run).
	$(BIN)/python benchmarks/site.py --compare-jobs --talks $(N)

# PYVIDEO_DATA: a checkout of github.com/pyvideo/data (else 22,000 synthetic talks).
# PYVIDEO_SITE: a checkout of github.com/pyvideo/pyvideo, built with PELICAN for comparison
# (benchmarks/pelican.sh installs it). BENCH_ARGS: e.g. "--events 3" for a quick run.
PYVIDEO_DATA ?=
PYVIDEO_SITE ?=
PELICAN ?= /tmp/pyvideo-pelican/bin/pelican
BENCH_ARGS ?=
bench-pyvideo: $(STAMP)  ## Issue 17's table on pyvideo.org's data (PYVIDEO_DATA=), beside Pelican's (PYVIDEO_SITE=).
	$(BIN)/python benchmarks/pyvideo.py --cache $(BUILDDIR)/bench-pyvideo \
		$(if $(PYVIDEO_DATA),--data "$(PYVIDEO_DATA)") \
		$(if $(PYVIDEO_SITE),--site "$(PYVIDEO_SITE)" --pelican "$(PELICAN)") $(BENCH_ARGS)

bench-catalogue: $(STAMP)  ## Time loading a generated 25,000-talk catalogue (target: 3 s, 500 MB).
	$(BIN)/python benchmarks/catalogue.py

lock: $(STAMP)  ## Re-pin constraints.txt from what requirements-dev.txt resolves to.
	$(BIN)/python -m pip freeze --exclude-editable --exclude conference-recaps | grep -v '^-e' > constraints.txt

clean:  ## Remove build output and caches (keeps .venv).
	rm -rf $(BUILDDIR) .pytest_cache .mypy_cache .ruff_cache
