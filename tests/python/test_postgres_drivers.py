"""Python's Postgres drivers against the Postgres wire: psycopg 3, psycopg2 (with pandas), asyncpg and
SQLAlchemy's inspector. Each test runs what the driver itself sends on connect and on use."""

import asyncio
import datetime

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
            return names, cast
        finally:
            await conn.close()

    names, cast = asyncio.run(run())
    assert names == ["ALGERIA", "ARGENTINA", "BRAZIL"]
    assert (cast["x"], cast["d"]) == (42, datetime.date(2020, 1, 2))


def test_sqlalchemy_lists_schemas_and_tables(hangar):
    engine = sqlalchemy.create_engine(f"postgresql+psycopg://hangar@127.0.0.1:{hangar['pg_port']}/hangar")
    try:
        inspector = sqlalchemy.inspect(engine)
        # The schema filter sends NOT LIKE … ESCAPE '/'.
        assert inspector.get_schema_names() == ["hangar", "public"]
        assert "lineitem" in inspector.get_table_names()
        with engine.connect() as conn:
            assert conn.execute(sqlalchemy.text("SELECT count(*) FROM nation")).scalar() == 25
    finally:
        engine.dispose()
