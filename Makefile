# Shoal — the two commands a fresh Debian machine needs:
#   make demo   install missing Debian packages, build in release, run the main job
#   make test   install missing Debian packages, run the test suite (Swift, then Python)
# and, for Python users:
#   make python build libShoalEnvsC in release and record its path for `pip install ./python`
SWIFT        ?= swift
PYTHON       ?= python3
VENV         ?= .venv
DEB_PACKAGES := pkg-config libopenblas-dev libode-dev libopenmpi-dev openmpi-bin
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps python-deps build python pytest test demo bench clean

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product shoal

# A Python that can make virtual environments (Debian ships venv's pip support as python3-venv).
PY_DEB_PACKAGES := python3 python3-venv
define install_python
	echo "installing Debian packages: $(PY_DEB_PACKAGES)"; \
	$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(PY_DEB_PACKAGES)
endef

python-deps:
	@command -v $(PYTHON) >/dev/null 2>&1 || { $(install_python); }

# The C interface in release; the Python package loads the library from where it was built.
python: deps
	$(SWIFT) build -c release --product ShoalEnvsC
	@echo "$$($(SWIFT) build -c release --show-bin-path)/libShoalEnvsC.so" > python/shoal_envs/library_path.txt
	@echo "built $$(cat python/shoal_envs/library_path.txt); now: pip install ./python"

# The test environment: a virtual environment from PyPI (gymnasium, numpy, pytest, pettingzoo; no PyTorch).
$(VENV)/bin/pytest: | python-deps
	@$(PYTHON) -m venv $(VENV) >/dev/null 2>&1 || { rm -rf $(VENV); $(install_python); $(PYTHON) -m venv $(VENV); }
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q gymnasium numpy pytest pettingzoo

pytest: python $(VENV)/bin/pytest
	$(VENV)/bin/pip install -q ./python
	rm -rf python/build python/*.egg-info
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider python/tests

test: deps
	$(SWIFT) test
	$(MAKE) pytest

demo: build
	.build/release/shoal demo --out runs/demo

clean:
	rm -rf .build $(VENV) python/build python/*.egg-info python/shoal_envs/library_path.txt
