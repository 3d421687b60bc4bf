# The two set-up commands of the README, plus eval / bench helpers.
#   make demo   install missing Debian packages (as root), build, run the CLI
#   make test   same set-up, then every test (plain, ASan/UBSan, TSan and
#               scalar builds)
# Python: tests run with /usr/bin/python3 (Debian's, which sees python3-*
# packages); override with PYTHON=...

BUILD    ?= build
SANBUILD ?= build-asan
TSANBUILD ?= build-tsan
SCALARBUILD ?= build-scalar
COVBUILD ?= build-cov
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
PYTHON   ?= /usr/bin/python3
CMAKE_FLAGS ?=
# What `make demo` and `make test` need (python3-pip: the offline pip
# install test; python3-distributed: the Dask example's test).
DEB_PACKAGES = cmake make gcc pkg-config libicu-dev libstemmer-dev check \
  libjansson-dev python3 python3-pip python3-distributed
# Only for `make eval` (the langid comparison with CLD2 and libexttextcat),
# `make coverage` and the libFuzzer builds.
EVAL_DEB_PACKAGES = g++ libcld2-dev libexttextcat-dev
DEV_DEB_PACKAGES = lcov clang

.PHONY: all deps build demo test test-plain test-asan test-tsan test-scalar coverage eval bench format clean ner-models

all: build

deps:
	@sh tools/install-deps.sh $(DEB_PACKAGES)

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRAM_WERROR=ON $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/tramuntana

test: build test-plain test-asan test-tsan test-scalar

test-plain:
	cd $(BUILD) && TRAM_PYTHON=$(PYTHON) ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(SANBUILD) -DCMAKE_BUILD_TYPE=Debug -DTRAM_WERROR=ON \
	  -DTRAM_ENABLE_ASAN=ON -DTRAM_ENABLE_UBSAN=ON $(CMAKE_FLAGS)
	cmake --build $(SANBUILD) -j $(JOBS)
	cd $(SANBUILD) && TRAM_SANITIZED=1 TRAM_PYTHON=$(PYTHON) \
	  ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS) -LE nosan

# ThreadSanitizer build of the threads test (one model, 8 threads); a race
# fails it (halt_on_error). ICU and libstemmer are not instrumented.
test-tsan: deps
	cmake -S . -B $(TSANBUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DTRAM_WERROR=ON -DTRAM_ENABLE_TSAN=ON $(CMAKE_FLAGS)
	cmake --build $(TSANBUILD) -j $(JOBS) --target test_threads
	CK_FORK=no TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	  ./$(TSANBUILD)/tests/test_threads

# The SSE2 fast paths (lib/scan16.h, text.c, wordbreak.c, sentbreak.c,
# segment.c) have portable fallbacks that an x86-64 build never compiles;
# this build undefines __SSE2__ so every test also runs them (ARM and others).
test-scalar: deps
	cmake -S . -B $(SCALARBUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DTRAM_WERROR=ON -DCMAKE_C_FLAGS=-U__SSE2__ $(CMAKE_FLAGS)
	cmake --build $(SCALARBUILD) -j $(JOBS)
	cd $(SCALARBUILD) && TRAM_PYTHON=$(PYTHON) ctest --output-on-failure -j $(JOBS)

# Line coverage of lib/ by the whole test suite (gcov + lcov); the report
# is $(COVBUILD)/coverage/index.html, the summary is printed.
coverage: deps
	@sh tools/install-deps.sh $(DEV_DEB_PACKAGES)
	cmake -S . -B $(COVBUILD) -DCMAKE_BUILD_TYPE=Debug \
	  -DTRAM_ENABLE_COVERAGE=ON $(CMAKE_FLAGS)
	cmake --build $(COVBUILD) -j $(JOBS)
	lcov --quiet --zerocounters --directory $(COVBUILD)
	-cd $(COVBUILD) && TRAM_PYTHON=$(PYTHON) ctest -j $(JOBS)
	lcov --quiet --capture --directory $(COVBUILD) \
	  --output-file $(COVBUILD)/all.info
	lcov --quiet --extract $(COVBUILD)/all.info '$(CURDIR)/lib/*' \
	  --output-file $(COVBUILD)/lib.info
	genhtml --quiet $(COVBUILD)/lib.info --output-directory $(COVBUILD)/coverage
	lcov --summary $(COVBUILD)/lib.info

eval: build
	@sh tools/install-deps.sh $(EVAL_DEB_PACKAGES)
	sh tools/eval.sh $(BUILD)

bench: build
	sh bench/run.sh $(BUILD)

# Rebuilds the NER weights data/models/ner-*.bin (needs Apertium for the
# machine-translated training sets; see data/models/ner.md).
NER_DEB_PACKAGES = apertium apertium-spa-cat apertium-fra-cat
ner-models: build
	@sh tools/install-deps.sh $(NER_DEB_PACKAGES)
	sh tools/ner_models.sh $(BUILD)

format:
	clang-format -i include/*.h $$(find lib examples tests tools bench -name '*.[ch]')

clean:
	rm -rf $(BUILD) $(SANBUILD) $(TSANBUILD) $(SCALARBUILD) $(COVBUILD)
