"""Python's Postgres drivers against the Postgres wire: psycopg 3, psycopg2 (with pandas), asyncpg and
SQLAlchemy's inspector. Each test runs what the driver itself sends on connect and on use."""

import asyncio
import datetime
import io

import asyncpg
import pandas
import psycopg
import psycopg2
import pytest
import sqlalchemy


@pytest.fixture
def dsn(hangar):
    return f"host=127.0.0.1 port={hangar['pg_port']} user=hangar dbname=hangar"


def test_psycopg_text_and_binary_parameters(dsn):
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT n_name, n_nationkey FROM nation WHERE n_nationkey < %s ORDER BY 2", (3,)
        ).fetchall()
        assert rows == [("ALGERIA", 0), ("ARGENTINA", 1), ("BRAZIL", 2)]
        binary = conn.cursor(binary=True).execute(
            "SELECT n_nationkey, 1.5::double precision, DATE '2024-01-02' FROM nation WHERE n_name = %s",
            ("BRAZIL",),
        )
        assert binary.fetchall() == [(2, 1.5, datetime.date(2024, 1, 2))]


def test_psycopg_decodes_json_and_jsonb(dsn):
    # psycopg decodes a column by the type the server describes: json and jsonb become Python
    # objects, in text and in binary format (jsonb's binary form starts with a version byte).
    query = """
        SELECT jsonb_build_object('region', r_name, 'key', r_regionkey) AS doc,
               to_json(ARRAY[r_regionkey, 2]) AS arr,
               '{"a": {"b": [1, 2]}}'::jsonb #> '{a,b}' AS path
        FROM region WHERE r_regionkey = %s
    """
    with psycopg.connect(dsn) as conn:
        for binary in (False, True):
            row = conn.cursor(binary=binary).execute(query, (1,)).fetchone()
            assert row == ({"region": "AMERICA", "key": 1}, [1, 2], [1, 2]), binary
        agg = conn.execute(
            "SELECT jsonb_object_agg(r_name, r_regionkey) FROM region WHERE r_regionkey < 2"
        ).fetchone()
        assert agg == ({"AFRICA": 0, "AMERICA": 1},)
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):
            conn.execute("SELECT '{a:1}'::jsonb")


def test_psycopg_nested_transactions_and_type_lookup(dsn):
    # conn.transaction() inside a transaction sends SAVEPOINT / RELEASE SAVEPOINT.
    with psycopg.connect(dsn) as conn:
        with conn.transaction():
            with conn.transaction():
                assert conn.execute("SELECT count(*) FROM region").fetchone() == (5,)
        # TypeInfo.fetch runs a catalog query with to_regtype().
        info = psycopg.types.TypeInfo.fetch(conn, "integer")
        assert (info.name, info.oid) == ("int4", 23)
        assert psycopg.types.TypeInfo.fetch(conn, "no_such_type") is None
        assert conn.execute("SHOW TRANSACTION ISOLATION LEVEL").fetchone() == ("read committed",)


def test_psycopg_named_cursors_and_copy(dsn):
    with psycopg.connect(dsn) as conn:
        # A named cursor: DECLARE with the parameter bound, Describe of the cursor, FETCH FORWARD n.
        with conn.cursor(name="by_region") as cur:
            cur.itersize = 2
            cur.execute("SELECT n_nationkey, n_name FROM nation WHERE n_regionkey = %s ORDER BY 1", (1,))
            assert [c.name for c in cur.description] == ["n_nationkey", "n_name"]
            assert cur.fetchone() == (1, "ARGENTINA")
            assert cur.fetchmany(2) == [(2, "BRAZIL"), (3, "CANADA")]
            assert [row[0] for row in cur] == [17, 24]
        # WITH HOLD survives the commit; rows arrive in binary.
        with conn.cursor(name="held", withhold=True, binary=True) as cur:
            cur.execute("SELECT r_regionkey, r_name FROM region ORDER BY 1")
            conn.commit()
            assert cur.fetchall()[-1] == (4, "MIDDLE EAST")
        with conn.cursor() as cur:
            with cur.copy("COPY (SELECT n_nationkey, n_name FROM nation ORDER BY 1 LIMIT 2) TO STDOUT") as copy:
                assert list(copy.rows()) == [("0", "ALGERIA"), ("1", "ARGENTINA")]
            with cur.copy("COPY (SELECT r_regionkey, r_name FROM region ORDER BY 1) TO STDOUT (FORMAT binary)") as copy:
                copy.set_types(["int8", "text"])
                assert list(copy.rows())[:2] == [(0, "AFRICA"), (1, "AMERICA")]


def test_psycopg2_and_pandas(dsn):
    conn = psycopg2.connect(dsn)
    try:
        cur = conn.cursor()
        cur.execute("SELECT n_name FROM nation WHERE n_nationkey = %s", (1,))
        assert cur.fetchall() == [("ARGENTINA",)]
        frame = pandas.read_sql("SELECT n_nationkey, n_name FROM nation ORDER BY 1", conn)
        assert frame.shape == (25, 2)
        assert frame["n_name"].iloc[0] == "ALGERIA"
    finally:
        conn.close()


