# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Languages: the sidecar caches the installed ones (``?lang=``, ``Accept-Language``)."""

from odoo import models


class ResLang(models.Model):
    _name = "res.lang"
    _inherit = ["res.lang", "rest.gateway.config.notify"]
