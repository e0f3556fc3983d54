# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the API tells a user about themselves (``GET /api/v1/user/me``),
the REST Gateway Manager check that guards the admin token API, and the
end of a user's API sessions when their password changes.

The first two run through the bridge as the user, so they read Odoo's live
state: a user removed from a group loses that access on their next request.
"""

from odoo import _, api, fields, models

from ..controllers.bridge_errors import GatewayAccessError

# groups worth telling an API client about (those that change what it may do)
ME_GROUPS = (
    "base.group_user",
    "base.group_portal",
    "base.group_system",
    "base.group_erp_manager",
    "base.group_multi_company",
    "base.group_partner_manager",
    "rest_gateway.group_user",
    "rest_gateway.group_manager",
)


class ResUsers(models.Model):
    _inherit = "res.users"

    def _set_password(self):
        super()._set_password()
        self._revoke_rest_gateway_tokens(self.env.context.get("rest_gateway_keep_token_id"))

    def _revoke_rest_gateway_tokens(self, keep_token_id=None):
        """Revoke the users' live API sessions and OAuth tokens: their password changed.

        Every way of setting a password ends in ``_set_password`` (the
        backend, ``change_password``, a reset link, ``new_password``), so
        none of them leaves an old session working (docs/decisions.md D-S32).
        ``keep_token_id`` is the session the change was made with
        (``POST /auth/password``), which stays. Answers how many were revoked.
        """
        now = fields.Datetime.now()
        domain = [("user_id", "in", self.ids), ("revoked_at", "=", False), ("expires_at", ">", now)]
        if keep_token_id:
            domain.append(("id", "!=", keep_token_id))
        # sudo: the tokens are the gateway's bookkeeping, written by the sidecar;
        # whoever may set a password may end the sessions it opened
        tokens = self.env["rest.gateway.token"].sudo().search(domain)
        tokens.write({"revoked_at": now})
        return len(tokens)

    def unlink(self):
        # the request log has no foreign keys (docs/decisions.md D-L2)
        self.env["rest.gateway.request.log"].sudo()._forget_references("user_id", self.ids)
        return super().unlink()

    @api.model
    def rest_gateway_me(self):
        """The acting user's profile for the API."""
        user = self.env.user
        return {
            "id": user.id,
            "name": user.name,
            "login": user.login,
            "email": user.email or None,
            "lang": user.lang or None,
            "tz": user.tz or None,
            "company": {"id": user.company_id.id, "name": user.company_id.name},
            "companies": [{"id": company.id, "name": company.name} for company in user.company_ids],
            "groups": [xmlid for xmlid in self._get_rest_gateway_me_groups() if user.has_group(xmlid)],
            "two_factor": bool(user._mfa_type()),
        }

    @api.model
    def _get_rest_gateway_me_groups(self):
        """Group xmlids ``rest_gateway_me`` reports when the user has them (hook)."""
        return ME_GROUPS

    @api.model
    def rest_gateway_check_manager(self):
        """Raise ``AccessError`` unless the acting user is a REST Gateway Manager."""
        if not self.env.user.has_group("rest_gateway.group_manager"):
            raise GatewayAccessError(_("Only REST Gateway managers may manage credentials through the API."))
        return True
