# fourfirsts — a newcomer's two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install lint migrate demo worker vendor clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo

# Web server and worker on 127.0.0.1; Ctrl-C stops both.
run: demo
	@echo ""
	@echo "四个第一 党建工作平台: http://127.0.0.1:$(PORT)/"
	@echo "演示账号 (密码 FourFirsts-2022): committee leader instructor secretary member handler sysadmin secadmin auditadmin"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py worker & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload & \
	wait

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n 2 --dist loadfile

vendor:
	scripts/vendor.sh

clean:
	rm -rf $(VENV) var
