# openfisca-sp API: a container that runs as a non-root user on a read-only file system.
#
#   docker build -t openfisca-sp .
#   docker run --read-only --tmpfs /tmp -p 5000:5000 \
#     -e OPENFISCA_SP_PUBLIC_URL=https://rules.example.gov \
#     -v /etc/openfisca-sp/keys:/run/secrets/openfisca-sp-keys:ro openfisca-sp
#
# Offline sites build it where PyPI (or a mirror) is reachable and move the image; nothing is fetched at run
# time: the API docs' scripts are in the image. See docs/deploy.md.

FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
# every wheel the service needs, ours included, so that the final stage installs with no index
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /tmp --shell /usr/sbin/nologin openfisca
COPY --from=build /wheels /wheels
RUN python -m venv /opt/openfisca-sp \
    && /opt/openfisca-sp/bin/pip install --no-cache-dir --no-index --find-links /wheels openfisca-sp \
    && rm -rf /wheels
# The file system is read-only at run time: no bytecode written, temporary files (the metrics of several
# workers) in the /tmp tmpfs. Bind all interfaces inside the container; keys come from the secret file.
ENV PATH=/opt/openfisca-sp/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOME=/tmp \
    TMPDIR=/tmp \
    MPLCONFIGDIR=/tmp \
    OPENFISCA_SP_HOST=0.0.0.0 \
    OPENFISCA_SP_PORT=5000 \
    OPENFISCA_SP_WORKERS=2 \
    OPENFISCA_SP_API_KEYS_FILE=/run/secrets/openfisca-sp-keys
USER 10001:10001
EXPOSE 5000
# /health on the port the service listens on (OPENFISCA_SP_PORT may be changed at run time); /health is an open
# path unless OPENFISCA_SP_OPEN_PATHS leaves it out
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('OPENFISCA_SP_PORT', '5000'), timeout=2)"]
ENTRYPOINT ["openfisca-sp", "serve"]
