# The two set-up commands of the README, plus eval / bench helpers.
#   make demo   install missing Debian packages (as root), build, run the CLI
#   make test   same set-up, then every test (plain build + ASan/UBSan build)
# Python: tests run with /usr/bin/python3 (Debian's, which sees python3-*
# packages); override with PYTHON=...

BUILD    ?= build
SANBUILD ?= build-asan
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
PYTHON   ?= /usr/bin/python3
CMAKE_FLAGS ?=
DEB_PACKAGES = cmake make gcc pkg-config libicu-dev libstemmer-dev check python3 libjansson-dev python3-pip python3-distributed g++ libcld2-dev libexttextcat-dev

.PHONY: all deps build demo test test-plain test-asan eval bench format clean

all: build

deps:
	@sh tools/install-deps.sh $(DEB_PACKAGES)

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRAM_WERROR=ON $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/tramuntana

test: build test-plain test-asan

test-plain:
	cd $(BUILD) && TRAM_PYTHON=$(PYTHON) ctest --output-on-failure -j $(JOBS)

test-asan: deps
	cmake -S . -B $(SANBUILD) -DCMAKE_BUILD_TYPE=Debug -DTRAM_WERROR=ON \
	  -DTRAM_ENABLE_ASAN=ON -DTRAM_ENABLE_UBSAN=ON $(CMAKE_FLAGS)
	cmake --build $(SANBUILD) -j $(JOBS)
	cd $(SANBUILD) && TRAM_SANITIZED=1 TRAM_PYTHON=$(PYTHON) \
	  ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS) -LE nosan

eval: build
	sh tools/eval.sh $(BUILD)

bench: build
	sh bench/run.sh $(BUILD)

format:
	clang-format -i include/*.h $$(find lib examples tests tools bench -name '*.[ch]')

clean:
	rm -rf $(BUILD) $(SANBUILD)
