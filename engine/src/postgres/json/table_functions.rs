//! The JSON functions that return a set of rows, in `FROM`: `json_each`, `json_each_text`,
//! `json_array_elements`, `json_array_elements_text`, `json_object_keys`, and their `jsonb`
//! forms. Their argument is a constant (DataFusion calls a table function as it plans).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::catalog::{TableFunctionArgs, TableFunctionImpl, TableProvider};
use datafusion::common::{DataFusionError, Result};
use datafusion::datasource::MemTable;
use datafusion::logical_expr::Expr;
use datafusion::prelude::SessionContext;

use super::value::{Json, Value};
use super::{Kind, parse, text_of};
use crate::Error;

/// Registers the table functions.
pub(super) fn install(ctx: &SessionContext) {
    for kind in [Kind::Json, Kind::Jsonb] {
        for rows in [
            Rows::Each,
            Rows::EachText,
            Rows::Elements,
            Rows::ElementsText,
            Rows::Keys,
        ] {
            let function = JsonRows { kind, rows };
            ctx.register_udtf(function.name(), Arc::new(function));
        }
    }
}

/// What rows a function makes of a value.
#[derive(Debug, Clone, Copy)]
enum Rows {
    /// An object's members: `key` and `value`.
    Each,
    /// An object's members, values as text.
    EachText,
    /// An array's elements: `value`.
    Elements,
    /// An array's elements as text.
    ElementsText,
    /// An object's keys.
    Keys,
}

/// One of the functions; see the module.
#[derive(Debug)]
struct JsonRows {
    kind: Kind,
    rows: Rows,
}

impl JsonRows {
    fn name(&self) -> &'static str {
        match (self.kind, self.rows) {
            (Kind::Json, Rows::Each) => "json_each",
            (Kind::Json, Rows::EachText) => "json_each_text",
            (Kind::Json, Rows::Elements) => "json_array_elements",
            (Kind::Json, Rows::ElementsText) => "json_array_elements_text",
            (Kind::Json, Rows::Keys) => "json_object_keys",
            (Kind::Jsonb, Rows::Each) => "jsonb_each",
            (Kind::Jsonb, Rows::EachText) => "jsonb_each_text",
            (Kind::Jsonb, Rows::Elements) => "jsonb_array_elements",
            (Kind::Jsonb, Rows::ElementsText) => "jsonb_array_elements_text",
            (Kind::Jsonb, Rows::Keys) => "jsonb_object_keys",
        }
    }

    /// The columns: `key` for members, and `value` (JSON or text), or the keys' one column.
    fn schema(&self) -> Schema {
        let value = match self.rows {
            Rows::Each | Rows::Elements => self.kind.field().with_name("value"),
            _ => Field::new("value", DataType::Utf8, true),
        };
        match self.rows {
            Rows::Each | Rows::EachText => {
                Schema::new(vec![Field::new("key", DataType::Utf8, false), value])
            }
            Rows::Elements | Rows::ElementsText => Schema::new(vec![value]),
            Rows::Keys => Schema::new(vec![Field::new(self.name(), DataType::Utf8, false)]),
        }
    }

    /// The rows of `doc`: keys (or none) and values.
    fn rows(&self, doc: &Json<'_>) -> Result<(Vec<String>, Vec<Option<String>>)> {
        let value = |v: &Json<'_>| match self.rows {
            Rows::EachText | Rows::ElementsText => v.as_text(self.kind == Kind::Jsonb),
            _ => Some(self.kind.text(v)),
        };
        match (&doc.value, self.rows) {
            (Value::Object(members), Rows::Each | Rows::EachText | Rows::Keys) => {
                let members = match self.kind {
                    Kind::Json => members.clone(),
                    Kind::Jsonb => Json::jsonb_members(members),
                };
                Ok(members.iter().map(|(k, v)| (k.clone(), value(v))).unzip())
            }
            (Value::Array(items), Rows::Elements | Rows::ElementsText) => {
                Ok((Vec::new(), items.iter().map(value).collect()))
            }
            (other, _) => {
                let what = match other {
                    Value::Object(_) => "an object",
                    Value::Array(_) => "an array",
                    _ => "a scalar",
                };
                let message = match self.rows {
                    Rows::Elements | Rows::ElementsText => {
                        format!("cannot extract elements from {what}")
                    }
                    Rows::Keys => format!("cannot call {} on {what}", self.name()),
                    Rows::Each | Rows::EachText if self.kind == Kind::Json => match other {
                        Value::Array(_) => "cannot deconstruct an array as an object".into(),
                        _ => "cannot deconstruct a scalar".into(),
                    },
                    Rows::Each | Rows::EachText => {
                        format!("cannot call {} on a non-object", self.name())
                    }
                };
                Err(Error::InvalidParameter(message).into_datafusion())
            }
        }
    }
}

impl TableFunctionImpl for JsonRows {
    fn call_with_args(&self, args: TableFunctionArgs) -> Result<Arc<dyn TableProvider>> {
        let [Expr::Literal(value, _)] = args.exprs() else {
            return Err(DataFusionError::NotImplemented(format!(
                "{} of a value that is not a constant",
                self.name()
            )));
        };
        let schema = Arc::new(self.schema());
        let columns: Vec<ArrayRef> = match text_of(value) {
            None => schema
                .fields()
                .iter()
                .map(|f| datafusion::arrow::array::new_empty_array(f.data_type()))
                .collect(),
            Some(text) => {
                let (keys, values) = self.rows(&parse(&text)?)?;
                match self.rows {
                    Rows::Each | Rows::EachText => vec![
                        Arc::new(StringArray::from(keys)),
                        Arc::new(StringArray::from(values)),
                    ],
                    Rows::Elements | Rows::ElementsText => {
                        vec![Arc::new(StringArray::from(values))]
                    }
                    Rows::Keys => vec![Arc::new(StringArray::from(keys))],
                }
            }
        };
        let batch = RecordBatch::try_new(Arc::clone(&schema), columns)?;
        Ok(Arc::new(MemTable::try_new(schema, vec![vec![batch]])?))
    }
}
