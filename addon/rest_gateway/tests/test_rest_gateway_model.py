# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Exposed models: domain validation, its JSON form, page sizes, uniqueness."""

import json

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RestGatewayCase


@tagged("post_install", "-at_install")
class TestRestGatewayModel(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.exposed = cls._make_exposed_model("res.partner")

    def test_defaults(self):
        self.assertEqual(self.exposed.model, "res.partner")
        self.assertTrue(self.exposed.allow_read)
        self.assertFalse(self.exposed.allow_create or self.exposed.allow_update or self.exposed.allow_delete
                         or self.exposed.allow_archive or self.exposed.allow_restore)
        self.assertEqual((self.exposed.default_page_size, self.exposed.max_page_size), (20, 200))
        self.assertEqual(self.exposed.domain_json, "[]")
        self.assertEqual(self.exposed.display_name, "Contact")

    def test_domain_json(self):
        self.exposed.domain = "[('name', 'ilike', 'a'), '|', ('is_company', '=', True), ('id', 'in', (1, 2))]"
        self.assertEqual(
            json.loads(self.exposed.domain_json),
            [["name", "ilike", "a"], "|", ["is_company", "=", True], ["id", "in", [1, 2]]],
        )
        self.exposed.domain = "[('parent_id.country_id.code', '=', 'BE')]"
        self.assertEqual(self.exposed.domain_json, '[["parent_id.country_id.code", "=", "BE"]]')
        self.exposed.domain = False
        self.assertEqual(self.exposed.domain_json, "[]")

    def test_invalid_domains(self):
        for domain in (
            "[('no_such_field', '=', 1)]",
            "[('name', 'bogus-operator', 1)]",
            "[('user_id', '=', uid)]",
            "[('create_date', '>', context_today())]",
            "{'name': 'a'}",
            "not a domain",
            "[('name', '=', 'a')",
            "['&', ('name', '=', 'a')]",
            "[('name', '=', object())]",
        ):
            with self.subTest(domain=domain), self.assertRaises(ValidationError):
                self.exposed.domain = domain
                self.exposed.flush_recordset()

    def test_domain_checked_against_new_model(self):
        self.exposed.domain = "[('is_company', '=', True)]"
        with self.assertRaises(ValidationError):
            self.exposed.model_id = self.env["ir.model"]._get("res.country")

    def test_page_sizes(self):
        for values in (
            {"default_page_size": 0},
            {"default_page_size": 300},
            {"max_page_size": 10001},
            {"default_page_size": 50, "max_page_size": 40},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.exposed.write(values)
        self.exposed.write({"default_page_size": 10000, "max_page_size": 10000})

    def test_model_unique(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._make_exposed_model("res.partner")

    def test_access(self):
        user = self._make_user("rgw_model_user", groups=("rest_gateway.group_user",))
        self.assertEqual(self.env["rest.gateway.model"].with_user(user).search([("id", "=", self.exposed.id)]),
                         self.exposed)
        with self.assertRaises(AccessError):
            self.exposed.with_user(user).write({"allow_create": True})
        with self.assertRaises(AccessError):
            self.env["rest.gateway.model"].with_user(user).create(
                {"model_id": self.env["ir.model"]._get_id("res.country")}
            )
        nobody = self._make_user("rgw_model_nobody")
        with self.assertRaises(AccessError):
            self.exposed.with_user(nobody).read(["model"])
