//! Settings of the engine.

use std::path::PathBuf;
use std::time::Duration;

/// Settings that shape the shared runtime and every session.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Memory pool limit in bytes for query execution; `None` means unbounded.
    pub memory_limit: Option<usize>,
    /// Directory for spill files; `None` uses the OS temporary directory.
    pub spill_dir: Option<PathBuf>,
    /// How long a table's file listing is cached: files that land in a table's location appear in
    /// queries at most this long after.
    pub listing_cache_ttl: Duration,
    /// Number of partitions a query is split into; `None` uses twice the number of cores.
    pub target_partitions: Option<usize>,
    /// How long a materialized view's version stays readable after a refresh replaced it (queries
    /// that started on it finish on it), and how long the files of a failed refresh are left alone.
    pub view_version_grace: Duration,
    /// How often a running refresh records that it is still running. A run silent for three of
    /// these is shown as interrupted: its server died.
    pub refresh_heartbeat: Duration,
    /// Whether clients log in with passwords and roles' privileges are checked. Off, any user
    /// name is accepted and every session may do anything (a loopback-only server).
    pub authentication: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            memory_limit: None,
            spill_dir: None,
            listing_cache_ttl: Duration::from_secs(10),
            target_partitions: None,
            view_version_grace: Duration::from_secs(15 * 60),
            refresh_heartbeat: Duration::from_secs(30),
            authentication: false,
        }
    }
}

/// The DataFusion settings every session starts from: Hangar's measured defaults, which a client
/// can still change with `SET` for its own session. The Parquet writer settings here shape every
/// file Hangar writes (CREATE TABLE AS, INSERT, materialized views, the TPC-H demo data), because
/// those writes take their options from the session.
pub(crate) fn session_defaults() -> datafusion::prelude::SessionConfig {
    let mut config = datafusion::prelude::SessionConfig::new();
    let options = config.options_mut();
    // Measured at TPC-H SF 1 on a shared 2-core machine (docs/benchmarks.md, "Levers"), DataFusion
    // and DuckDB in-process reading the files each layout gives, interleaved query by query:
    // - One output file per write instead of DataFusion's default of four: the four files each got
    //   every fourth batch, so every row group spanned the whole key range and min/max statistics
    //   pruned nothing. Written as one stream, rows keep their order (a sorted view, the demo
    //   tables in key order). With the next setting, the dashboard mix of docs/benchmarks went from
    //   12.5 to 34 queries/s. TPC-H geometric mean on sorted single files: DataFusion 1.07x (within
    //   this machine's noise), DuckDB 0.93x.
    options.execution.minimum_parallel_output_files =
        datafusion::config::ConfigNonZeroUsize::try_new(1).expect("1 is not zero");
    // - 128 Ki rows per row group instead of 1 Mi: a key lookup (`WHERE l_orderkey = …`, the
    //   dashboard mix) reads one small row group; 123 ms became 10 ms in DataFusion in-process. TPC-H
    //   was no slower than with 1 Mi rows (0.99x).
    options.execution.parquet.max_row_group_size = 128 * 1024;
    // - LZ4 instead of ZSTD(3): decoding is cheaper, and the scans of TPC-H are decode bound on 2
    //   cores: geometric mean 0.89x for DataFusion, 0.70x for DuckDB. Files are about 40% larger.
    options.execution.parquet.compression = Some("lz4_raw".into());
    // - Dictionary pages of at most 64 KiB instead of 1 MiB: a column with many distinct values
    //   (keys, prices, comments) falls back to plain encoding early instead of gathering every
    //   value through a dictionary that holds nearly all of them. `lineitem` rewritten so, nine
    //   `lineitem`-heavy TPC-H queries in four interleaved runs: DataFusion 0.90-0.97x (median
    //   0.91x), DuckDB 0.94-1.06x (median 0.95x); the file 4.5% smaller.
    options.execution.parquet.dictionary_page_size_limit = 64 * 1024;
    // Measured at TPC-H SF 1 on the 2-core machine with DataFusion in-process on Hangar's layout,
    // interleaved query by query (docs/benchmarks.md, "Levers"):
    // - A join whose smaller side is estimated under 64 MiB or 4 Mi rows builds one hash table that
    //   every partition probes (DataFusion's default: 1 MiB or 128 Ki rows), instead of
    //   repartitioning both sides by the key. q18 0.52x, q7 0.63x, q9 0.82x; the sum of the 22
    //   queries 0.90x. 16 MiB / 1 Mi rows gained less (0.96x on the join-heavy queries, q18 not at all);
    //   256 MiB gained no more.
    options.optimizer.hash_join_single_partition_threshold = 64 * 1024 * 1024;
    options.optimizer.hash_join_single_partition_threshold_rows = 4 * 1024 * 1024;
    // Measured through Hangar's Postgres wire, release builds, fresh servers side by side:
    // - Twice as many partitions per query as cores (DataFusion: as many as cores). With one per
    //   core a query left the cores idle part of the time: q3, q6 and q14 in a loop kept 1.60 of
    //   the 2 cores busy, 1.73 with four partitions. TPC-H geometric mean 0.93x over 21 queries.
    options.execution.target_partitions *= 2;
    // Postgres semantics (tests/tests/semantics): a literal with a decimal point is an exact
    // `numeric`, as in Postgres (`0.1 + 0.2 = 0.3`, `2.5::int` is 3), not a binary float.
    options.sql_parser.parse_float_as_decimal = true;
    // `timestamptz` is a timestamp in the session's time zone, UTC until `SET TIME ZONE`; without
    // one DataFusion planned `TIMESTAMPTZ '…'` as a `timestamp`.
    options.execution.time_zone = Some("UTC".into());
    // Casts to text write values as the session's `DateStyle` and the like say.
    config.with_option_extension(crate::postgres::text_casts::TextStyles::default())
}
