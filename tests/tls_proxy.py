"""A TLS-terminating proxy in front of gunicorn, as a load balancer or an ingress
is: HTTPS outside, plain HTTP to the app, ``X-Forwarded-Proto: https`` set (and
any such header from the client dropped), the Host passed through."""

import http.client
import http.cookiejar
import http.server
import ssl
import subprocess
import threading
import urllib.request
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


def forwarding_handler(upstream_port: int) -> type[http.server.BaseHTTPRequestHandler]:
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
                "127.0.0.1", upstream_port, timeout=30
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
    """HTTPS on a free loopback port, forwarding to gunicorn on ``upstream_port``."""

    def __init__(self, upstream_port: int, directory: Path) -> None:
        certificate, key = self_signed_certificate(directory)
        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), forwarding_handler(upstream_port)
        )
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(certificate, key)
        self.server.socket = server_context.wrap_socket(
            self.server.socket, server_side=True
        )
        self.url = f"https://localhost:{self.server.server_address[1]}"
        self.client_context = ssl.create_default_context(cafile=certificate)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def visitor(self) -> urllib.request.OpenerDirector:
        """A browser of sorts: trusts the proxy's certificate, keeps cookies
        (Secure ones too, as this is HTTPS) and follows redirects, raising on a
        loop."""
        return urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=self.client_context),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
        )

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
