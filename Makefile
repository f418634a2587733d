# Punchcard: the README's two commands are `make run` and `make test`.
# Both install what is missing first (Debian/Ubuntu packages, npm packages,
# tauri-driver), so they work on a fresh machine.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

APP := target/debug/punchcard-app
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' src-tauri/Cargo.toml | head -1)
DEB := target/release/bundle/deb/Punchcard_$(VERSION)_amd64.deb
RPM := target/release/bundle/rpm/Punchcard-$(VERSION)-1.x86_64.rpm
# The practice generator's version (sample::GENERATION): in the names of the practices `make bench` keeps.
GENERATION := $(shell sed -n 's/^pub const GENERATION: u32 = \([0-9]*\);/\1/p' src/sample.rs)
INSTALLED := /usr/bin/punchcard
CARGO_BIN := $(HOME)/.cargo/bin
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# Build: Tauri's WebKitGTK stack. End-to-end: WebKitWebDriver, a virtual X
# server, a D-Bus session, xdotool for the native dialogs, python3 and
# sqlite3 to read what the app wrote the way a user's script would.
DEB_PACKAGES := libwebkit2gtk-4.1-dev build-essential pkg-config file libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev webkit2gtk-driver xvfb xauth dbus-daemon dbus \
	xdotool python3 sqlite3
E2E := NO_AT_BRIDGE=1 dbus-run-session -- xvfb-run -a -s "-screen 0 1280x860x24"

.PHONY: help run app test deps system-deps lint test-rust test-ui e2e e2e-installed bundle install-check \
	bindings golden bench bench-app screenshots clean

help:
	@echo "make run          set up, build and open Punchcard on its default practice file"
	@echo "make run DB=PATH  … on another practice file"
	@echo "make test         set up and run every test layer, end-to-end included (on the installed package)"
	@echo "make bundle       build the release app as a .deb and an .rpm (target/release/bundle/)"
	@echo "make bench        benchmarks of the core at 1x and 100x (BENCH_SCALES=1 for 1x only)"
	@echo "make bench-app    the release app's start-up, memory and keystrokes beside an empty Tauri window"
	@echo "make bindings     regenerate ui/src/lib/bindings.ts from the Rust commands"
	@echo "make screenshots  retake assets/screenshots/ (light and dark, 1280x800 and the minimum size)"

# --- set-up -----------------------------------------------------------------

system-deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

ui/node_modules/.installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	touch $@

$(CARGO_BIN)/tauri-driver:
	# A debug build: it only relays WebDriver commands, and builds in 38 s against 54.
	cargo install --debug tauri-driver --version ^2 --locked

deps: system-deps ui/node_modules/.installed

# --- build ------------------------------------------------------------------

ui/dist/index.html: ui/node_modules/.installed $(shell find ui/src ui/index.html ui/vite.config.ts -type f 2>/dev/null)
	cd ui && npx vite build --logLevel warn

app: deps ui/dist/index.html
	cargo build -p punchcard-app

run: app
	./$(APP) $(if $(DB),--db "$(DB)")

# The release app, packaged by Tauri's bundler: icon, desktop entry, name and version.
bundle: deps ui/dist/index.html
	cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb,rpm
	@ls -l $(DEB) $(RPM)

# Installs the .deb (as a user would) and starts the installed app once.
install-check: bundle
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --reinstall ./$(DEB)
	$(E2E) bash tests/installed.sh $(INSTALLED)

# --- tests ------------------------------------------------------------------

test: deps ui/dist/index.html $(CARGO_BIN)/tauri-driver
	$(MAKE) lint
	$(MAKE) test-rust
	$(MAKE) test-ui
	$(MAKE) install-check
	$(MAKE) e2e-installed
	@echo "All test layers passed."

# Clippy lints our crates as their tests build: its compiler, clippy-driver
# (what `cargo clippy` runs), compiles the workspace, with `-D warnings`
# handed over as `cargo clippy` hands it. One debug build serves both: `cargo
# clippy` would first check every dependency again, five of CI's minutes on a
# fresh machine. `cargo clippy --workspace --all-targets -- -D warnings`
# finds the same.
LINTED = RUSTC_WORKSPACE_WRAPPER="$(shell rustc --print sysroot)/bin/clippy-driver" \
	CLIPPY_ARGS="-Dwarnings__CLIPPY_HACKERY__"

lint: ui/dist/index.html
	cargo fmt --all -- --check
	$(LINTED) cargo test --workspace --all-targets --no-run
	cd ui && npm run --silent check

# Core unit, story, property, crash and golden tests, IPC tests, binding
# freshness (on the build `lint` made).
test-rust: ui/dist/index.html
	$(LINTED) cargo test --workspace
	python3 tests/check_csv.py tests/fixtures/history.golden.csv
	python3 tests/check_csv.py tests/fixtures/renewal-story.golden.csv
	python3 tests/check_csv.py tests/fixtures/three-months.golden.csv

test-ui: ui/node_modules/.installed
	cd ui && npx vitest run

# The end-to-end tests against a development build.
e2e: app $(CARGO_BIN)/tauri-driver
	cd ui && $(E2E) npx wdio run ../tests/e2e/wdio.conf.mjs

# The same tests against the installed package: what a user runs.
e2e-installed: $(CARGO_BIN)/tauri-driver
	cd ui && PUNCHCARD_APP=$(INSTALLED) $(E2E) npx wdio run ../tests/e2e/wdio.conf.mjs

# --- maintenance ------------------------------------------------------------

# The pictures in assets/screenshots/: every screen of the sample practice at
# 1280×800 and at the minimum window size, in light and in dark.
screenshots: app $(CARGO_BIN)/tauri-driver
	cd ui && $(E2E) npx wdio run ../tests/e2e/screens.conf.mjs
	cd ui && THEME=dark $(E2E) npx wdio run ../tests/e2e/screens.conf.mjs

bindings: ui/dist/index.html
	UPDATE_BINDINGS=1 cargo test -p punchcard-app --test bindings

golden:
	UPDATE_GOLDEN=1 cargo test -p punchcard --test csv_export --test bookings --test renewals --test database

bench:
	cargo bench -p punchcard --bench views

# The empty window is built beside the app; the practices are the ones `make bench` generates.
bench-app: deps ui/dist/index.html $(CARGO_BIN)/tauri-driver
	cargo build --release -p punchcard-app
	cd benches/empty-window && CARGO_TARGET_DIR=../../target/bench-app cargo build --release
	BENCH_PRACTICES_ONLY=1 BENCH_SCALES=$${BENCH_SCALES:-1,100} cargo bench -p punchcard --bench views
	$(E2E) node benches/app.mjs target/release/punchcard-app target/bench-app/release/empty-window \
		$$(for s in $$(echo $${BENCH_SCALES:-1,100} | tr , ' '); do echo target/bench-practices/scale-$$s-seed-1-g$(GENERATION)-2026-11-25.sqlite3; done)

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules
