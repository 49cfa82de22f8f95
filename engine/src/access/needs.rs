//! What a statement needs: the privileges its plan uses, found by walking the plan (subqueries
//! included) before any of it runs.

use datafusion::common::TableReference;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::logical_expr::{DdlStatement, LogicalPlan, WriteOp};
use hangar_catalog::{Manifest, Privilege, RelationKind};

use crate::DATABASE;

/// One thing a statement needs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Need {
    /// To be a superuser; says what for (`create roles`).
    Superuser(&'static str),
    /// A privilege on a table or materialized view.
    Table {
        schema: String,
        name: String,
        privilege: Privilege,
    },
    /// A privilege on a schema.
    Schema {
        schema: String,
        privilege: Privilege,
    },
    /// To own a table or materialized view.
    TableOwner { schema: String, name: String },
    /// To own a schema.
    SchemaOwner(String),
}

impl Need {
    /// The error message of a refusal, as Postgres words it.
    pub(crate) fn refusal(&self, manifest: &Manifest) -> String {
        let kind = |schema: &str, name: &str| match manifest.table(schema, name).map(|t| t.kind()) {
            Some(RelationKind::MaterializedView) => "materialized view",
            _ => "table",
        };
        match self {
            Need::Superuser(what) => format!("must be superuser to {what}"),
            Need::Table { schema, name, .. } => {
                format!("permission denied for {} {name}", kind(schema, name))
            }
            Need::Schema { schema, .. } => format!("permission denied for schema {schema}"),
            Need::TableOwner { schema, name } => {
                format!("must be owner of {} {name}", kind(schema, name))
            }
            Need::SchemaOwner(schema) => format!("must be owner of schema {schema}"),
        }
    }
}

/// The settings only a superuser may change: those of the server as a whole. The session's
/// settings refuse the others' changes (`crate::postgres::Variables`), whichever way they come.
pub(crate) fn is_server_setting(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("datafusion.runtime.") || name.contains("memory") || name.contains("spill")
}

/// What running `plan` needs; `default_schema` resolves unqualified names.
pub(crate) fn plan_needs(plan: &LogicalPlan, default_schema: &str) -> Vec<Need> {
    let resolve = |reference: &TableReference| -> Option<(String, String)> {
        match reference {
            TableReference::Bare { table } => Some((default_schema.to_string(), table.to_string())),
            TableReference::Partial { schema, table } => {
                Some((schema.to_string(), table.to_string()))
            }
            TableReference::Full {
                catalog,
                schema,
                table,
            } => (catalog.as_ref() == DATABASE).then(|| (schema.to_string(), table.to_string())),
        }
    };
    let table = |reference: &TableReference, privilege| {
        resolve(reference).map(|(schema, name)| Need::Table {
            schema,
            name,
            privilege,
        })
    };
    let mut needs = Vec::new();
    let _ = plan.apply_with_subqueries(|node| {
        let need = match node {
            LogicalPlan::TableScan(scan) => table(&scan.table_name, Privilege::Select),
            LogicalPlan::Dml(dml) if matches!(dml.op, WriteOp::Insert(_)) => {
                table(&dml.table_name, Privilege::Insert)
            }
            LogicalPlan::Copy(_) => Some(Need::Superuser("COPY to or from a location")),
            LogicalPlan::Ddl(ddl) => match ddl {
                DdlStatement::CreateExternalTable(_) => {
                    Some(Need::Superuser("create external tables"))
                }
                DdlStatement::CreateMemoryTable(create) => {
                    resolve(&create.name).map(|(schema, _)| Need::Schema {
                        schema,
                        privilege: Privilege::Create,
                    })
                }
                DdlStatement::CreateCatalogSchema(_) => Some(Need::Superuser("create schemas")),
                DdlStatement::DropCatalogSchema(drop) => {
                    Some(Need::SchemaOwner(drop.name.schema_name().to_string()))
                }
                DdlStatement::DropTable(drop) => {
                    resolve(&drop.name).map(|(schema, name)| Need::TableOwner { schema, name })
                }
                _ => None,
            },
            _ => None,
        };
        needs.extend(need);
        Ok(TreeNodeRecursion::Continue)
    });
    needs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_settings_are_told_apart() {
        for name in [
            "datafusion.runtime.memory_limit",
            "DataFusion.Runtime.temp_directory",
            "datafusion.execution.sort_spill_reservation_bytes",
        ] {
            assert!(is_server_setting(name), "{name}");
        }
        for name in ["datafusion.execution.batch_size", "timezone", "search_path"] {
            assert!(!is_server_setting(name), "{name}");
        }
    }
}
