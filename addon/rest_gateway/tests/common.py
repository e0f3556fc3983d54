# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Helpers shared by the addon's tests: users, exposed models, keys, bridge calls."""

import json
import secrets
import time

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from ..controllers.bridge import (  # the routes are imported from here by the tests
    BRIDGE_RO_ROUTE,  # noqa: F401
    BRIDGE_ROUTE,
    NONCE_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
)
from ..models.rest_gateway_bridge import PREVIOUS_SECRET_PARAM, SECRET_PARAM


class RestGatewayMixin:
    """Factories for the addon's records; class methods, so usable in setUpClass."""

    @classmethod
    def _make_user(cls, login, groups=("base.group_user",), company=None, companies=None, **values):
        """A user with the given group xmlids; ``company``/``companies`` are records."""
        company = company or cls.env.company
        companies = companies or company
        return new_test_user(
            cls.env,
            login=login,
            groups=",".join(groups),
            company_id=company.id,
            company_ids=[Command.set(companies.ids)],
            **values,
        )

    @classmethod
    def _make_exposed_model(cls, model_name, **values):
        return cls.env["rest.gateway.model"].create(
            {"model_id": cls.env["ir.model"]._get_id(model_name), **values}
        )

    @classmethod
    def _make_key(cls, user, scopes=(), **values):
        """A key running as ``user``; ``scopes`` is a list of ``{exposed_model_id, ...}``."""
        return cls.env["rest.gateway.key"].create({
            "name": values.pop("name", f"Key of {user.login}"),
            "user_id": user.id,
            "scope_ids": [Command.create(dict(scope)) for scope in scopes],
            **values,
        })


@tagged("post_install", "-at_install")
class RestGatewayCase(RestGatewayMixin, TransactionCase):
    """Base of the addon's ORM-level tests."""


@tagged("post_install", "-at_install")
class RestGatewayHttpCase(RestGatewayMixin, HttpCase):
    """Base of the tests that call the bridge over HTTP, signed as the sidecar does."""

    # The bridge claims each request's nonce in a transaction of its own (a
    # read/write cursor, another connection in production). A test's cursors
    # all wrap the test's one transaction, which a read-only route would mark
    # read-only: the read-only route runs on read/write test cursors.
    _registry_readonly_enabled = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bridge_secret = cls.env["ir.config_parameter"].sudo().get_param(SECRET_PARAM)

    def _signature_headers(self, raw, route=BRIDGE_ROUTE, secret=None, timestamp=None, nonce=None,
                           method="POST", database=None):
        """The headers the sidecar signs ``raw`` (bytes) with for ``route``.

        ``method`` and ``database`` are those signed, to forge a request
        signed for another method or database.
        """
        timestamp = int(time.time()) if timestamp is None else timestamp
        nonce = nonce or secrets.token_urlsafe(16)
        digest = sign(secret or self.bridge_secret, method, route, database or self.env.cr.dbname,
                      timestamp, nonce, raw)
        return {TIMESTAMP_HEADER: str(timestamp), NONCE_HEADER: nonce, SIGNATURE_HEADER: f"v2={digest}"}

    def _bridge_post(self, body, route=BRIDGE_ROUTE, secret=None, timestamp=None, headers=None, signed_route=None):
        """POST ``body`` (a dict, or raw bytes) to the bridge, signed with ``secret``.

        ``headers`` replaces the computed signature headers when given;
        ``signed_route`` signs for another route than the one posted to.
        """
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        if headers is None:
            headers = self._signature_headers(raw, route=signed_route or route, secret=secret, timestamp=timestamp)
        headers = {"Content-Type": "application/json", "X-Odoo-Database": self.env.cr.dbname, **headers}
        return self.url_open(route, data=raw, headers=headers)

    def _bridge(self, operations, uid=None, route=BRIDGE_ROUTE, **body):
        """Run ``operations`` through the bridge; return ``(status, decoded body)``."""
        payload = {"uid": uid or self.env.ref("base.user_admin").id, "operations": operations, **body}
        response = self._bridge_post(payload, route=route)
        return response.status_code, response.json()

    def _rotate_secret(self):
        self.env["rest.gateway.bridge"].action_rotate_bridge_secret()
        params = self.env["ir.config_parameter"].sudo()
        return params.get_param(SECRET_PARAM), params.get_param(PREVIOUS_SECRET_PARAM)
