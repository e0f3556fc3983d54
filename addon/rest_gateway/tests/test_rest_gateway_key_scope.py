# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Key scopes: field pickers, allowed/blocked exclusivity, uniqueness, ownership."""

import json

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RestGatewayCase


@tagged("post_install", "-at_install")
class TestRestGatewayKeyScope(RestGatewayCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.exposed = cls._make_exposed_model("res.partner", allow_create=True)
        cls.user = cls._make_user("rgw_scope_user", groups=("rest_gateway.group_user",))
        cls.key = cls._make_key(cls.user, scopes=[{"exposed_model_id": cls.exposed.id}])
        cls.scope = cls.key.scope_ids
        cls.field_name = cls.env["ir.model.fields"]._get("res.partner", "name")
        cls.field_email = cls.env["ir.model.fields"]._get("res.partner", "email")
        cls.field_country_code = cls.env["ir.model.fields"]._get("res.country", "code")

    def test_relation_tables(self):
        self.scope.write({"allowed_field_ids": [Command.set(self.field_name.ids)],
                          "blocked_field_ids": [Command.set(self.field_email.ids)]})
        self.env.flush_all()
        self.env.cr.execute("SELECT field_id FROM rest_gateway_scope_allowed_field_rel WHERE scope_id = %s",
                            [self.scope.id])
        self.assertEqual(self.env.cr.fetchall(), [(self.field_name.id,)])
        self.env.cr.execute("SELECT field_id FROM rest_gateway_scope_blocked_field_rel WHERE scope_id = %s",
                            [self.scope.id])
        self.assertEqual(self.env.cr.fetchall(), [(self.field_email.id,)])

    def test_defaults_and_related(self):
        self.assertEqual(self.scope.model, "res.partner")
        self.assertEqual(self.scope.model_id.model, "res.partner")
        self.assertTrue(self.scope.allow_read)
        self.assertFalse(self.scope.allow_create)
        self.assertEqual(self.scope.domain_json, "[]")

    def test_field_allowed_and_blocked(self):
        with self.assertRaises(ValidationError):
            self.scope.write({"allowed_field_ids": [Command.set(self.field_name.ids)],
                              "blocked_field_ids": [Command.set(self.field_name.ids)]})

    def test_field_of_another_model(self):
        with self.assertRaises(ValidationError):
            self.scope.allowed_field_ids = self.field_country_code

    def test_field_picker_domain(self):
        field = self.env["rest.gateway.key.scope"]._fields["allowed_field_ids"]
        self.assertEqual(field.domain, "[('model_id', '=', model_id)]")

    def test_domain(self):
        self.scope.domain = "[('is_company', '=', False)]"
        self.assertEqual(json.loads(self.scope.domain_json), [["is_company", "=", False]])
        with self.assertRaises(ValidationError):
            self.scope.domain = "[('no_such_field', '=', 1)]"

    def test_superuser_operators_refused(self):
        """any! / not any! search as the superuser: no scope domain may hold them, whoever writes it."""
        manager = self._make_user("rgw_scope_manager", groups=("rest_gateway.group_manager",))
        for domain in ("[('user_ids', 'any!', [('login', '=like', 'a%')])]",
                       "['|', ('id', '=', 1), ('child_ids', 'not any!', [])]"):
            for writer in (self.user, manager):
                with self.subTest(domain=domain, writer=writer.login), self.assertRaises(ValidationError):
                    self.scope.with_user(writer).domain = domain

    def test_unique_per_key_and_model(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["rest.gateway.key.scope"].create({"key_id": self.key.id, "exposed_model_id": self.exposed.id})
            self.env.flush_all()

    def test_user_manages_own_scopes_only(self):
        other = self._make_user("rgw_scope_other", groups=("rest_gateway.group_user",))
        other_key = self._make_key(other, scopes=[{"exposed_model_id": self.exposed.id}])
        Scope = self.env["rest.gateway.key.scope"].with_user(self.user)
        self.assertEqual(Scope.search([]), self.scope)
        self.scope.with_user(self.user).allow_create = True
        with self.assertRaises(AccessError):
            other_key.scope_ids.with_user(self.user).allow_create = True
        with self.assertRaises(AccessError):
            self.scope.with_user(self.user).unlink()
        exposed_country = self._make_exposed_model("res.country")
        with self.assertRaises(UserError):  # record rule or constraint, whichever comes first
            Scope.create({"key_id": other_key.id, "exposed_model_id": exposed_country.id})
        with self.assertRaises(ValidationError):
            self.scope.with_user(self.user).key_id = other_key
        Scope.create({"key_id": self.key.id, "exposed_model_id": exposed_country.id})
        self.assertEqual(len(self.key.scope_ids), 2)

    def test_user_reads_field_names(self):
        self.scope.allowed_field_ids = self.field_name
        scope = self.scope.with_user(self.user)
        self.assertEqual(scope.allowed_field_ids.mapped("name"), ["name"])
        self.assertEqual(scope.exposed_model_id.model_id.model, "res.partner")
