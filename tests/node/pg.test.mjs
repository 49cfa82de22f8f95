// node-postgres against a running Hangar: queries, parameters, types, and a cursor (pg-cursor reads
// through an unnamed portal in blocks). PGHOST/PGPORT name the server; run with `node --test`.
import assert from "node:assert/strict";
import { test } from "node:test";

import pg from "pg";
import Cursor from "pg-cursor";

const connect = async () => {
  const client = new pg.Client({ user: "hangar", database: "hangar" });
  await client.connect();
  return client;
};

test("queries with parameters return typed rows", async () => {
  const client = await connect();
  try {
    const { rows, fields } = await client.query(
      "SELECT n_nationkey, n_name FROM nation WHERE n_regionkey = $1 ORDER BY 1",
      [1],
    );
    assert.deepEqual(fields.map((f) => f.name), ["n_nationkey", "n_name"]);
    // int8 arrives as a string (node-postgres's default for 64-bit integers).
    assert.deepEqual(rows[0], { n_nationkey: "1", n_name: "ARGENTINA" });
    assert.equal(rows.length, 5);

    const typed = await client.query(
      "SELECT 42::int AS i, 1.5::double precision AS f, true AS b, DATE '2024-02-29' AS d, " +
        "TIMESTAMP '2024-01-02 03:04:05' AS ts, NULL::text AS n, l_quantity AS q " +
        "FROM lineitem WHERE l_orderkey = 1 AND l_linenumber = 1",
    );
    const row = typed.rows[0];
    assert.equal(row.i, 42);
    assert.equal(row.f, 1.5);
    assert.equal(row.b, true);
    assert.ok(row.d instanceof Date);
    assert.equal(row.ts.getFullYear(), 2024);
    assert.equal(row.n, null);
    assert.equal(row.q, "17.00");
  } finally {
    await client.end();
  }
});

test("prepared statements by name run again with new parameters", async () => {
  const client = await connect();
  try {
    const named = (key) => ({
      name: "nation_by_key",
      text: "SELECT n_name FROM nation WHERE n_nationkey = $1",
      values: [key],
    });
    assert.equal((await client.query(named(0))).rows[0].n_name, "ALGERIA");
    assert.equal((await client.query(named(2))).rows[0].n_name, "BRAZIL");
  } finally {
    await client.end();
  }
});

test("a cursor reads a result in blocks", async () => {
  const client = await connect();
  try {
    const cursor = client.query(new Cursor("SELECT n_nationkey FROM nation ORDER BY 1"));
    const read = (n) => new Promise((ok, fail) => cursor.read(n, (e, rows) => (e ? fail(e) : ok(rows))));
    assert.equal((await read(10)).length, 10);
    assert.equal((await read(10)).length, 10);
    assert.equal((await read(10)).length, 5);
    assert.equal((await read(10)).length, 0);
    await new Promise((ok) => cursor.close(ok));
  } finally {
    await client.end();
  }
});

test("errors carry their SQLSTATE and leave the connection usable", async () => {
  const client = await connect();
  try {
    await assert.rejects(client.query("SELECT * FROM no_such_table"), { code: "42P01" });
    assert.equal((await client.query("SELECT 1::int AS one")).rows[0].one, 1);
  } finally {
    await client.end();
  }
});
