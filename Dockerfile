# Production image: gunicorn serving the portal; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=diaspora_portal.settings.production \
    STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media CHROMIUM_PATH=/usr/bin/chromium

# WeasyPrint prints PDFs (referral letters, request sheets, certificates) with Pango, which shapes Arabic; Noto
# fonts cover Arabic. (PDF_RENDERER=chromium needs the chromium package added here.)
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 portal

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

# Compile translations and collect static files at build time. The dummy values only satisfy the settings
# loader for these two commands; the running container gets its real configuration from the environment.
RUN DJANGO_SECRET_KEY=build-only-$(python -c 'import secrets; print(secrets.token_hex(32))') \
    DJANGO_ALLOWED_HOSTS=build EMAIL_HOST=build DATABASE_URL=postgres://build@build/build REDIS_URL=redis://build:6379/0 \
    sh -c 'python scripts/compile_messages.py && python manage.py collectstatic --noinput -v 0' \
 && mkdir -p /data/media && chown -R portal:portal /data /app

USER portal
EXPOSE 8000
CMD ["gunicorn", "diaspora_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
