"""Apache Superset against Hangar, through Superset's own REST API (its Flask app, in process).

Usage: check.py PG_PORT, run by the Python of Superset's virtual environment with
SUPERSET_CONFIG_PATH set and its metadata database initialised (`superset db upgrade`,
`superset fab create-admin`, `superset init`); tests/python/test_other_clients.py does all that.
Registers Hangar as a database by SQLAlchemy URL, tests the connection, lists schemas, tables and
columns, makes a dataset and runs a bar chart's query. Exits non-zero on the first difference.
"""

import sys

from superset.app import create_app

port = int(sys.argv[1])
app = create_app()
client = app.test_client()


def call(method, path, **kwargs):
    response = getattr(client, method)(path, headers=headers, **kwargs)
    assert response.status_code in (200, 201), f"{method} {path}: {response.status_code} {response.json}"
    return response.json


headers = {}
login = {"username": "admin", "password": "admin", "provider": "db", "refresh": False}
headers["Authorization"] = "Bearer " + call("post", "/api/v1/security/login", json=login)["access_token"]

uri = f"postgresql://hangar@127.0.0.1:{port}/hangar"
assert call("post", "/api/v1/database/test_connection/", json={"sqlalchemy_uri": uri, "database_name": "hangar"}) == {
    "message": "OK"
}
database = call("post", "/api/v1/database/", json={"sqlalchemy_uri": uri, "database_name": "hangar"})["id"]

schemas = call("get", f"/api/v1/database/{database}/schemas/")["result"]
# As against Postgres: information_schema is a schema too.
assert sorted(schemas) == ["hangar", "information_schema", "public"], schemas
tables = [t["value"] for t in call("get", f"/api/v1/database/{database}/tables/?q=(schema_name:public)")["result"]]
assert {"lineitem", "nation", "region"} <= set(tables), tables

metadata = call("get", f"/api/v1/database/{database}/table_metadata/?name=nation&schema=public")
assert [(c["name"], c["type"]) for c in metadata["columns"]] == [
    ("n_nationkey", "BIGINT"),
    ("n_name", "TEXT"),
    ("n_regionkey", "BIGINT"),
    ("n_comment", "TEXT"),
], metadata["columns"]
assert metadata["indexes"] == [] and metadata["foreignKeys"] == []

dataset = call("post", "/api/v1/dataset/", json={"database": database, "schema": "public", "table_name": "nation"})
columns = [c["column_name"] for c in dataset["data"]["columns"]]
assert columns == ["n_nationkey", "n_name", "n_regionkey", "n_comment"], columns

# A bar chart of nations per region: the query Superset generates, run through Hangar.
query_context = {
    "datasource": {"id": dataset["id"], "type": "table"},
    "queries": [{"columns": ["n_regionkey"], "metrics": ["count"], "orderby": [["n_regionkey", True]], "row_limit": 100}],
    "result_format": "json",
    "result_type": "full",
}
[result] = call("post", "/api/v1/chart/data", json=query_context)["result"]
assert result["status"] == "success", result
assert result["data"] == [{"n_regionkey": r, "count": 5} for r in range(5)], result["data"]
print("superset: ok")
