# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The bridge routes: check the HMAC signature, then hand over to the model.

Everything past the signature (body validation, the user, the operations)
is ``rest.gateway.bridge._dispatch``, so that it can be tested without HTTP.
Protocol: docs/bridge-protocol.md.
"""

import hashlib
import hmac
import json
import logging
import re
import time

from odoo import http
from odoo.http import request

from ..models.rest_gateway_bridge import get_bridge_secrets
from .bridge_errors import response_status

_logger = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Rest-Gateway-Timestamp"
NONCE_HEADER = "X-Rest-Gateway-Nonce"
SIGNATURE_HEADER = "X-Rest-Gateway-Signature"
MAX_CLOCK_SKEW = 60  # seconds, either way
SIGNATURE_RE = re.compile(r"^v2=([0-9a-fA-F]{64})$")
TIMESTAMP_RE = re.compile(r"^[0-9]{1,12}$")
# 16 to 64 URL-safe base64 characters: at least 96 random bits
NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# set on the WSGI environ once this HTTP request claimed its nonce, so that
# Odoo's retry of the same request (serialization failure, read-only
# cursor) is not taken for a replay
CLAIMED_NONCE_ENVIRON_KEY = "rest_gateway.claimed_nonce"

BRIDGE_ROUTE = "/rest_gateway/bridge"
BRIDGE_RO_ROUTE = "/rest_gateway/bridge/ro"

ROUTE_OPTIONS = {
    "type": "http",
    "auth": "none",
    "methods": ["POST"],
    "csrf": False,
    "save_session": False,
}


def sign(secret, method, path, database, timestamp, nonce, body):
    """``v2`` signature (hex) of a bridge request; ``body`` is the raw bytes.

    The signed message is the method, the route's path, the database name,
    the timestamp (Unix seconds) and the nonce, one per line, then the body.
    None of the first five can hold a newline, so the message is unambiguous.
    """
    head = "\n".join([method, path, database, str(timestamp), nonce]) + "\n"
    return hmac.new(secret.encode(), head.encode() + body, hashlib.sha256).hexdigest()


class RestGatewayBridgeController(http.Controller):
    @http.route(BRIDGE_ROUTE, readonly=False, **ROUTE_OPTIONS)
    def bridge(self):
        return self._serve_bridge(BRIDGE_ROUTE, readonly=False)

    @http.route(BRIDGE_RO_ROUTE, readonly=True, **ROUTE_OPTIONS)
    def bridge_readonly(self):
        return self._serve_bridge(BRIDGE_RO_ROUTE, readonly=True)

    def _serve_bridge(self, route, readonly):
        body = request.httprequest.get_data()
        if problem := self._check_signature(body, route):
            return self._error_response("signature", problem, 401)
        try:
            payload = json.loads(body)
        except ValueError:
            return self._error_response("bad_request", "The body is not valid JSON.", 400)
        result = request.env["rest.gateway.bridge"]._dispatch(payload, readonly=readonly)
        return request.make_json_response(result, status=response_status(result))

    def _check_signature(self, body, route):
        """Return why the request's signature is refused, or ``None``.

        ``route`` is the path of the route serving the request: a request
        signed for another route (or method, or database) is refused. The
        nonce is claimed last, only for a request signed with a valid
        secret, so that unsigned traffic cannot fill the nonce table.
        """
        httprequest = request.httprequest
        headers = httprequest.headers
        timestamp = headers.get(TIMESTAMP_HEADER, "").strip()
        nonce = headers.get(NONCE_HEADER, "").strip()
        signature = headers.get(SIGNATURE_HEADER, "").strip()
        if not timestamp or not nonce or not signature:
            return f"Missing {TIMESTAMP_HEADER}, {NONCE_HEADER} or {SIGNATURE_HEADER} header."
        match = SIGNATURE_RE.match(signature)
        if not TIMESTAMP_RE.match(timestamp) or not NONCE_RE.match(nonce) or not match:
            return "Malformed timestamp, nonce or signature header (the signature scheme is v2)."
        now = time.time()
        if abs(now - int(timestamp)) > MAX_CLOCK_SKEW:
            return "Stale timestamp: more than 60 s away from the server clock."
        secrets_ = get_bridge_secrets(request.env, now)
        provided = match.group(1).lower()
        database = request.env.cr.dbname
        # compare against every secret, so the timing says nothing about which one matched
        matches = [
            hmac.compare_digest(sign(secret, httprequest.method, route, database, timestamp, nonce, body), provided)
            for secret in secrets_
        ]
        if not any(matches):
            return "Wrong signature."
        if httprequest.environ.get(CLAIMED_NONCE_ENVIRON_KEY) == nonce:
            return None  # Odoo retrying this same request
        # remembered until the timestamp leaves the window (and a second more)
        if not request.env["rest.gateway.bridge.nonce"].sudo()._claim_nonce(nonce, int(timestamp) + MAX_CLOCK_SKEW + 1):
            return "Replayed request: this nonce was already used."
        httprequest.environ[CLAIMED_NONCE_ENVIRON_KEY] = nonce
        return None

    def _error_response(self, kind, message, status):
        return request.make_json_response({"error": {"kind": kind, "message": message}}, status=status)
