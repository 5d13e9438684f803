"""A fake Microsoft on 127.0.0.1 over HTTPS (a locally generated CA): Entra ID's tenant discovery and
token endpoint, the Bot Framework's OpenID metadata and JWKS, a connector (``serviceUrl``) and Graph.

Everything it receives is recorded; ``fail_next`` makes the connector answer given statuses first.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

TENANT = "11111111-2222-3333-4444-555555555555"
APP_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwk(key: rsa.RSAPrivateKey, kid: str, endorsements: list[str] | None = None) -> dict[str, Any]:
    data = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    data.update(kid=kid, use="sig", alg="RS256")
    if endorsements is not None:
        data["endorsements"] = endorsements
    return data


def make_tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A self-signed certificate for 127.0.0.1: the server context and the CA file for clients."""
    key = rsa_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "fake-ms.pem", folder / "fake-ms.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context, cert_file


class FakeMicrosoft:
    def __init__(self, folder: Path) -> None:
        self.context, self.ca_file = make_tls(folder)
        self.lock = threading.Lock()
        self.calls: list[dict[str, Any]] = []
        self.token_requests: list[dict[str, list[str]]] = []
        self.jwks: list[dict[str, Any]] = []
        self.jwks_fetches = 0
        self.botframework_issuer = "https://api.botframework.com"  # what the OpenID metadata names
        self.fail_next: list[int] = []
        self.storm_until = 0.0  # time.monotonic() until which every connector call fails (429 / 500 in turn)
        self._storms = 0
        self.slow_next: list[float] = []  # seconds the next connector calls wait before they are answered
        self.graph_pages: list[list[dict[str, Any]]] = []
        self.graph_throttle: list[int] = []  # Retry-After seconds to answer before a page
        self._ids = 1000
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

            def do_PUT(self) -> None:
                fake._handle(self, "PUT")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = self.context.wrap_socket(self.server.socket, server_side=True)
        self.base = f"https://127.0.0.1:{self.server.server_address[1]}"
        self.service_url = f"{self.base}/teams/"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what tests look at -----------------------------------------------------------------
    def connector_calls(self) -> list[dict[str, Any]]:
        with self.lock:
            return [c for c in self.calls if c["path"].startswith("/teams/v3/")]

    def new_id(self) -> str:
        with self.lock:
            self._ids += 1
            return str(self._ids)

    # --- routing ------------------------------------------------------------------------------
    def _handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        split = urlsplit(request.path)
        path = split.path
        call = {
            "method": method,
            "path": path,
            "raw_path": request.path,
            "query": parse_qs(split.query),
            "auth": request.headers.get("Authorization", ""),
            "raw": raw,
        }
        try:
            call["json"] = json.loads(raw) if raw and "json" in (request.headers.get("Content-Type") or "") else None
        except ValueError:
            call["json"] = None
        with self.lock:
            self.calls.append(call)
        status, body, headers = self._route(method, path, call)
        call["status"] = status
        data = json.dumps(body).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)

    def _route(self, method: str, path: str, call: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        if path == f"/{TENANT}/v2.0/.well-known/openid-configuration":
            return (
                200,
                {
                    "issuer": f"{self.base}/{TENANT}/v2.0",
                    "authorization_endpoint": f"{self.base}/{TENANT}/oauth2/v2.0/authorize",
                    "token_endpoint": f"{self.base}/{TENANT}/oauth2/v2.0/token",
                },
                {},
            )
        if path == f"/{TENANT}/oauth2/v2.0/token":
            form = parse_qs(call["raw"].decode())
            with self.lock:
                self.token_requests.append(form)
                n = len(self.token_requests)
            return 200, {"token_type": "Bearer", "expires_in": 3600, "access_token": f"token-{n}"}, {}
        if path == "/botframework/openid":
            return (
                200,
                {
                    "issuer": self.botframework_issuer,
                    "jwks_uri": f"{self.base}/botframework/keys",
                    "id_token_signing_alg_values_supported": ["RS256"],
                },
                {},
            )
        if path == "/botframework/keys":
            with self.lock:
                self.jwks_fetches += 1
                return 200, {"keys": list(self.jwks)}, {}
        if path.startswith("/teams/v3/"):
            return self._connector(method, path, call)
        if path == "/v1.0/users":
            return self._graph(call)
        return 404, {"error": "not found"}, {}

    def _connector(self, method: str, path: str, call: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        with self.lock:
            status = self.fail_next.pop(0) if self.fail_next else 200
            if status == 200 and time.monotonic() < self.storm_until:
                self._storms += 1
                stormed = 429 if self._storms % 2 else 500
                return stormed, {"error": {"code": "Throttled"}}, ({"Retry-After": "1"} if stormed == 429 else {})
            delay = self.slow_next.pop(0) if self.slow_next else 0.0
        if delay:
            time.sleep(delay)
        if status != 200:
            return status, {"error": {"code": "Throttled"}}, ({"Retry-After": "0"} if status == 429 else {})
        parts = [unquote(p) for p in path.split("/")[3:]]  # after /teams/v3
        if parts == ["conversations"] and method == "POST":
            root = self.new_id()
            channel = ((call["json"] or {}).get("channelData") or {}).get("channel", {}).get("id", "?")
            return 201, {"id": f"{channel};messageid={root}", "activityId": root}, {}
        if method == "PUT":
            return 200, {"id": parts[-1]}, {}
        return 201, {"id": self.new_id()}, {}

    def _graph(self, call: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
        with self.lock:
            if self.graph_throttle:
                return (
                    429,
                    {"error": {"code": "TooManyRequests"}},
                    {"Retry-After": str(self.graph_throttle.pop(0))},
                )
        page = int(call["query"].get("page", ["0"])[0])
        body: dict[str, Any] = {"value": self.graph_pages[page] if page < len(self.graph_pages) else []}
        if page + 1 < len(self.graph_pages):
            body["@odata.nextLink"] = f"{self.base}/v1.0/users?$skiptoken=x&page={page + 1}"
        return 200, body, {}


def bot_token(
    key: rsa.RSAPrivateKey,
    kid: str,
    *,
    service_url: str,
    audience: str = APP_ID,
    issuer: str = "https://api.botframework.com",
    expires_in: int = 3600,
    **extra: Any,
) -> str:
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "serviceurl": service_url,
        "nbf": now - 10,
        "iat": now - 10,
        "exp": now + expires_in,
        "jti": str(uuid.uuid4()),
        **extra,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
