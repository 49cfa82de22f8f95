// node-postgres logging in with SCRAM-SHA-256 over TLS, the server's certificate verified against
// the CA in HANGAR_CA. PGHOST/PGPORT/PGUSER/PGPASSWORD name the server and the user; run by
// tests/python/test_security.py with `node --test`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import pg from "pg";

const ssl = { ca: readFileSync(process.env.HANGAR_CA, "utf8"), rejectUnauthorized: true };

test("SCRAM over verified TLS lets the user in", async () => {
  const client = new pg.Client({ database: "hangar", ssl });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT current_user AS u");
    assert.equal(rows[0].u, process.env.PGUSER);
  } finally {
    await client.end();
  }
});

test("a wrong password is refused with 28P01", async () => {
  const client = new pg.Client({ database: "hangar", ssl, password: "wrong" });
  await assert.rejects(client.connect(), (error) => error.code === "28P01");
});
