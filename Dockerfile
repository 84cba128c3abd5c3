# The Syndicate worker and CLI, for docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY streams ./streams
COPY schemas ./schemas
COPY config ./config
COPY samples ./samples
RUN pip install --no-cache-dir -e .
ENV SYNDICATE_DATA_DIR=/data SYNDICATE_CACHE_DIR=/data/cache
ENTRYPOINT ["syndicate"]
CMD ["worker"]
