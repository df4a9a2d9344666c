# The two commands the README opens with: `make demo` and `make test`. Both work offline after `pip install`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/archive.db
SAMPLE := data/samples/sample.warc.gz

.PHONY: demo test install sample clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

## demo: replay the bundled snapshot through the full crawl into $(DB), then show what is in it.
demo: $(BIN)/.installed
	$(BIN)/newsarchive crawl --replay $(SAMPLE) --db $(DB)
	@echo
	@echo '$$ newsarchive query "SELECT substr(published_at, 1, 10) AS day, byline, title FROM articles ORDER BY published_at DESC LIMIT 5"'
	@$(BIN)/newsarchive query --db $(DB) "SELECT substr(published_at, 1, 10) AS day, byline, title FROM articles ORDER BY published_at DESC LIMIT 5"

## test: the whole suite.
test: $(BIN)/.installed
	$(BIN)/python -m pytest -q

## sample: rebuild the bundled snapshot from the fixture pages.
sample: $(BIN)/.installed
	$(BIN)/python scripts/build_sample_warc.py

clean:
	rm -rf $(VENV) .pytest_cache
