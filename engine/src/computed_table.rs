//! Tables whose rows are computed when a query scans them: the system and catalog tables, all
//! small.

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session as DfSession, TableProvider};
use datafusion::datasource::memory::MemorySourceConfig;
use datafusion::error::Result as DfResult;
use datafusion::logical_expr::{Expr, TableType};
use datafusion::physical_plan::ExecutionPlan;

/// Rows a read-only table computes when a query scans it: system and catalog tables, all small.
#[async_trait]
pub(crate) trait ComputedRows: std::fmt::Debug + Send + Sync + 'static {
    /// The table's schema.
    fn schema(&self) -> SchemaRef;
    /// All of the table's rows, as of now.
    async fn rows(&self, state: &dyn DfSession) -> DfResult<RecordBatch>;
}

/// Serves [`ComputedRows`] as a DataFusion table, a view as Postgres's catalog tables are.
#[derive(Debug)]
pub(crate) struct ComputedTable<T>(pub(crate) T);

#[async_trait]
impl<T: ComputedRows> TableProvider for ComputedTable<T> {
    fn schema(&self) -> SchemaRef {
        self.0.schema()
    }

    fn table_type(&self) -> TableType {
        TableType::View
    }

    async fn scan(
        &self,
        state: &dyn DfSession,
        projection: Option<&Vec<usize>>,
        _filters: &[Expr],
        _limit: Option<usize>,
    ) -> DfResult<Arc<dyn ExecutionPlan>> {
        let batch = self.0.rows(state).await?;
        Ok(MemorySourceConfig::try_new_exec(
            &[vec![batch]],
            self.0.schema(),
            projection.cloned(),
        )?)
    }
}
