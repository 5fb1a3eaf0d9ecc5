"""Gunicorn settings for production (`gunicorn -c gunicorn.conf.py cms.wsgi`).

Everything can be overridden from the environment; see docs/deploy.md.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Load the application (settings, URLconf, the Chinese segmentation dictionary) once in
# the master; forked workers share those pages instead of each building its own copy.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# Remote address, time, request line, status, bytes, duration (ms), referrer, user agent.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker):
    """Move everything the preloaded application made into the collector's permanent
    generation before each worker is forked.

    Some 200,000 objects (models, URLconf, templates' libraries, the segmentation
    dictionary) live as long as the process; without this every full collection in a
    worker walks all of them, about 50 ms once per hundred requests or so, some 10 % of
    a page's time on average, and writes to the pages the workers share with the master.
    See the note on ``gc.freeze`` in Python's documentation.
    """
    gc.freeze()


def when_ready(server):
    """Warm the preloaded application once, in the master, before the first fork
    (``cms.warmup``): every worker, the first ones and those that replace a worker after
    ``max_requests``, starts with the dictionary, URLconfs and templates loaded."""
    if not server.cfg.preload_app:
        return
    from cms.warmup import warm_up

    timings = warm_up()
    server.log.info("warm-up: %s", ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in timings.items()))
