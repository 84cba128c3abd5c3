# The same targets run locally and in CI (.ci/run calls `make test`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SYN := $(BIN)/syndicate
SHARED ?= ../shared
export SYNDICATE_BROKER_PORT ?= 9092
export KAFKA_BOOTSTRAP_SERVERS ?= 127.0.0.1:$(SYNDICATE_BROKER_PORT)
BENCH_CORPUS ?= $(SHARED)/corpora/reuters21578
DEMO_BACKLOG := samples/backlog $(wildcard $(SHARED)/seed/*.txt)

.PHONY: install demo stop test unit lint bench broker-up broker-down clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

broker-up: install
	$(SYN) broker up

broker-down: install
	$(SYN) broker down

demo: install
	@bash scripts/demo.sh $(DEMO_BACKLOG)

stop: install
	@bash scripts/stop.sh

# Starts a broker only if none of ours is running, runs the whole suite, stops what it started.
test: install
	@bash scripts/test.sh

unit: install
	$(BIN)/pytest -m "not broker" -q

lint: install
	$(BIN)/ruff check streams tests scripts
	$(BIN)/mypy streams

bench: install
	@bash scripts/bench.sh "$(BENCH_CORPUS)" "$(SHARED)"

clean: stop
	rm -rf $(VENV) .cache out
