//! Hangar patch 8 (PATCHED.md): values as text, exactly as the text format writes them, for a
//! cast of a value to `text` (Postgres' cast to text is the type's output function, which is also
//! what the wire's text format sends).

use std::sync::Arc;

use bytes::BytesMut;
#[cfg(not(feature = "datafusion"))]
use arrow::{array::*, datatypes::*};
#[cfg(feature = "datafusion")]
use datafusion::arrow::{array::*, datatypes::*};
use pgwire::api::results::{FieldFormat, FieldInfo};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::types::ToSqlText;
use pgwire::types::format::FormatOptions;
use postgres_types::{IsNull, ToSql};

use crate::datatypes::field_into_pg_type;
use crate::encoder::{Encoder, encode_value};

/// The settings that shape a value's text: Postgres' `DateStyle`, `IntervalStyle` and
/// `extra_float_digits`.
#[derive(Debug, Clone)]
pub struct TextStyle {
    pub date_style: String,
    pub interval_style: String,
    pub extra_float_digits: i8,
}

/// Each value of `array` (of `field`) as the text format writes it; NULL stays NULL.
pub fn text_values(array: &ArrayRef, field: &Field, style: &TextStyle) -> PgWireResult<ArrayRef> {
    let mut options = FormatOptions::default();
    options.date_style = style.date_style.clone();
    options.interval_style = style.interval_style.clone();
    options.extra_float_digits = style.extra_float_digits;
    let pg_field = FieldInfo::new(
        field.name().clone(),
        None,
        None,
        field_into_pg_type(&Arc::new(field.clone()))?,
        FieldFormat::Text,
    )
    .with_format_options(Arc::new(options));
    let mut collector = TextCollector::default();
    let mut texts = StringBuilder::with_capacity(array.len(), array.len() * 8);
    for row in 0..array.len() {
        if array.is_null(row) {
            texts.append_null();
            continue;
        }
        encode_value(&mut collector, array, row, field, &pg_field)?;
        match collector.take_row() {
            Some(text) => texts.append_value(text),
            None => texts.append_null(),
        }
    }
    Ok(Arc::new(texts.finish()))
}

/// An [`Encoder`] that keeps the text of the one value it is given.
#[derive(Default)]
struct TextCollector {
    text: Option<String>,
}

impl Encoder for TextCollector {
    type Item = Option<String>;

    fn encode_field<T>(&mut self, value: &T, pg_field: &FieldInfo) -> PgWireResult<()>
    where
        T: ToSql + ToSqlText + Sized,
    {
        let mut bytes = BytesMut::new();
        let written = value
            .to_sql_text(pg_field.datatype(), &mut bytes, pg_field.format_options())
            .map_err(PgWireError::ApiError)?;
        self.text = match written {
            IsNull::Yes => None,
            IsNull::No => Some(
                String::from_utf8(bytes.to_vec()).map_err(|e| PgWireError::ApiError(e.into()))?,
            ),
        };
        Ok(())
    }

    fn take_row(&mut self) -> Self::Item {
        self.text.take()
    }
}
