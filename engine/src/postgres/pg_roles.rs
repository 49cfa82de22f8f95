//! `pg_roles`, `pg_user` and `pg_auth_members` from the catalog's roles: what psql's `\du` and
//! BI tools' user lists read. Passwords show as `********`, as in Postgres' views.

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Int32Array, ListArray, RecordBatch, StringArray,
    TimestampMicrosecondArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use datafusion::catalog::Session as DfSession;
use datafusion::error::Result as DfResult;
use hangar_catalog::{Catalog, RoleEntry};

use crate::computed_table::ComputedRows;

/// The three views, by name.
pub(crate) const TABLES: [&str; 3] = ["pg_roles", "pg_user", "pg_auth_members"];

/// One of [`TABLES`] over the catalog's roles.
#[derive(Debug)]
pub(crate) struct RoleTable {
    pub(crate) name: &'static str,
    pub(crate) catalog: Arc<Catalog>,
}

/// A role's oid: stable for its name, above Postgres' range of built-in oids.
pub(crate) fn role_oid(name: &str) -> i32 {
    let hash = name.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    16384 + (hash % (i32::MAX as u32 - 16384)) as i32
}

fn timestamp() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some(Arc::from("UTC")))
}

fn text_list() -> DataType {
    DataType::new_list(DataType::Utf8, true)
}

#[async_trait]
impl ComputedRows for RoleTable {
    fn schema(&self) -> SchemaRef {
        let field = |name: &str, data_type: DataType| Field::new(name, data_type, true);
        let fields = match self.name {
            "pg_roles" => vec![
                field("rolname", DataType::Utf8),
                field("rolsuper", DataType::Boolean),
                field("rolinherit", DataType::Boolean),
                field("rolcreaterole", DataType::Boolean),
                field("rolcreatedb", DataType::Boolean),
                field("rolcanlogin", DataType::Boolean),
                field("rolreplication", DataType::Boolean),
                field("rolconnlimit", DataType::Int32),
                field("rolpassword", DataType::Utf8),
                field("rolvaliduntil", timestamp()),
                field("rolbypassrls", DataType::Boolean),
                field("rolconfig", text_list()),
                field("oid", DataType::Int32),
            ],
            "pg_user" => vec![
                field("usename", DataType::Utf8),
                field("usesysid", DataType::Int32),
                field("usecreatedb", DataType::Boolean),
                field("usesuper", DataType::Boolean),
                field("userepl", DataType::Boolean),
                field("usebypassrls", DataType::Boolean),
                field("passwd", DataType::Utf8),
                field("valuntil", timestamp()),
                field("useconfig", text_list()),
            ],
            _ => vec![
                field("roleid", DataType::Int32),
                field("member", DataType::Int32),
                field("grantor", DataType::Int32),
                field("admin_option", DataType::Boolean),
            ],
        };
        Arc::new(Schema::new(fields))
    }

    async fn rows(&self, _state: &dyn DfSession) -> DfResult<RecordBatch> {
        let manifest = self.catalog.snapshot();
        let roles: Vec<(&String, &RoleEntry)> = match self.name {
            "pg_user" => manifest.roles.iter().filter(|(_, r)| r.login).collect(),
            _ => manifest.roles.iter().collect(),
        };
        let n = roles.len();
        let names = || {
            Arc::new(StringArray::from_iter_values(
                roles.iter().map(|(n, _)| n.as_str()),
            )) as ArrayRef
        };
        let oids = || {
            Arc::new(Int32Array::from_iter_values(
                roles.iter().map(|(n, _)| role_oid(n)),
            )) as ArrayRef
        };
        let flag = |f: fn(&RoleEntry) -> bool| {
            Arc::new(
                roles
                    .iter()
                    .map(|(_, r)| Some(f(r)))
                    .collect::<BooleanArray>(),
            ) as ArrayRef
        };
        let password = || {
            Arc::new(
                roles
                    .iter()
                    .map(|(_, r)| r.password.as_ref().map(|_| "********"))
                    .collect::<StringArray>(),
            ) as ArrayRef
        };
        let no_time =
            || Arc::new(TimestampMicrosecondArray::new_null(n).with_timezone("UTC")) as ArrayRef;
        let no_config = || {
            Arc::new(ListArray::new_null(
                Arc::new(Field::new_list_field(DataType::Utf8, true)),
                n,
            )) as ArrayRef
        };
        let columns = match self.name {
            "pg_roles" => vec![
                names(),
                flag(|r| r.superuser),
                flag(|_| true),
                flag(|r| r.superuser),
                flag(|r| r.superuser),
                flag(|r| r.login),
                flag(|_| false),
                Arc::new(Int32Array::from(vec![-1; n])) as ArrayRef,
                password(),
                no_time(),
                flag(|r| r.superuser),
                no_config(),
                oids(),
            ],
            "pg_user" => vec![
                names(),
                oids(),
                flag(|r| r.superuser),
                flag(|r| r.superuser),
                flag(|_| false),
                flag(|r| r.superuser),
                password(),
                no_time(),
                no_config(),
            ],
            _ => {
                let pairs: Vec<(i32, i32)> = manifest
                    .roles
                    .iter()
                    .flat_map(|(member, r)| {
                        r.member_of
                            .iter()
                            .map(move |group| (role_oid(group), role_oid(member)))
                    })
                    .collect();
                vec![
                    Arc::new(Int32Array::from_iter_values(pairs.iter().map(|p| p.0))) as ArrayRef,
                    Arc::new(Int32Array::from_iter_values(pairs.iter().map(|p| p.1))),
                    Arc::new(Int32Array::new_null(pairs.len())),
                    Arc::new(BooleanArray::from(vec![false; pairs.len()])),
                ]
            }
        };
        Ok(RecordBatch::try_new(self.schema(), columns)?)
    }
}
