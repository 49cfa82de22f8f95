"""Flight SQL from Python: the ADBC driver (DB-API and get_objects), raw pyarrow.flight, Polars."""

import adbc_driver_flightsql.dbapi as flight_sql
import polars as pl
import pyarrow as pa
import pyarrow.flight as flight
import pytest


@pytest.fixture
def conn(hangar):
    with flight_sql.connect(hangar["flight_uri"]) as conn:
        yield conn


def test_cursor_fetches_arrow(conn):
    with conn.cursor() as cur:
        cur.execute("SELECT n_nationkey, n_name FROM nation WHERE n_regionkey = 1 ORDER BY n_nationkey")
        table = cur.fetch_arrow_table()
    assert table.num_rows == 5
    assert table.schema.field("n_nationkey").type == pa.int64()
    assert table.column("n_name").to_pylist()[0] == "ARGENTINA"


def test_updates_and_errors(conn):
    with conn.cursor() as cur:
        cur.execute("CREATE TABLE py_notes (id BIGINT, body VARCHAR)")
        cur.execute("INSERT INTO py_notes VALUES (1, 'one'), (2, 'two')")
        cur.execute("SELECT count(*) AS n FROM py_notes")
        assert cur.fetchone()[0] == 2
        with pytest.raises(Exception, match="SQLSTATE 42P01"):
            cur.execute("SELECT * FROM no_such_table")


def test_get_objects_and_table_schema(conn):
    objects = conn.adbc_get_objects(depth="tables", catalog_filter="hangar").read_all().to_pylist()
    assert [c["catalog_name"] for c in objects] == ["hangar"]
    schemas = {s["db_schema_name"]: s for s in objects[0]["catalog_db_schemas"]}
    tables = {t["table_name"] for t in schemas["public"]["db_schema_tables"]}
    assert {"lineitem", "orders", "nation"} <= tables
    schema = conn.adbc_get_table_schema("lineitem", db_schema_filter="public")
    assert schema.field("l_orderkey").type == pa.int64()
    assert len(schema) == 16


def test_raw_pyarrow_flight(hangar):
    client = flight.FlightClient(hangar["flight_uri"])
    # A Flight SQL CommandStatementQuery, packed in google.protobuf.Any by hand: field 1 is the query.
    query = b"SELECT r_name FROM region ORDER BY r_name"
    command = b"\x0a" + bytes([len(query)]) + query
    type_url = b"type.googleapis.com/arrow.flight.protocol.sql.CommandStatementQuery"
    any_msg = b"\x0a" + bytes([len(type_url)]) + type_url + b"\x12" + bytes([len(command)]) + command
    info = client.get_flight_info(flight.FlightDescriptor.for_command(any_msg))
    table = client.do_get(info.endpoints[0].ticket).read_all()
    assert table.column("r_name").to_pylist() == ["AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"]


def test_polars_read_database(conn):
    df = pl.read_database("SELECT o_orderpriority, count(*) AS n FROM orders GROUP BY 1 ORDER BY 1", conn)
    assert df.height == 5
    assert df["n"].sum() > 0


def test_basic_credentials_through_adbc(hangar):
    with flight_sql.connect(hangar["flight_uri"], db_kwargs={"username": "analyst", "password": "secret"}) as conn:
        with conn.cursor() as cur:
            cur.execute("SELECT 41 + 1 AS answer")
            assert cur.fetchone()[0] == 42
