# Quotewire: `make serve` runs the API, `make test` runs the whole suite.
# Both build the virtualenv on first use; nothing else needs installing by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000

.PHONY: install serve test test-fast bench train word-classes system-deps clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Java for Spark, Chromium for the browser test, nginx for the service: Debian packages,
# installed where missing.
system-deps:
	bash .ci/system-deps

# nginx in front of gunicorn, as in production (service/frontdoor.py, nginx.conf).
serve: install
	bash .ci/system-deps --only nginx
	PORT=$(PORT) $(BIN)/python -m service.frontdoor

test: install system-deps
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow"

bench: install
	bash .ci/system-deps wrk
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/bulk.py
	$(BIN)/python bench/soak.py

# The learned layer's model (service/nlp/model/, MODEL_CARD.md): PolNeAR train, dev for selection.
POLNEAR ?= ../shared/data
train: install
	$(BIN)/python -m service.train $(POLNEAR)/polnear_train.jsonl --dev $(POLNEAR)/polnear_dev.jsonl

# Brown clusters of English words for the learned layer, from spacy-lookups-data (service/nlp/word_classes.py)
word-classes: install
	$(BIN)/python -m service.nlp.word_classes

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis *.egg-info
