"""A locally generated test certificate authority (``trustme``) for ``serve --tls`` and
``MockServer(tls=True)``.

The CA exists only in this process and in the PEM file it writes; trust it in clients with
``REQUESTS_CA_BUNDLE`` / ``SSL_CERT_FILE`` (Python) or ``NODE_EXTRA_CA_CERTS`` (Node):

    ca = TestCA.default()                 # one per process, PEM written to a temp directory
    context = ca.server_context(["127.0.0.1"])
    requests.get(url, verify=ca.ca_path)
"""

from __future__ import annotations

import atexit
import shutil
import ssl
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

#: Names every server certificate covers, besides the bound host.
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")


class TestCA:
    __test__ = False  # not a pytest test class

    _default: TestCA | None = None
    _lock = threading.Lock()

    def __init__(self, directory: str | Path | None = None) -> None:
        try:
            import trustme
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "HTTPS needs the 'trustme' package: pip install 'mockscim[tls]'"
            ) from exc
        self._ca = trustme.CA(organization_name="mockscim test CA")
        if directory is None:
            directory = tempfile.mkdtemp(prefix="mockscim-ca-")
            atexit.register(shutil.rmtree, directory, True)
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.ca_path = str(self.directory / "mockscim-ca.pem")
        self._ca.cert_pem.write_to_path(self.ca_path)

    @classmethod
    def default(cls) -> TestCA:
        """The process's CA (one PEM file however many servers start)."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    def server_context(self, hosts: Iterable[str] = ()) -> ssl.SSLContext:
        """A server-side TLS context with a certificate for ``hosts`` and the local names."""
        names = list(dict.fromkeys([*(h.strip("[]") for h in hosts if h), *LOCAL_NAMES]))
        names = [n for n in names if n not in ("0.0.0.0", "::")]
        cert = self._ca.issue_cert(*names)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        cert.configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client context trusting this CA (for clients that take an ``SSLContext``)."""
        context = ssl.create_default_context()
        self._ca.configure_trust(context)
        return context
