#!/usr/bin/env bash
# Build the Docker image and check that `incidex predict` inside it gives the host's records.
#
#   sudo nice -n 19 bench/docker_check.sh [MODEL_DIR]
#
# Needs root and buildah (apt-get install buildah; `--isolation chroot` works without a Docker daemon).
# BASE_IMAGE=python:3.11-slim uses that image; without BASE_IMAGE (the default) and with no registry to
# pull from, a Debian bookworm base is made with debootstrap (apt-get install debootstrap): python3,
# python3-venv, python3-pip, committed as localhost/debian-python:bookworm (reused on the next run).
# WHEEL_DIR (default: pip's find-links, e.g. /opt/wheels) is mounted into the build for the CPU torch.
# MODEL_DIR defaults to runs/quickstart when it exists, else a tiny random model made here (the check
# compares host and image, not quality). Prints build time, image size and whether the records agree.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE="${IMAGE:-localhost/incidex:check}"
WORK="${WORK:-/var/tmp/incidex-docker-check}"
WHEEL_DIR="${WHEEL_DIR:-$(pip config list 2>/dev/null | sed -n "s/^global.find-links='\(.*\)'/\1/p" | head -1)}"
# CA_BUNDLE (default: pip's cert, e.g. behind a TLS-inspecting proxy) is mounted into the build for pip.
CA_BUNDLE="${CA_BUNDLE:-${PIP_CERT:-$(pip config list 2>/dev/null | sed -n "s/^global.cert='\(.*\)'/\1/p" | head -1)}}"
PY="${PYTHON:-python}"
mkdir -p "$WORK"

for tool in buildah; do
  command -v "$tool" >/dev/null || { echo "docker_check: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

# 1. base image
if [ -z "${BASE_IMAGE:-}" ]; then
  BASE_IMAGE=localhost/debian-python:bookworm
  if ! buildah inspect --type image "$BASE_IMAGE" >/dev/null 2>&1; then
    command -v debootstrap >/dev/null || { echo "docker_check: debootstrap is missing" >&2; exit 1; }
    start=$(date +%s)
    rm -rf "$WORK/rootfs"
    debootstrap --variant=minbase --include=python3,python3-venv,python3-pip bookworm "$WORK/rootfs"
    rm -rf "$WORK/rootfs/var/cache/apt/archives/"*.deb "$WORK/rootfs/var/lib/apt/lists/"*
    ctr=$(buildah from scratch)
    buildah copy "$ctr" "$WORK/rootfs" / >/dev/null
    buildah config --env LANG=C.UTF-8 --cmd /bin/bash "$ctr"
    buildah commit --rm "$ctr" "$BASE_IMAGE" >/dev/null
    echo "base image $BASE_IMAGE made in $(( $(date +%s) - start )) s"
  fi
fi

# 2. the image
args=(--isolation chroot --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$IMAGE")
if [ -n "$WHEEL_DIR" ] && [ -d "$WHEEL_DIR" ]; then
  args+=(--build-arg WHEEL_DIR=/wheels -v "$WHEEL_DIR:/wheels:ro")
fi
if [ -n "$CA_BUNDLE" ] && [ -f "$CA_BUNDLE" ]; then
  args+=(--build-arg CA_BUNDLE=/certs/ca.pem -v "$CA_BUNDLE:/certs/ca.pem:ro")
fi
start=$(date +%s)
buildah bud "${args[@]}" . >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; exit 1; }
build_s=$(( $(date +%s) - start ))

# 3. a model
MODEL="${1:-}"
if [ -z "$MODEL" ] && [ -d runs/quickstart ]; then MODEL=runs/quickstart; fi
if [ -z "$MODEL" ]; then
  MODEL="$WORK/tiny-model"
  "$PY" - "$MODEL" <<'EOF'
import sys
from pathlib import Path

from tests.conftest import build_tiny_model, make_tokenizer

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
tok = make_tokenizer(out)
build_tiny_model(tok, seed=3).save_pretrained(out, tokenizer=tok)
EOF
fi
MODEL="$(cd "$MODEL" && pwd)"
# The image runs as uid 1000: a model file that only its owner may read (save_pretrained can write
# model.safetensors as 0600) fails with PermissionError inside. Check a world-readable copy instead.
if [ -n "$(find "$MODEL" ! -perm -o=r -print -quit)" ]; then
  echo "docker_check: $MODEL has files others cannot read (uid 1000 in the image); checking a copy" >&2
  rm -rf "$WORK/model" && cp -r "$MODEL" "$WORK/model" && chmod -R a+rX "$WORK/model"
  MODEL="$WORK/model"
fi

# 4. host and image predict the bundled examples (fp32 on CPU on both sides)
rm -rf "$WORK/out" && mkdir -p "$WORK/out" && chmod 777 "$WORK/out"
predict=(predict --input /examples --device cpu --precision fp32 --quiet)
"$PY" -m incidex predict --model "$MODEL" --input examples --output "$WORK/out/host.jsonl" --device cpu \
  --precision fp32 --quiet
ctr=$(buildah from "$IMAGE")
trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT
buildah run --isolation chroot -v "$MODEL:/models/m:ro" -v "$PWD/examples:/examples:ro" -v "$WORK/out:/out" \
  "$ctr" -- incidex "${predict[@]}" --model /models/m --output /out/image.jsonl

# 5. compare: same ids, labels and spans; scores within 1e-4 (different CPU kernels may round differently)
"$PY" - "$WORK/out/host.jsonl" "$WORK/out/image.jsonl" <<'EOF'
import json
import sys

host, image = ([json.loads(line) for line in open(p, encoding="utf-8")] for p in sys.argv[1:3])
assert len(host) == len(image) > 0, (len(host), len(image))
worst = 0.0
for h, i in zip(host, image):
    assert h["id"] == i["id"], (h["id"], i["id"])
    assert [a["label"] for a in h["attack_types"]] == [a["label"] for a in i["attack_types"]], h["id"]
    assert [(s["label"], s["start"], s["end"]) for s in h["spans"]] == \
           [(s["label"], s["start"], s["end"]) for s in i["spans"]], h["id"]
    worst = max([worst] + [abs(h["scores"][k] - i["scores"][k]) for k in h["scores"]])
assert worst <= 1e-4, worst
print(f"records agree: {len(host)} documents, largest score difference {worst:.2g}")
EOF
size=$(buildah images --format '{{.Size}}' "$IMAGE" | head -1)
echo "image $IMAGE: built in ${build_s} s, size ${size}"
