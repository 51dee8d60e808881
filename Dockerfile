# One image for web, the workers and beat.
FROM python:3.11-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home --uid 1000 mutuality
COPY requirements/base.lock requirements/base.lock
RUN pip install -r requirements/base.lock
COPY . .
# Static files and translations are built into the image; the settings need placeholders here.
RUN DJANGO_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput \
 && python manage.py compile_translations
# The media volume mounts here: it must belong to the user the app runs as.
RUN mkdir -p /app/media && chown mutuality /app/media
USER mutuality
EXPOSE 8000
CMD ["gunicorn", "mutuality.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--access-logfile", "-"]
