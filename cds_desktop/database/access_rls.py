"""PostgreSQL row-level security for the roles of ``database.access`` (created by migration 0007).

The login role is the identity: each policy asks ``cds_may(current_user, <commune of the row>,
<writing>)``, which reads ``user_roles`` (no roles at all: everyone may).  The commune of a row
comes from its own ``commune_id`` or, for records under a plan, from small lookup functions.  The
functions are ``SECURITY DEFINER`` (they run as the tables' owner, whom row-level security does not
hold: ENABLE without FORCE), so a lookup sees the plan even where the policy will then refuse it.
The owner of the tables (who runs the migrations) and superusers are administrators.
"""

from __future__ import annotations

# table -> SQL giving the commune that owns a row (NULL: shared)
COMMUNE_OF: dict[str, str] = {
    "communes": "id",
    "plans": "commune_id",
    "units": "commune_id",
    "reporting_calendars": "commune_id",
    "groups": "cds_plan_commune(plan_id)",
    "items": "cds_plan_commune(plan_id)",
    "reporting_periods": "cds_plan_commune(plan_id)",
    "saved_filters": "cds_plan_commune(plan_id)",
    "assignments": "cds_item_commune(item_id)",
    "item_tracking": "cds_item_commune(item_id)",
    "report_requirements": "cds_item_commune(item_id)",
    "task_progress": "cds_item_commune(item_id)",
    "indicator_values": "cds_item_commune(item_id)",
    "village_checks": "cds_item_commune(item_id)",
    "period_locks": "cds_period_commune(period_id)",
    "unit_aliases": "cds_unit_commune(unit_id)",
}

_FUNCTION = ("CREATE OR REPLACE FUNCTION {name}(integer) RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER "
             "SET search_path FROM CURRENT AS $$ {body} $$")
_LOOKUPS = {
    "cds_plan_commune": "SELECT commune_id FROM plans WHERE id = $1",
    "cds_item_commune": "SELECT p.commune_id FROM items i JOIN plans p ON p.id = i.plan_id WHERE i.id = $1",
    "cds_period_commune": "SELECT p.commune_id FROM reporting_periods r JOIN plans p ON p.id = r.plan_id "
                          "WHERE r.id = $1",
    "cds_unit_commune": "SELECT commune_id FROM units WHERE id = $1",
}
_MAY = """CREATE OR REPLACE FUNCTION cds_may(login text, commune integer, writing boolean) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT NOT EXISTS (SELECT 1 FROM user_roles)
      OR EXISTS (SELECT 1 FROM user_roles r WHERE r.login = $1 AND (
             r.role = 'admin'
          OR (r.role = 'reader' AND NOT $3)
          OR (r.role = 'commune' AND ($2 IS NULL OR r.commune_id = $2))))
$$"""


def enable_sql() -> list[str]:
    statements = [_FUNCTION.format(name=name, body=body) for name, body in _LOOKUPS.items()]
    statements.append(_MAY)
    for table, commune in COMMUNE_OF.items():
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"CREATE POLICY cds_read ON {table} FOR SELECT USING (cds_may(current_user::text, {commune}, false))",
            f"CREATE POLICY cds_write ON {table} FOR ALL USING (cds_may(current_user::text, {commune}, true)) "
            f"WITH CHECK (cds_may(current_user::text, {commune}, true))",
        ]
    return statements


def disable_sql() -> list[str]:
    statements: list[str] = []
    for table in COMMUNE_OF:
        statements += [f"DROP POLICY IF EXISTS cds_read ON {table}", f"DROP POLICY IF EXISTS cds_write ON {table}",
                       f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"]
    statements.append("DROP FUNCTION IF EXISTS cds_may(text, integer, boolean)")
    statements += [f"DROP FUNCTION IF EXISTS {name}(integer)" for name in _LOOKUPS]
    return statements


def quote_login(login: str) -> str:
    return '"' + login.replace('"', '""') + '"'


def grant_sql(login: str, role: str, schema: str = "public") -> list[str]:
    """The table privileges a login needs for its role (the policies then limit the rows)."""
    who = quote_login(login)
    if role == "reader":
        return [f"GRANT SELECT ON ALL TABLES IN SCHEMA {quote_login(schema)} TO {who}"]
    return [
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quote_login(schema)} TO {who}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quote_login(schema)} TO {who}",
        *([f"REVOKE INSERT, UPDATE, DELETE ON user_roles FROM {who}"] if role != "admin" else []),
    ]
