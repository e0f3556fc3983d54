# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the API tells a user about themselves (``GET /api/v1/user/me``) and
the REST Gateway Manager check that guards the admin token API.

Both run through the bridge as the user, so they read Odoo's live state:
a user removed from a group loses that access on their next request.
"""

from odoo import _, api, models
from odoo.exceptions import AccessError

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
            raise AccessError(_("Only REST Gateway managers may manage credentials through the API."))
        return True
