//! The kinds of relation the catalog holds.

/// Tables and materialized views share one namespace; statements name the kind they expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    /// A table (managed or external).
    Table,
    /// A materialized view.
    MaterializedView,
}

impl std::fmt::Display for RelationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RelationKind::Table => "table",
            RelationKind::MaterializedView => "materialized view",
        })
    }
}
