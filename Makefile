# Shoal — the two commands a fresh Debian machine needs:
#   make demo   install missing Debian packages, build in release, run the main job
#   make test   install missing Debian packages, run the test suite
SWIFT        ?= swift
DEB_PACKAGES := pkg-config libopenblas-dev libode-dev
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build test demo bench clean

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product shoal

test: deps
	$(SWIFT) test

demo: build
	.build/release/shoal demo --out runs/demo

clean:
	rm -rf .build
