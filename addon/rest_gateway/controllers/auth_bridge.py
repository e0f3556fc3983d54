# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The authentication route of the bridge: password operations that have
no acting user yet (log in, reset) or must check a password (change).

Signed exactly like the bridge (same headers, secret, clock window and
nonces; the signature covers this route's path); the work is
``rest.gateway.auth._dispatch_auth``.
"""

import json

from odoo import http
from odoo.http import request

from .bridge import ROUTE_OPTIONS, RestGatewayBridgeController

AUTH_ROUTE = "/rest_gateway/bridge/auth"
# kind → HTTP status of this route (the sidecar reads error.kind)
KIND_HTTP_STATUS = {"signature": 401, "bad_request": 400}


class RestGatewayAuthBridgeController(http.Controller):
    # the bridge's own signature check and error body
    _check_signature = RestGatewayBridgeController._check_signature
    _error_response = RestGatewayBridgeController._error_response

    @http.route(AUTH_ROUTE, readonly=False, **ROUTE_OPTIONS)
    def bridge_auth(self):
        body = request.httprequest.get_data()
        if problem := self._check_signature(body, AUTH_ROUTE):
            return self._error_response("signature", problem, 401)
        try:
            payload = json.loads(body)
        except ValueError:
            return self._error_response("bad_request", "The body is not valid JSON.", 400)
        result = request.env["rest.gateway.auth"]._dispatch_auth(payload)
        error = result.get("error")
        return request.make_json_response(result, status=KIND_HTTP_STATUS.get(error["kind"], 200) if error else 200)