def test_asyncpg_prepared_statements(hangar):
    async def run():
        conn = await asyncpg.connect(
            host="127.0.0.1", port=hangar["pg_port"], user="hangar", database="hangar"
        )
        try:
            statement = await conn.prepare(
                "SELECT n_name FROM nation WHERE n_nationkey < $1 ORDER BY n_nationkey"
            )
            names = [r["n_name"] for r in await statement.fetch(3)]
            # A parameter typed only by its cast is encoded with the cast's type, as in Postgres.
            cast = await conn.fetchrow("SELECT $1::int + 1 AS x, $2::date AS d", 41, datetime.date(2020, 1, 2))
            # A codec for a named type makes asyncpg introspect it (pg_type joined with pg_namespace).
            await conn.set_type_codec("numeric", schema="pg_catalog", encoder=str, decoder=str, format="text")
            price = await conn.fetchval("SELECT o_totalprice FROM orders ORDER BY o_orderkey LIMIT 1")
            csv = io.BytesIO()
            await conn.copy_from_query("SELECT r_name FROM region ORDER BY 1", output=csv, format="csv", header=True)
            return names, cast, price, csv.getvalue().decode()
        finally:
            await conn.close()

    names, cast, price, csv = asyncio.run(run())
    assert names == ["ALGERIA", "ARGENTINA", "BRAZIL"]
    assert (cast["x"], cast["d"]) == (42, datetime.date(2020, 1, 2))
    assert isinstance(price, str) and float(price) > 0, price
    assert csv.splitlines() == ["r_name", "AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"]


def test_sqlalchemy_inspects_columns_keys_and_indexes(hangar):
    engine = sqlalchemy.create_engine(f"postgresql+psycopg://hangar@127.0.0.1:{hangar['pg_port']}/hangar")
    try:
        inspector = sqlalchemy.inspect(engine)
        columns = inspector.get_columns("nation")
        assert [(c["name"], str(c["type"]), c["nullable"], c["default"]) for c in columns] == [
            ("n_nationkey", "BIGINT", False, None),
            ("n_name", "TEXT", False, None),
            ("n_regionkey", "BIGINT", False, None),
            ("n_comment", "TEXT", False, None),
        ]
        assert [c["name"] for c in inspector.get_columns("refreshes", schema="hangar")][:3] == ["view", "version", "trigger"]
        # A decimal column keeps its precision and scale (read from atttypmod by format_type).
        price = next(c for c in inspector.get_columns("orders") if c["name"] == "o_totalprice")
        assert str(price["type"]) == "NUMERIC(15, 2)"
        # Hangar's tables have no keys, indexes or constraints; the inspector must say so, not fail.
        assert inspector.get_pk_constraint("nation")["constrained_columns"] == []
        assert inspector.get_foreign_keys("nation") == []
        assert inspector.get_indexes("nation") == []
        assert inspector.get_unique_constraints("nation") == []
        assert inspector.get_check_constraints("nation") == []
        assert inspector.get_table_comment("nation") == {"text": None}
        # Reflection builds a Table from all of it, as Superset and pandas do.
        table = sqlalchemy.Table("region", sqlalchemy.MetaData(), autoload_with=engine)
        assert [c.name for c in table.columns] == ["r_regionkey", "r_name", "r_comment"]
        with engine.connect() as conn:
            rows = conn.execute(sqlalchemy.select(table.c.r_name).order_by(table.c.r_regionkey).limit(2)).all()
        assert [r[0] for r in rows] == ["AFRICA", "AMERICA"]
    finally:
        engine.dispose()


def test_sqlalchemy_lists_schemas_and_tables(hangar):
    engine = sqlalchemy.create_engine(f"postgresql+psycopg://hangar@127.0.0.1:{hangar['pg_port']}/hangar")
    try:
        inspector = sqlalchemy.inspect(engine)
        # The schema filter sends NOT LIKE … ESCAPE '/'; as against Postgres, it keeps
        # information_schema.
        assert inspector.get_schema_names() == ["hangar", "information_schema", "public"]
        assert "lineitem" in inspector.get_table_names()
        with engine.connect() as conn:
            assert conn.execute(sqlalchemy.text("SELECT count(*) FROM nation")).scalar() == 25
            conn.execute(sqlalchemy.text("CREATE MATERIALIZED VIEW py_regions AS SELECT r_name FROM region"))
        try:
            # The system view hangar.refreshes is not in the search path, so not a view of public.
            inspector = sqlalchemy.inspect(engine)
            assert inspector.get_view_names() == []
            assert inspector.get_view_names(schema="hangar") == ["refreshes"]
            assert inspector.get_materialized_view_names() == ["py_regions"]
            assert inspector.get_view_definition("py_regions") == "SELECT r_name FROM region"
            # Superset and pandas read columns, keys and indexes through the same inspector.
            assert [(c["name"], type(c["type"]).__name__, c["nullable"]) for c in inspector.get_columns("py_regions")] == [
                ("r_name", "TEXT", False)
            ]
        finally:
            with engine.connect() as conn:
                conn.execute(sqlalchemy.text("DROP MATERIALIZED VIEW py_regions"))
    finally:
        engine.dispose()
