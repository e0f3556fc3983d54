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

from ..models.rest_gateway_bridge import PREVIOUS_SECRET_PARAM, SECRET_PARAM
from .bridge_errors import response_status

_logger = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Rest-Gateway-Timestamp"
SIGNATURE_HEADER = "X-Rest-Gateway-Signature"
MAX_CLOCK_SKEW = 60  # seconds, either way
SIGNATURE_RE = re.compile(r"^v1=([0-9a-fA-F]{64})$")
TIMESTAMP_RE = re.compile(r"^[0-9]{1,12}$")

ROUTE_OPTIONS = {
    "type": "http",
    "auth": "none",
    "methods": ["POST"],
    "csrf": False,
    "save_session": False,
}


def sign(secret, timestamp, body):
    """``v1`` signature of ``body`` (bytes) at ``timestamp`` (Unix seconds)."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class RestGatewayBridgeController(http.Controller):
    @http.route("/rest_gateway/bridge", readonly=False, **ROUTE_OPTIONS)
    def bridge(self):
        return self._serve_bridge(readonly=False)

    @http.route("/rest_gateway/bridge/ro", readonly=True, **ROUTE_OPTIONS)
    def bridge_readonly(self):
        return self._serve_bridge(readonly=True)

    def _serve_bridge(self, readonly):
        body = request.httprequest.get_data()
        if problem := self._check_signature(body):
            return self._error_response("signature", problem, 401)
        try:
            payload = json.loads(body)
        except ValueError:
            return self._error_response("bad_request", "The body is not valid JSON.", 400)
        result = request.env["rest.gateway.bridge"]._dispatch(payload, readonly=readonly)
        return request.make_json_response(result, status=response_status(result))

    def _check_signature(self, body):
        """Return why the request's signature is refused, or ``None``."""
        headers = request.httprequest.headers
        timestamp = headers.get(TIMESTAMP_HEADER, "").strip()
        signature = headers.get(SIGNATURE_HEADER, "").strip()
        if not timestamp or not signature:
            return f"Missing {TIMESTAMP_HEADER} or {SIGNATURE_HEADER} header."
        match = SIGNATURE_RE.match(signature)
        if not TIMESTAMP_RE.match(timestamp) or not match:
            return "Malformed timestamp or signature header."
        if abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW:
            return "Stale timestamp: more than 60 s away from the server clock."
        params = request.env["ir.config_parameter"].sudo()
        secrets_ = [params.get_param(SECRET_PARAM), params.get_param(PREVIOUS_SECRET_PARAM)]
        provided = match.group(1).lower()
        # compare against every secret, so the timing says nothing about which one matched
        matches = [hmac.compare_digest(sign(secret, timestamp, body), provided) for secret in secrets_ if secret]
        if not any(matches):
            return "Wrong signature."
        return None

    def _error_response(self, kind, message, status):
        return request.make_json_response({"error": {"kind": kind, "message": message}}, status=status)
