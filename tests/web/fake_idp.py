"""A fake identity provider on 127.0.0.1 over HTTPS (a locally generated certificate): Entra ID's tenant
discovery, authorize and token endpoints (authorization code with PKCE), and Slack's OpenID Connect
authorize, token and keys. ``authorize(url)`` plays the person who signs in as ``user``: it records what the
console sent and answers with the redirect back, carrying a one-time code."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt

from tests.teams.fakes import jwk, make_tls, rsa_key

TENANT = "11111111-2222-3333-4444-555555555555"
APP_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
SLACK_CLIENT = "1234.5678"
SLACK_SECRET = "slack-client-secret"


class FakeIdentityProvider:
    def __init__(self, folder: Path) -> None:
        self.context, self.ca_file = make_tls(folder)
        self.key, self.other_key = rsa_key(), rsa_key()
        self.lock = threading.Lock()
        self.user: dict[str, Any] = {}  # the claims of whoever signs in next
        self.codes: dict[str, dict[str, str]] = {}  # code -> what the authorize request carried
        self.token_requests: list[dict[str, str]] = []
        self.sign_with_other_key = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._answer(self, fake._route(urlsplit(self.path).path, {}))

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                fake._answer(self, fake._route(urlsplit(self.path).path, form))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = self.context.wrap_socket(self.server.socket, server_side=True)
        self.base = f"https://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def authorize(self, url: str) -> str:
        """The person signs in: the redirect back to the console, with a code for what ``url`` asked."""
        asked = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = asked
        return f"{asked['redirect_uri']}?{urlencode({'code': code, 'state': asked['state']})}"

    @staticmethod
    def _answer(request: BaseHTTPRequestHandler, reply: tuple[int, Any]) -> None:
        data = json.dumps(reply[1]).encode()
        request.send_response(reply[0])
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _route(self, path: str, form: dict[str, str]) -> tuple[int, Any]:
        if path == f"/{TENANT}/v2.0/.well-known/openid-configuration":
            return 200, {"issuer": f"{self.base}/{TENANT}/v2.0",
                         "authorization_endpoint": f"{self.base}/{TENANT}/oauth2/v2.0/authorize",
                         "token_endpoint": f"{self.base}/{TENANT}/oauth2/v2.0/token"}
        if path == f"/{TENANT}/oauth2/v2.0/token":
            return self._entra_token(form)
        if path == "/openid/connect/keys":
            return 200, {"keys": [jwk(self.key, "slack-key")]}
        if path == "/api/openid.connect.token":
            return self._slack_token(form)
        return 404, {"error": "not found"}

    def _redeem(self, form: dict[str, str]) -> dict[str, str] | None:
        with self.lock:
            self.token_requests.append(form)
            asked = self.codes.pop(form.get("code", ""), None)
        if asked is None or asked.get("redirect_uri") != form.get("redirect_uri"):
            return None
        return asked

    def _entra_token(self, form: dict[str, str]) -> tuple[int, Any]:
        asked = self._redeem(form)
        if asked is None or form.get("client_id") != APP_ID:
            return 400, {"error": "invalid_grant"}
        challenge = base64.urlsafe_b64encode(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
        if asked.get("code_challenge_method") != "S256" or challenge.decode().rstrip("=") != asked.get(
                "code_challenge"):
            return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        now = int(time.time())
        claims = {"iss": f"{self.base}/{TENANT}/v2.0", "aud": APP_ID, "tid": TENANT, "iat": now, "nbf": now,
                  "exp": now + 3600, "nonce": asked.get("nonce", ""), "sub": f"sub-{self.user.get('oid')}",
                  **self.user}
        token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "entra-key"})
        return 200, {"token_type": "Bearer", "expires_in": 3600, "access_token": "at", "id_token": token,
                     "scope": "openid profile"}

    def _slack_token(self, form: dict[str, str]) -> tuple[int, Any]:
        asked = self._redeem(form)
        if asked is None or form.get("client_id") != SLACK_CLIENT or form.get("client_secret") != SLACK_SECRET:
            return 200, {"ok": False, "error": "invalid_code"}
        now = int(time.time())
        claims = {"iss": self.base, "aud": SLACK_CLIENT, "iat": now, "exp": now + 3600,
                  "nonce": asked.get("nonce", ""), **self.user}
        key = self.other_key if self.sign_with_other_key else self.key
        return 200, {"ok": True, "access_token": "xoxp", "id_token": jwt.encode(claims, key, algorithm="RS256",
                                                                                headers={"kid": "slack-key"})}
