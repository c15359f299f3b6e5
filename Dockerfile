# Quotewire API image: multi-stage, model installed at build time, runs as a non-root user.
#   docker build -t quotewire . && docker run -p 8000:8000 quotewire
# There is no Docker engine on the build machines: every step below was run by hand in a fresh
# venv instead (see README, "Docker").

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Dependencies first so code changes don't rebuild this layer; wheels only (no compiler here).
COPY requirements.txt .
RUN pip install --only-binary=:all: -r requirements.txt
COPY pyproject.toml README.md ./
COPY service ./service
RUN pip install --no-deps . \
 && python -c "from service.nlp import load_pipeline, extract; nlp = load_pipeline(); \
assert nlp.get_pipe('quotewire').model is not None, 'the learned layer is not installed'; \
assert next(extract(nlp, ['\"It works,\" she said.']))['quotes']"

FROM python:3.11-slim
# nginx in front of gunicorn (service/frontdoor.py): Debian's packages, as on the test machines
# (the Lua module reads request bodies: nginx.conf).
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx libnginx-mod-http-lua \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --uid 10001 quotewire
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY gunicorn.conf.py nginx.conf ./
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PORT=8000
USER quotewire
EXPOSE 8000
# python, not curl: the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health/ready' % os.environ.get('PORT', '8000'), timeout=4)"]
# nginx on $PORT, gunicorn behind it on a private unix socket; SIGTERM stops both gracefully.
CMD ["python", "-m", "service.frontdoor"]
