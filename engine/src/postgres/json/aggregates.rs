//! `json_agg`, `jsonb_agg`, `json_object_agg` and `jsonb_object_agg`: DataFusion's `array_agg`
//! collects the values (with its `ORDER BY`, `DISTINCT` and `FILTER`, merging partial states as it
//! does), and the result is written as JSON from the collected values and their input field, so a
//! `jsonb` value goes in as JSON, not as a string. An object's key and value are collected as one
//! row.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, StructArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::{Result, ScalarValue};
use datafusion::functions_aggregate::array_agg::array_agg_udaf;
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::utils::AggregateOrderSensitivity;
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;

use super::sql_values::{is_composite, key_text, to_json};
use super::value::quoted;
use super::{Kind, parse};
use crate::Error;

/// Registers the aggregates.
pub(super) fn install(ctx: &SessionContext) {
    for kind in [Kind::Json, Kind::Jsonb] {
        for object in [false, true] {
            ctx.register_udaf(AggregateUDF::new_from_impl(JsonAgg::new(kind, object)));
        }
    }
}

/// One of the aggregates; see the module.
#[derive(Debug, PartialEq, Eq, Hash)]
struct JsonAgg {
    name: &'static str,
    kind: Kind,
    /// `json_object_agg(key, value)` rather than `json_agg(value)`.
    object: bool,
    signature: Signature,
    /// `array_agg`, told whether its input comes ordered.
    inner: Arc<AggregateUDF>,
}

impl JsonAgg {
    fn new(kind: Kind, object: bool) -> Self {
        let name = match (kind, object) {
            (Kind::Json, false) => "json_agg",
            (Kind::Jsonb, false) => "jsonb_agg",
            (Kind::Json, true) => "json_object_agg",
            (Kind::Jsonb, true) => "jsonb_object_agg",
        };
        JsonAgg {
            name,
            kind,
            object,
            signature: Signature::any(if object { 2 } else { 1 }, Volatility::Immutable),
            inner: array_agg_udaf(),
        }
    }

    /// The field `array_agg` collects: the value's, or a key and value's row.
    fn collected(&self, fields: &[FieldRef]) -> FieldRef {
        if self.object {
            Arc::new(Field::new("", key_value_type(fields), true))
        } else {
            Arc::clone(&fields[0])
        }
    }
}

impl AggregateUDFImpl for JsonAgg {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field(&self, _arg_fields: &[FieldRef]) -> Result<FieldRef> {
        Ok(Arc::new(self.kind.field().with_name(self.name)))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let collected = [self.collected(args.input_fields)];
        self.inner.state_fields(StateFieldsArgs {
            input_fields: &collected,
            return_field: Arc::new(Field::new("", DataType::Null, true)),
            ..args
        })
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let collected = [self.collected(args.expr_fields)];
        let exprs = &args.exprs[..1];
        let inner = self.inner.accumulator(AccumulatorArgs {
            expr_fields: &collected,
            exprs,
            ..args
        })?;
        Ok(Box::new(JsonAccumulator {
            inner,
            kind: self.kind,
            object: self.object,
            fields: args.expr_fields.to_vec(),
        }))
    }

    fn order_sensitivity(&self) -> AggregateOrderSensitivity {
        AggregateOrderSensitivity::SoftRequirement
    }

    fn with_beneficial_ordering(
        self: Arc<Self>,
        beneficial_ordering: bool,
    ) -> Result<Option<Arc<dyn AggregateUDFImpl>>> {
        let inner = (*self.inner)
            .clone()
            .with_beneficial_ordering(beneficial_ordering)?
            .map(Arc::new);
        Ok(inner.map(|inner| {
            Arc::new(JsonAgg {
                name: self.name,
                kind: self.kind,
                object: self.object,
                signature: self.signature.clone(),
                inner,
            }) as Arc<dyn AggregateUDFImpl>
        }))
    }
}

/// The row an object aggregate collects for each input row: its key and its value.
fn key_value_type(fields: &[FieldRef]) -> DataType {
    DataType::Struct(Fields::from(vec![
        Field::new("key", fields[0].data_type().clone(), true),
        Field::new("value", fields[1].data_type().clone(), true),
    ]))
}

/// `array_agg`'s accumulator, its result written as JSON.
#[derive(Debug)]
struct JsonAccumulator {
    inner: Box<dyn Accumulator>,
    kind: Kind,
    object: bool,
    /// The aggregate's input fields: the value's, or the key's and the value's.
    fields: Vec<FieldRef>,
}

impl JsonAccumulator {
    /// An update's columns as `array_agg` takes them: a key and value as one row.
    fn collected(&self, values: &[ArrayRef]) -> Result<Vec<ArrayRef>> {
        if !self.object {
            return Ok(values.to_vec());
        }
        let DataType::Struct(fields) = key_value_type(&self.fields) else {
            unreachable!("a row of key and value");
        };
        let row = StructArray::try_new(
            fields,
            vec![Arc::clone(&values[0]), Arc::clone(&values[1])],
            None,
        )?;
        let mut collected: Vec<ArrayRef> = vec![Arc::new(row)];
        collected.extend(values[2..].iter().map(Arc::clone));
        Ok(collected)
    }

    /// The collected values as JSON text.
    fn write(&self, values: &dyn Array) -> Result<String> {
        let mut items = Vec::with_capacity(values.len());
        for i in 0..values.len() {
            let value = ScalarValue::try_from_array(values, i)?;
            items.push(if self.object {
                let ScalarValue::Struct(row) = &value else {
                    unreachable!("a row of key and value");
                };
                let key = ScalarValue::try_from_array(row.column(0), 0)?;
                if key.is_null() {
                    return Err(
                        Error::InvalidParameter("field name must not be null".into())
                            .into_datafusion(),
                    );
                }
                let member = ScalarValue::try_from_array(row.column(1), 0)?;
                format!(
                    "{} : {}",
                    quoted(&key_text(&key, &self.fields[0])),
                    to_json(&member, &self.fields[1])
                )
            } else {
                to_json(&value, &self.fields[0])
            });
        }
        let text = if self.object {
            format!("{{ {} }}", items.join(", "))
        } else if is_composite(self.fields[0].data_type()) {
            format!("[{}]", items.join(", \n "))
        } else {
            format!("[{}]", items.join(", "))
        };
        Ok(match self.kind {
            Kind::Json => text,
            Kind::Jsonb => parse(&text)?.jsonb_text(),
        })
    }
}

impl Accumulator for JsonAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let collected = self.collected(values)?;
        self.inner.update_batch(&collected)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.inner.merge_batch(states)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        self.inner.state()
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let collected = self.inner.evaluate()?;
        let values = match &collected {
            ScalarValue::List(list) if !list.is_null(0) => list.value(0),
            _ => return Ok(ScalarValue::Utf8(None)),
        };
        if values.is_empty() {
            return Ok(ScalarValue::Utf8(None));
        }
        Ok(ScalarValue::Utf8(Some(self.write(values.as_ref())?)))
    }

    fn size(&self) -> usize {
        self.inner.size() + std::mem::size_of_val(self)
    }
}
