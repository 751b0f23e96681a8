# incidex: predict / evaluate / export / train from a container.
#
#   docker build -t incidex .                                   # CPU (default)
#   docker build -t incidex:cuda --build-arg TORCH_VARIANT=cu128 .   # CUDA wheel of the same torch
#   buildah bud --isolation chroot --build-arg BASE_IMAGE=localhost/debian-python:bookworm \
#       --build-arg WHEEL_DIR=/wheels -v /opt/wheels:/wheels:ro -t incidex .   # local wheels, own base
#   (behind a TLS-inspecting proxy add -v /etc/ssl/certs/ca-certificates.crt:/certs/ca.pem:ro
#    --build-arg CA_BUNDLE=/certs/ca.pem)
#   docker run --rm -v "$PWD/runs/quickstart:/models/quickstart:ro" -v "$PWD/data:/data" \
#       incidex predict --model /models/quickstart --input /data/in.jsonl --output /data/out.jsonl
#
# Same steps as CI: torch first, from the PyTorch wheel index of the chosen variant (cpu: no CUDA
# libraries, ~10x smaller), then the package, whose `torch>=2.2` is then already satisfied.
# Everything goes into a virtual environment (/opt/venv), so any base image with python3 and its venv
# module works, Debian's own python3 included (its pip refuses system-wide installs, PEP 668).
# bench/docker_check.sh builds the image and compares its `incidex predict` with the host's.
# See docs/DEPLOY.md.

# Any image with python3 (>= 3.10) and python3-venv.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ARG TORCH_VERSION=2.13.0
# cpu, or a CUDA variant that the PyTorch index publishes for TORCH_VERSION (e.g. cu126, cu128)
ARG TORCH_VARIANT=cpu
# A folder of wheels visible during the build (e.g. a bind mount, buildah bud -v /opt/wheels:/wheels:ro):
# torch is installed from it instead of the PyTorch index.
ARG WHEEL_DIR=
# A CA bundle visible during the build, for pip behind a TLS-inspecting proxy (e.g.
# buildah bud -v /etc/ssl/certs/ca-certificates.crt:/certs/ca.pem:ro --build-arg CA_BUNDLE=/certs/ca.pem);
# it is only read by pip during the build and not copied into the image.
ARG CA_BUNDLE=

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    HF_HOME=/tmp/hf \
    PATH=/opt/venv/bin:$PATH

WORKDIR /opt/incidex

RUN if [ -n "${CA_BUNDLE}" ]; then export PIP_CERT="${CA_BUNDLE}"; fi \
    && python3 -m venv /opt/venv \
    && if [ -n "${WHEEL_DIR}" ]; then pip install --find-links "${WHEEL_DIR}" "torch==${TORCH_VERSION}"; \
       else pip install "torch==${TORCH_VERSION}" --index-url "https://download.pytorch.org/whl/${TORCH_VARIANT}"; fi

COPY pyproject.toml README.md* ./
COPY model ./model
COPY training ./training
COPY eval ./eval
COPY src ./src
# DL3013 (pin pip versions) does not apply to the local package; its dependencies are pinned by range in pyproject.toml
# hadolint ignore=DL3013
RUN if [ -n "${CA_BUNDLE}" ]; then export PIP_CERT="${CA_BUNDLE}"; fi \
    && pip install ".[onnx]" \
    && rm -rf /opt/incidex/build /root/.cache \
    && groupadd --gid 1000 incidex \
    && useradd --create-home --uid 1000 --gid 1000 --shell /usr/sbin/nologin incidex \
    && mkdir -p /models /data \
    && chown incidex:incidex /models /data

USER 1000:1000
WORKDIR /data

ENTRYPOINT ["incidex"]
CMD ["--help"]
