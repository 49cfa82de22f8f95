//! Arrow data encoding and type mapping for Postgres(pgwire).

// #[cfg(all(feature = "arrow", feature = "datafusion"))]
// compile_error!("Feature arrow and datafusion cannot be enabled at same time. Use no-default-features when activating datafusion");

pub mod datatypes;
pub mod encoder;
mod error;
#[cfg(feature = "postgis")]
pub mod geo_encoder;
pub mod list_encoder;
mod pg_text;
/// Hangar patch 6: Postgres' text of a `float8`, for JSON built from floats.
pub use pg_text::float8_text;
pub mod row_encoder;
pub mod struct_encoder;
/// Hangar patch 8: values as the text format writes them, for casts to text.
pub mod text_values;

#[cfg(feature = "datafusion")]
pub use datatypes::df::encode_dataframe;

pub use datatypes::encode_recordbatch;
