"""`refs serve`: a Crossref-REST-compatible server over the local index.

For tests and benchmarks: `with running_server(index_path) as base_url: ...`.
"""

from refs.serve.app import CrossrefApp, create_app
from refs.serve.faults import Faults
from refs.serve.ratelimit import POOL_LIMITS, Limit, limit_violations, read_access_log
from refs.serve.run import ServerThread, running_server, serve

__all__ = [
    "POOL_LIMITS",
    "CrossrefApp",
    "Faults",
    "Limit",
    "ServerThread",
    "create_app",
    "limit_violations",
    "read_access_log",
    "running_server",
    "serve",
]
