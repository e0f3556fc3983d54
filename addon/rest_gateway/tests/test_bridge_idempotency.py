# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The bridge's idempotency claim: locked, checked and recorded in the write's transaction."""

import hashlib
import json

from .common import RestGatewayCase


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


class TestBridgeIdempotency(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Bridge = cls.env["rest.gateway.bridge"]
        cls.admin = cls.env.ref("base.user_admin")

    def _claim(self, key, state="in_progress", attempt=1):
        """A claim row as the sidecar inserts it; returns the bridge's ``idempotency`` object."""
        digest = _digest(key)
        self.env.cr.execute(
            """
            INSERT INTO rest_gateway_idempotency
                   (scope, key, request_digest, state, attempt, created_at, expires_at, lease_expires_at)
            VALUES ('api_key:1', %s, %s, %s, %s, now() AT TIME ZONE 'UTC',
                    now() AT TIME ZONE 'UTC' + interval '1 day', now() AT TIME ZONE 'UTC' + interval '1 minute')
            RETURNING id
            """,
            [key, digest, state, attempt],
        )
        return {"id": self.env.cr.fetchone()[0], "attempt": attempt, "digest": digest,
                "call_digest": _digest(f"call {key}")}

    def _row(self, claim):
        self.env.cr.execute(
            "SELECT state, bridge_result, call_digest FROM rest_gateway_idempotency WHERE id = %s",
            [claim["id"]],
        )
        return self.env.cr.dictfetchone()

    def _create(self, name, claim, readonly=False, **operation):
        return self.Bridge._dispatch({
            "uid": self.admin.id, "idempotency": claim,
            "operations": [{"model": "res.partner", "method": "create", "args": [{"name": name}], **operation}],
        }, readonly=readonly)

    def _count(self, name):
        return self.env["res.partner"].search_count([("name", "=", name)])

    def test_records_the_answer_with_the_write(self):
        claim = self._claim("rgw-idem-ok")
        result = self._create("RGW idem ok", claim)
        self.assertEqual(len(result["results"][0]), 1)
        row = self._row(claim)
        self.assertEqual(row["state"], "committed")
        self.assertEqual(json.loads(row["bridge_result"]), result)
        self.assertEqual(row["call_digest"], claim["call_digest"])
        self.assertEqual(self._count("RGW idem ok"), 1)

    def test_a_stale_or_finished_claim_runs_nothing(self):
        taken_over = self._claim("rgw-idem-fenced", attempt=2)
        result = self._create("RGW idem fenced", {**taken_over, "attempt": 1})
        self.assertEqual(result["error"]["kind"], "idempotency")
        committed = self._claim("rgw-idem-done", state="committed")
        self.assertEqual(self._create("RGW idem fenced", committed)["error"]["kind"], "idempotency")
        wrong_digest = self._claim("rgw-idem-digest")
        result = self._create("RGW idem fenced", {**wrong_digest, "digest": _digest("another request")})
        self.assertEqual(result["error"]["kind"], "idempotency")
        self.assertEqual(self._count("RGW idem fenced"), 0)
        self.assertEqual(self._row(taken_over)["state"], "in_progress", "the new attempt's claim is left alone")

    def test_an_atomic_failure_records_nothing(self):
        claim = self._claim("rgw-idem-fail")
        result = self._create("RGW idem fail", claim, guard=[["id", "=", 0]])
        self.assertEqual(result["error"]["kind"], "access")
        row = self._row(claim)
        self.assertEqual((row["state"], row["bridge_result"]), ("in_progress", None))
        self.assertEqual(self._count("RGW idem fail"), 0)

    def test_a_partial_call_is_recorded(self):
        claim = self._claim("rgw-idem-partial")
        result = self.Bridge._dispatch({
            "uid": self.admin.id, "idempotency": claim, "atomic": False,
            "operations": [{"model": "res.partner", "method": "create", "args": [{"name": "RGW idem partial"}]},
                           # a refusal Odoo answers (a missing record), not a programming error
                           {"model": "res.partner", "method": "write", "ids": [2**31 - 1], "args": [{"name": "x"}]}],
        })
        self.assertIn("result", result["results"][0])
        self.assertIn("error", result["results"][1])
        self.assertEqual(json.loads(self._row(claim)["bridge_result"]), result)

    def test_malformed_or_read_only_claims_are_bad_requests(self):
        claim = self._claim("rgw-idem-bad")
        for bad in ({**claim, "attempt": "1"}, {**claim, "digest": "x"}, {"id": claim["id"]}, [claim]):
            self.assertEqual(self._create("RGW idem bad", bad)["error"]["kind"], "bad_request", bad)
        read = self.Bridge._dispatch({
            "uid": self.admin.id, "idempotency": claim,
            "operations": [{"model": "res.partner", "method": "search_count", "args": [[]]}],
        }, readonly=True)
        self.assertEqual(read["error"]["kind"], "bad_request")
        self.assertEqual(self._row(claim)["state"], "in_progress")
