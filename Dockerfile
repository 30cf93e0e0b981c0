FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY config ./config
COPY tasks ./tasks
COPY worker ./worker
RUN pip install --upgrade pip && pip install '.[monitor]' \
    && useradd --create-home copydesk
USER copydesk
ENV COPYDESK_DATA_DIR=/home/copydesk/data
CMD ["copydesk", "worker"]
