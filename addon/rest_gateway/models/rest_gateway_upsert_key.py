# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One row per upsert key ever used: the lock that serializes upserts of a key.

Odoo's transactions are REPEATABLE READ: an advisory lock alone would let a
transaction that waited for it look up with a snapshot taken before the
holder committed, and create a duplicate. Upserting this row instead
(``INSERT … ON CONFLICT DO UPDATE``) both waits for the holder and, when the
holder committed after our snapshot, fails with a serialization error (kind
``concurrency``) that the sidecar retries in a fresh transaction
(docs/decisions.md D-B3).
"""

import hashlib

from odoo import api, fields, models
from odoo.tools import SQL


class RestGatewayUpsertKey(models.Model):
    _name = "rest.gateway.upsert.key"
    _description = "REST Gateway Upsert Key"
    _log_access = False

    key_hash = fields.Char(required=True, readonly=True, help="SHA-256 of model, kind and key.")

    _key_hash_unique = models.Constraint("UNIQUE (key_hash)", "An upsert key is recorded once.")

    @api.model
    def _lock_key(self, model_name, kind, key):
        """Take the row lock of (model, kind, key) for this transaction.

        Raises ``SerializationFailure`` when another transaction upserted the
        same key and committed after this transaction's snapshot.
        """
        digest = hashlib.sha256(f"{model_name}\x1f{kind}\x1f{key}".encode()).hexdigest()
        # raw SQL: the ORM has no ON CONFLICT; the row is bookkeeping, not data
        self.env.cr.execute(SQL(
            """INSERT INTO rest_gateway_upsert_key (key_hash) VALUES (%s)
               ON CONFLICT (key_hash) DO UPDATE SET key_hash = EXCLUDED.key_hash""",
            digest,
        ))
