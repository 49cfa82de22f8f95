"""pgcli, node-postgres and pgjdbc against the Postgres wire. pgcli is driven through its own
executor (what its completion refresher calls on start); node-postgres and pgjdbc run their test
programs (tests/node, tests/java) against the fixture's server. `.ci/run` installs all three."""

import os
import subprocess
from pathlib import Path

import pytest
from pgcli.completion_refresher import CompletionRefresher
from pgcli.pgcompleter import PGCompleter
from pgcli.pgexecute import PGExecute
from prompt_toolkit.document import Document

REPO = Path(__file__).resolve().parents[2]
PGJDBC = Path("/usr/share/java/postgresql.jar")


def test_pgcli_loads_completion_metadata_and_queries(hangar):
    executor = PGExecute("hangar", "hangar", None, "127.0.0.1", hangar["pg_port"], None)
    try:
        assert {"public", "pg_catalog"} <= set(executor.schemata())
        tables = set(executor.tables())
        assert ("public", "lineitem") in tables
        assert ("hangar", "refreshes") in set(executor.views())
        columns = {(schema, table, column) for schema, table, column, *_ in executor.table_columns()}
        assert ("public", "nation", "n_name") in columns
        assert list(executor.datatypes()) == []
        assert "hangar" in executor.databases()
        functions = {(f.func_name, f.arg_types, f.return_type) for f in executor.functions()}
        assert ("abs", ("bigint",), "bigint") in functions
        assert ("length", ("text",), "integer") in functions

        # What pgcli does on start: every refresher fills its completer, which then completes.
        completer = PGCompleter(smart_completion=True)
        for refresh in CompletionRefresher.refreshers.values():
            refresh(completer, executor)

        def completions(text):
            document = Document(text=text, cursor_position=len(text))
            return [c.text for c in completer.get_completions(document, None)]

        assert "nation" in completions("SELECT * FROM nat")
        assert completions("SELECT * FROM lineitem WHERE l_ship")[:3] == ["l_shipdate", "l_shipinstruct", "l_shipmode"]
        assert '"abs"()' in completions("SELECT pg_catalog.ab")

        [(title, rows, headers, status, *_)] = list(executor.run("SELECT n_name FROM nation WHERE n_nationkey = 3"))
        assert headers == ["n_name"] and list(rows) == [("CANADA",)]
    finally:
        executor.conn.close()


def test_node_postgres(hangar):
    node = REPO / "tests" / "node"
    if not (node / "node_modules" / "pg").exists():
        pytest.fail("node-postgres is not installed: run `npm install` in tests/node (.ci/run does)")
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(hangar["pg_port"])}
    result = subprocess.run(
        ["node", "--test", "pg.test.mjs"], cwd=node, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pgjdbc(hangar):
    if not PGJDBC.exists():
        pytest.fail("pgjdbc is not installed: Debian's libpostgresql-jdbc-java (.ci/run installs it)")
    result = subprocess.run(
        ["java", "-cp", str(PGJDBC), str(REPO / "tests" / "java" / "PgJdbcCheck.java"), str(hangar["pg_port"])],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all checks passed" in result.stdout


SUPERSET_PYTHON = Path(os.environ.get("HANGAR_SUPERSET_PYTHON", Path.home() / ".cache/hangar-superset-venv/bin/python"))


def test_superset(hangar, tmp_path):
    """Apache Superset in its own virtual environment (`.ci/run` makes it from
    tests/superset/requirements.txt): a fresh metadata database, then tests/superset/check.py."""
    if not SUPERSET_PYTHON.exists():
        pytest.fail(f"Superset is not installed at {SUPERSET_PYTHON}: see tests/superset/requirements.txt (.ci/run installs it)")
    config = tmp_path / "superset_config.py"
    config.write_text(
        f'SECRET_KEY = "hangar-tests-only-not-a-secret"\n'
        f'SQLALCHEMY_DATABASE_URI = "sqlite:///{tmp_path / "superset.db"}"\n'
        "WTF_CSRF_ENABLED = False\n"
    )
    env = {**os.environ, "SUPERSET_CONFIG_PATH": str(config), "FLASK_APP": "superset"}
    superset = [str(SUPERSET_PYTHON.parent / "superset")]
    for command in (
        ["db", "upgrade"],
        ["fab", "create-admin", "--username", "admin", "--password", "admin",
         "--firstname", "a", "--lastname", "b", "--email", "admin@example.com"],
        ["init"],
    ):
        done = subprocess.run(superset + command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"superset {' '.join(command)}:\n{done.stderr[-3000:]}"
    check = REPO / "tests" / "superset" / "check.py"
    done = subprocess.run(
        [str(SUPERSET_PYTHON), str(check), str(hangar["pg_port"])], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and "superset: ok" in done.stdout, done.stderr[-5000:]
