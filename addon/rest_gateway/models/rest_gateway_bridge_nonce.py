# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The nonces of signed bridge requests, remembered while their timestamp is
inside the signature's window, so that a replayed request is refused.

One table shared by every Odoo worker (a worker's memory would only see its
own requests). A nonce is claimed in a short transaction of its own, before
the request runs, so that a concurrent replay sees the claim at once; see
docs/bridge-protocol.md, "Signature", and docs/decisions.md D-S21.
"""

import time

from odoo import api, models

NONCE_TABLE = "rest_gateway_bridge_nonce"
# expired nonces are deleted by whichever worker claims one after this long
PURGE_INTERVAL = 60  # seconds


class RestGatewayBridgeNonce(models.AbstractModel):
    _name = "rest.gateway.bridge.nonce"
    _description = "REST Gateway Bridge Nonces"

    # per worker process: when it last deleted expired nonces
    _last_purge = 0.0

    def init(self):
        # raw SQL: a primary key lookup per bridge call, no ORM bookkeeping
        self.env.cr.execute(f"""
            CREATE TABLE IF NOT EXISTS {NONCE_TABLE} (
                nonce varchar(64) PRIMARY KEY,
                expires_at bigint NOT NULL  -- Unix seconds, Odoo's clock
            )
        """)

    @api.model
    def _claim_nonce(self, nonce, expires_at):
        """Record ``nonce`` until ``expires_at`` (Unix seconds); ``False`` if it
        was already recorded (a replay).

        The claim commits in its own transaction: a concurrent replay is
        refused without waiting for the request to finish, and a request
        that fails after its claim still used its nonce. Its commit does not
        wait for the WAL flush (``synchronous_commit``): a crash can lose the
        last claims, but never those of a request whose own writes (committed
        later, flushing the WAL up to them) survived.
        """
        now = time.time()
        purge = now - type(self)._last_purge > PURGE_INTERVAL
        if purge:
            type(self)._last_purge = now
        # one statement string, so one round trip for the setting, the claim
        # and (once a minute per worker) the purge of expired nonces
        statements = ["SET LOCAL synchronous_commit TO OFF"]
        params = []
        if purge:
            statements.append(f"DELETE FROM {NONCE_TABLE} WHERE expires_at < %s")
            params.append(int(now))
        statements.append(
            f"INSERT INTO {NONCE_TABLE} (nonce, expires_at) VALUES (%s, %s) "
            "ON CONFLICT (nonce) DO NOTHING RETURNING 1"
        )
        params += [nonce, int(expires_at)]
        with self.env.registry.cursor() as cr:
            cr.execute("; ".join(statements), params)
            return cr.fetchone() is not None
