# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Rate-limit counters: one row per bucket and fixed one-minute window.

The sidecar owns the rows (sidecar/src/db/rate-counters.ts): each request
runs one atomic ``INSERT … ON CONFLICT (bucket, window_start) DO UPDATE SET
count = count + 1 RETURNING count``, so every sidecar replica shares the same
counters, and deletes the windows that have rolled over. Odoo only declares
the table and shows it to managers (docs/data-model.md, D-L1).
"""

from odoo import fields, models


class RestGatewayRateCounter(models.Model):
    _name = "rest.gateway.rate.counter"
    _description = "REST Gateway Rate Limit Counter"
    _order = "window_start desc"
    # written by the sidecar at a high rate: no create/write bookkeeping
    _log_access = False

    bucket = fields.Char(required=True, readonly=True,
                         help="Who is counted: api_key:12, oauth_client:3, session:5 or ip:203.0.113.7.")
    window_start = fields.Datetime(required=True, readonly=True, index=True,
                                   help="Start (UTC) of the one-minute window counted.")
    count = fields.Integer(required=True, readonly=True, default=0)

    _bucket_window_unique = models.Constraint("UNIQUE (bucket, window_start)",
                                              "One counter per bucket and window.")
