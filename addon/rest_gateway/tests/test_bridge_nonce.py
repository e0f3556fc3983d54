# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The nonce store of the bridge signature: a nonce is claimed once."""

import time

from odoo.tests import tagged

from ..models import rest_gateway_bridge_nonce
from .common import RestGatewayCase


@tagged("post_install", "-at_install")
class TestBridgeNonce(RestGatewayCase):
    def setUp(self):
        super().setUp()
        # the claim's own transaction wraps the test's, to be rolled back with it
        self.registry_enter_test_mode()

    def test_claimed_once(self):
        nonces = self.env["rest.gateway.bridge.nonce"]
        expires = int(time.time()) + 61
        self.assertTrue(nonces._claim_nonce("rgw-nonce-test-0001", expires))
        self.assertFalse(nonces._claim_nonce("rgw-nonce-test-0001", expires))
        self.assertTrue(nonces._claim_nonce("rgw-nonce-test-0002", expires))

    def test_expired_nonces_are_purged(self):
        nonces = self.env["rest.gateway.bridge.nonce"]
        now = int(time.time())
        self.assertTrue(nonces._claim_nonce("rgw-nonce-test-old", now - 10))
        type(nonces)._last_purge = now - rest_gateway_bridge_nonce.PURGE_INTERVAL - 1
        self.assertTrue(nonces._claim_nonce("rgw-nonce-test-new", now + 61))
        self.env.cr.execute("SELECT nonce FROM rest_gateway_bridge_nonce WHERE nonce LIKE 'rgw-nonce-test-%%'")
        self.assertEqual([row[0] for row in self.env.cr.fetchall()], ["rgw-nonce-test-new"])
