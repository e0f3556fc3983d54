# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""19.0.1.2.0: scopes remember that they were given an allowlist
(``restrict_fields``, docs/decisions.md D-S34); the scopes that have allowed
fields today are such scopes."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("""
        UPDATE rest_gateway_key_scope s
           SET restrict_fields = TRUE
         WHERE EXISTS (SELECT 1 FROM rest_gateway_scope_allowed_field_rel r WHERE r.scope_id = s.id)
    """)
