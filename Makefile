# Lightbox — two commands on a fresh Debian 12 machine with the Swift toolchain:
#   make run    install what is missing, build, open the workstation on SampleStudies/
#   make test   install what is missing, build, run every test suite
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Debian packages: C libraries behind the shim targets, and the peers the tests compare with.
APT_PACKAGES := pkg-config zlib1g-dev libncursesw5-dev libopenblas-dev libdnnl-dev libpng-dev \
                libopenjp2-7-dev libcharls-dev libsqlite3-dev libpq-dev \
                dcmtk dicom3tools chafa libsixel-bin tmux sqlite3 bc \
                xvfb xterm kitty x11-apps xdotool netpbm \
                orthanc orthanc-dicomweb postgresql mricron-data
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV := .venv
PY := $(VENV)/bin/python
SWIFT_FLAGS ?=
RELEASE_BIN := .build/release/lightbox

.PHONY: run test deps apt venv build build-debug unit-test conformance fuzz bench models install uninstall clean help

help:
	@echo "make run | make test | make install [PREFIX=…] | make uninstall [PREFIX=…] | make bench | make fuzz | make models | make clean"

## Set-up ---------------------------------------------------------------------------------------
deps: apt venv

# Installs only the Debian packages that are missing (no-op on a machine that has them all).
apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	  if echo " $$missing " | grep -q " orthanc "; then \
	    echo "Stopping and disabling the Debian orthanc service (the tests start their own on free ports)"; \
	    $(SUDO) systemctl disable --now orthanc 2>/dev/null || $(SUDO) service orthanc stop 2>/dev/null || true; \
	  fi; \
	fi

# Python peers (pydicom, pylibjpeg, …) live in a local venv, rebuilt when requirements change.
venv: $(VENV)/.installed
$(VENV)/.installed: requirements-test.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

## Build ----------------------------------------------------------------------------------------
build: apt
	swift build -c release $(SWIFT_FLAGS)

build-debug: apt
	swift build $(SWIFT_FLAGS)

## Install --------------------------------------------------------------------------------------
# PREFIX/bin/lightbox and PREFIX/share/lightbox/{Models,Themes,SampleStudies}, where every command
# finds them (lightbox --help). The binary uses the Swift runtime of the toolchain it was built with.
PREFIX ?= /usr/local
install: build
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/lightbox"
	install -m 755 $(RELEASE_BIN) "$(DESTDIR)$(PREFIX)/bin/lightbox"
	for d in Models Themes SampleStudies; do rm -rf "$(DESTDIR)$(PREFIX)/share/lightbox/$$d"; cp -R $$d "$(DESTDIR)$(PREFIX)/share/lightbox/"; done
	chmod -R a+rX "$(DESTDIR)$(PREFIX)/share/lightbox"
	@echo "installed $(DESTDIR)$(PREFIX)/bin/lightbox and $(DESTDIR)$(PREFIX)/share/lightbox"

# Removes what install put there (the review database and caches under the users' homes stay).
uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/lightbox"
	rm -rf "$(DESTDIR)$(PREFIX)/share/lightbox"
	@echo "removed $(DESTDIR)$(PREFIX)/bin/lightbox and $(DESTDIR)$(PREFIX)/share/lightbox"

## Run ------------------------------------------------------------------------------------------
run: build
	$(RELEASE_BIN) open SampleStudies

## Test -----------------------------------------------------------------------------------------
test: deps build unit-test conformance

unit-test:
	swift test $(SWIFT_FLAGS) 2>&1 | tee .build/unit-test.log; exit $${PIPESTATUS[0]}

# Conformance and end-to-end checks against independent peers (pydicom, DCMTK, chafa, …); every
# Tests/EndToEnd/*_tmux.sh except the latency benchmark runs here.
conformance: deps build
	@set -e; for t in Tests/Conformance/*.py; do \
	  [ -e "$$t" ] || continue; echo "== $$t"; LIGHTBOX=$(RELEASE_BIN) $(PY) $$t; done
	@set -e; for t in Tests/EndToEnd/*_tmux.sh; do \
	  case "$$t" in *slice_latency*) continue;; esac; \
	  echo "== $$t"; LIGHTBOX=$(RELEASE_BIN) bash $$t; done

## Extras ---------------------------------------------------------------------------------------
bench: deps build
	@set -e; for b in Benchmarks/*.sh; do [ -e "$$b" ] || continue; echo "== $$b"; LIGHTBOX=$(RELEASE_BIN) PY=$(PY) bash $$b; done
	$(RELEASE_BIN) open --benchmark-slices 300 SampleStudies/05_LDCT_YAMADA_2026
	LIGHTBOX=$(RELEASE_BIN) bash Tests/EndToEnd/slice_latency_tmux.sh

# libFuzzer on the DICOM reader and on the ONNX protobuf reader, SECONDS_TO_RUN each (default 600).
fuzz: apt venv
	bash Tools/fuzz/run-dicom-fuzzer.sh $${SECONDS_TO_RUN:-600}
	bash Tools/onnx/fuzz/run-onnx-fuzzer.sh $${SECONDS_TO_RUN:-600}
	bash Tools/fuzz/run-parser-fuzzers.sh $${SECONDS_TO_RUN:-120}

# Regenerate training data, retrain and evaluate the demo models (CPU only; 1–2 h on a busy 2-core
# machine; not part of make test, which only checks the committed models against their cards).
models: venv
	$(VENV)/bin/pip install -q --disable-pip-version-check -r Training/requirements-train.txt
	bash Training/models/run_all.sh

clean:
	rm -rf .build .build-* $(VENV)
