//! TPC-H demo data: generated into the warehouse on first start, reused afterwards.

use datafusion::arrow::record_batch::RecordBatch;
use hangar_engine::Engine;

use crate::{Error, Result};
use tpchgen::generators::{
    CustomerGenerator, LineItemGenerator, NationGenerator, OrderGenerator, PartGenerator,
    PartSuppGenerator, RegionGenerator, SupplierGenerator,
};
use tpchgen_arrow::{
    CustomerArrow, LineItemArrow, NationArrow, OrderArrow, PartArrow, PartSuppArrow, RegionArrow,
    SupplierArrow,
};

/// The eight TPC-H tables.
pub(crate) const TABLES: [&str; 8] = [
    "nation", "region", "part", "supplier", "partsupp", "customer", "orders", "lineitem",
];

/// Creates each TPC-H table that `public` does not have yet.
pub(crate) async fn ensure_tpch(engine: &Engine, scale: f64) -> Result<()> {
    let session = engine.internal_session()?;
    let snapshot = engine.catalog().refresh().await?;
    for table in TABLES {
        if snapshot
            .table(hangar_catalog::DEFAULT_SCHEMA, table)
            .is_some()
        {
            continue;
        }
        tracing::info!(table, scale, "generating TPC-H demo table");
        let batches = generate(table, scale)?;
        session
            .create_table_from_batches(table, batches)
            .await
            .map_err(|e| Error::Demo {
                table,
                reason: e.to_string(),
            })?;
    }
    Ok(())
}

fn generate(table: &'static str, scale: f64) -> Result<Vec<RecordBatch>> {
    match table {
        "nation" => NationArrow::new(NationGenerator::new(scale, 1, 1)).collect::<Result<_, _>>(),
        "region" => RegionArrow::new(RegionGenerator::new(scale, 1, 1)).collect::<Result<_, _>>(),
        "part" => PartArrow::new(PartGenerator::new(scale, 1, 1)).collect::<Result<_, _>>(),
        "supplier" => {
            SupplierArrow::new(SupplierGenerator::new(scale, 1, 1)).collect::<Result<_, _>>()
        }
        "partsupp" => {
            PartSuppArrow::new(PartSuppGenerator::new(scale, 1, 1)).collect::<Result<_, _>>()
        }
        "customer" => {
            CustomerArrow::new(CustomerGenerator::new(scale, 1, 1)).collect::<Result<_, _>>()
        }
        "orders" => OrderArrow::new(OrderGenerator::new(scale, 1, 1)).collect::<Result<_, _>>(),
        "lineitem" => {
            LineItemArrow::new(LineItemGenerator::new(scale, 1, 1)).collect::<Result<_, _>>()
        }
        other => unreachable!("unknown TPC-H table {other}"),
    }
    .map_err(|e| Error::Demo {
        table,
        reason: e.to_string(),
    })
}
