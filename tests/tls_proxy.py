"""A TLS-terminating proxy in front of gunicorn, as a load balancer or an ingress
is: HTTPS outside, plain HTTP to the app, ``X-Forwarded-Proto: https`` set (and
any such header from the client dropped), the Host passed through. In front of
several nodes it sends each request to the next one in turn, so one visitor's
requests land on every node."""

import http.client
import http.cookiejar
import http.server
import itertools
import ssl
import subprocess
import threading
import urllib.request
from collections.abc import Callable
from pathlib import Path

# Headers that belong to one connection, not to the request (RFC 9110, 7.6.1).
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
}


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    certificate, key = directory / "proxy.crt", directory / "proxy.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-days",
            "1",
            "-keyout",
            key,
            "-out",
            certificate,
        ],  # fmt: skip
        check=True,
        capture_output=True,
    )
    return certificate, key


def forwarding_handler(
    next_upstream: Callable[[], int],
) -> type[http.server.BaseHTTPRequestHandler]:
    class Forward(http.server.BaseHTTPRequestHandler):
        def forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {
                name: value
                for name, value in self.headers.items()
                if name.lower() not in HOP_BY_HOP
                and not name.lower().startswith("x-forwarded-")
            }
            headers["X-Forwarded-Proto"] = "https"
            headers["X-Forwarded-For"] = self.client_address[0]
            upstream = http.client.HTTPConnection(
                "127.0.0.1", next_upstream(), timeout=30
            )
            try:
                upstream.request(self.command, self.path, body, headers)
                response = upstream.getresponse()
                content = response.read()
            finally:
                upstream.close()
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_HEAD = forward

        def log_message(self, format: str, *args) -> None:
            pass  # gunicorn's access log has every request already

    return Forward


class TLSProxy:
    """HTTPS on free loopback ports: ``url`` takes turns over every port of
    ``upstream_ports`` (gunicorn's, one per node); ``nodes`` has one URL per node,
    for a request that must reach that node. Cookies ignore the port, so a
    visitor's session follows it from one URL to another."""

    def __init__(self, upstream_ports: list[int], directory: Path) -> None:
        certificate, key = self_signed_certificate(directory)
        self.server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server_context.load_cert_chain(certificate, key)
        self.client_context = ssl.create_default_context(cafile=certificate)
        self.servers: list[http.server.ThreadingHTTPServer] = []
        turns, lock = itertools.cycle(upstream_ports), threading.Lock()

        def next_in_turn() -> int:
            with lock:
                return next(turns)

        self.url = self.serve(next_in_turn)
        self.nodes = [self.serve(lambda port=port: port) for port in upstream_ports]

    def serve(self, next_upstream: Callable[[], int]) -> str:
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), forwarding_handler(next_upstream)
        )
        server.socket = self.server_context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.servers.append(server)
        return f"https://localhost:{server.server_address[1]}"

    def visitor(self) -> urllib.request.OpenerDirector:
        """A browser of sorts: trusts the proxy's certificate, keeps cookies
        (Secure ones too, as this is HTTPS) and follows redirects, raising on a
        loop."""
        return urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=self.client_context),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        )

    def stop(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()
