"""gunicorn settings for Quotewire: `gunicorn --config gunicorn.conf.py service.wsgi:app`.

In production it runs behind nginx (`python -m service.frontdoor`, nginx.conf), which reads each
request whole before a worker sees it.

Environment: PORT (8000), WEB_CONCURRENCY (workers; default the cores available, cgroup limits included),
GUNICORN_TIMEOUT (90 s; keep above QUOTEWIRE_REQUEST_TIMEOUT), GUNICORN_CLIENT_TIMEOUT (10 s: the
longest pause while a client sends its request, then a JSON 408), GUNICORN_REQUEST_READ_TIMEOUT
(20 s: the longest a client may take to send all of its request, then a JSON 408),
GUNICORN_MAX_REQUESTS (1000), GUNICORN_MAX_WORKER_GROWTH_MB (32), PROMETHEUS_MULTIPROC_DIR (a
temporary directory when unset), LOG_LEVEL (info).
"""
import glob
import math
import os
import tempfile

# One BLAS/OpenMP thread per worker: the workers are the parallelism, and threads created in
# the master before fork do not survive into the workers anyway.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def _metrics_dir() -> str:
    """Shared directory for the workers' Prometheus counters, emptied at startup. Must be set
    before the app (and so prometheus_client) is imported, which is why it happens here."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="quotewire-metrics-")
    os.makedirs(path, exist_ok=True)
    for stale in glob.glob(os.path.join(path, "*.db")):
        os.remove(stale)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    return path


_metrics_dir()


def fix_malloc_thresholds() -> None:
    """glibc raises its mmap threshold each time a large block is freed, after which the arrays
    of the next long article come from the heap and stay there: a worker's memory then only
    grows. Fixed thresholds keep arrays over 2 MiB in mmap (returned to the OS when freed) and
    trim the heap top past 4 MiB. bench/soak.py, two runs each: PSS growth +24-28% -> +11%, and
    an ordinary article parses as fast (at 256 KiB it was ~15% slower: fresh pages for every
    array). Set in the master before the model loads, so every worker inherits it; a no-op off
    glibc."""
    import ctypes
    import ctypes.util
    m_trim_threshold, m_mmap_threshold = -1, -3  # from <malloc.h>
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    mallopt(m_mmap_threshold, 2 * 1024 * 1024)
    mallopt(m_trim_threshold, 4 * 1024 * 1024)


fix_malloc_thresholds()

from service.api.logs import gunicorn_logconfig  # noqa: E402  (after the environment is set)
from service import limits  # noqa: E402
from service.api.worker import client_timeout_s, read_timeout_s  # noqa: E402

bind = f"0.0.0.0:{int(os.environ.get('PORT', '8000'))}"


def available_cores() -> int:
    """Cores this process may use: its CPU affinity, capped by a cgroup v2 CPU quota (a
    container limited to 2 CPUs on a 64-core host should start 2 workers, not 64)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as limits:
            quota, period = limits.read().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def worker_count(environ) -> int:
    """WEB_CONCURRENCY, or the cores available; a count past service.limits' bound stops startup
    with the reason (each worker is a process with memory of its own)."""
    try:
        return limits.serve_workers(environ.get("WEB_CONCURRENCY") or available_cores())
    except limits.BadNumber as exc:
        raise SystemExit(f"WEB_CONCURRENCY: {exc}") from None


workers = worker_count(os.environ)
# CPU-bound parsing: one request per process, SIGALRM time limits work. gunicorn's sync worker,
# with each read of the request bounded by GUNICORN_CLIENT_TIMEOUT and all of them by
# GUNICORN_REQUEST_READ_TIMEOUT (service/api/worker.py).
worker_class = "service.api.worker.ClientTimeoutWorker"
preload_app = True         # load the model once in the master; workers share it copy-on-write
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "90"))  # above QUOTEWIRE_REQUEST_TIMEOUT (60)
# Checked here, so that a bad value stops startup; each worker reads it again from the environment.
client_timeout = client_timeout_s(os.environ, timeout)
read_timeout = read_timeout_s(os.environ, client_timeout, timeout)
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max(1, max_requests // 10)  # so workers do not all restart at once
# Header limits above nginx's (nginx.conf: 4 KB lines, 16 KB in all), so that behind nginx its
# JSON answers are the ones clients get, never gunicorn's HTML ones.
limit_request_line = 8190
limit_request_field_size = 8190
limit_request_fields = 32768
# A worker whose resident memory has grown this much past what it had after its first request
# finishes that request and is replaced by a fresh fork of the master: spaCy's string store
# keeps every word a worker has ever seen (random-word articles: ~3 MB a request).
max_worker_growth_mb = float(os.environ.get("GUNICORN_MAX_WORKER_GROWTH_MB", "32"))
# Heartbeat files in memory, not on a container's overlay filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# No runtime control socket: several servers may share a home directory (tests, benchmarks),
# and a container's non-root user may not be able to write there.
control_socket_disable = True

loglevel = os.environ.get("LOG_LEVEL", "info")
accesslog = None           # access lines come from logconfig_dict below, as JSON
errorlog = "-"
logconfig_dict = gunicorn_logconfig(loglevel.upper())
access_log_format = '%(m)s %(U)s %(s)s'


def resident_mb() -> float:
    """This process's resident memory (RSS), from /proc: cheap enough to read after every request."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def post_request(worker, req, environ, resp):
    """Recycle a worker that has grown past its memory allowance, once its response is sent:
    `alive = False` is how gunicorn's own max_requests ends a sync worker, gracefully."""
    rss = resident_mb()
    baseline = getattr(worker, "rss_baseline_mb", None)
    if baseline is None:
        worker.rss_baseline_mb = rss
    elif rss - baseline > max_worker_growth_mb and worker.alive:
        worker.log.info("worker memory grew from %.0f to %.0f MB: recycling it", baseline, rss)
        worker.alive = False


def child_exit(server, worker):
    """A worker is gone: its counts join the dead workers' totals, its gauges and files go."""
    from service.api.metrics import fold_dead_worker
    try:
        fold_dead_worker(os.environ["PROMETHEUS_MULTIPROC_DIR"], worker.pid)
    except Exception:  # noqa: BLE001  an exception here would end the master, and the service
        server.log.exception("could not fold the metrics of worker %s", worker.pid)


def pre_fork(server, worker):
    """Hand everything the master has loaded (the model above all) to gc's permanent generation
    before forking: a worker's full collections would otherwise write to every one of those
    objects and so copy the pages it shares with the master (measured: ~26 MB more unshared
    memory per worker after a few hundred requests)."""
    import gc
    gc.freeze()
