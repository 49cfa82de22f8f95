//! Errors DataFusion raises while it plans, worded as Postgres words them with what only the
//! statement tells: the argument types of a function that does not exist (`function
//! lenght(unknown) does not exist`, where DataFusion said `Invalid function 'lenght'`), and a
//! table that the `FROM` clause names only under an alias (`invalid reference to FROM-clause
//! entry for table "nation"`).

use std::ops::ControlFlow;

use datafusion::common::SchemaError;
use datafusion::error::DataFusionError;
use datafusion::sql::sqlparser::ast::{
    DataType, Expr, Function, FunctionArguments, Statement, TableFactor, UnaryOperator, Value,
    Visit, Visitor,
};

use super::from_functions::function_name;
use crate::{Anchor, Error};

/// Postgres' error for `error`, DataFusion's while planning `statement`, where the statement
/// tells what Postgres' message needs.
pub(crate) fn explain(statement: &Statement, error: &DataFusionError) -> Option<Error> {
    match error.find_root() {
        DataFusionError::Plan(text) => {
            let name = text
                .strip_prefix("Invalid function '")?
                .split('\'')
                .next()?;
            undefined_function(statement, name)
        }
        DataFusionError::SchemaError(e, _) => match e.as_ref() {
            SchemaError::FieldNotFound { field, .. } => {
                let table = field.relation.as_ref()?.table();
                aliased_table(statement, table).then(|| {
                    Error::postgres(
                        "42P01",
                        format!("invalid reference to FROM-clause entry for table \"{table}\""),
                        Anchor::Word(format!("{table}.{}", field.name)),
                    )
                })
            }
            _ => None,
        },
        _ => None,
    }
}

/// `function name(types) does not exist`, for the first call of `name` in `statement`, when the
/// text tells its arguments' types.
fn undefined_function(statement: &Statement, name: &str) -> Option<Error> {
    if crate::error::WINDOW_FUNCTIONS.contains(&name) {
        return None; // Postgres says it needs OVER; the error's own words say so
    }
    struct Calls<'a>(&'a str);
    impl Visitor for Calls<'_> {
        type Break = Function;
        fn pre_visit_expr(&mut self, expr: &Expr) -> ControlFlow<Function> {
            match expr {
                Expr::Function(f) if function_name(&f.name).is_some_and(|n| n == self.0) => {
                    ControlFlow::Break(f.clone())
                }
                _ => ControlFlow::Continue(()),
            }
        }
    }
    let ControlFlow::Break(call) = statement.visit(&mut Calls(name)) else {
        return None;
    };
    let arguments = match &call.args {
        FunctionArguments::List(list) => list.args.as_slice(),
        FunctionArguments::None => &[],
        FunctionArguments::Subquery(_) => return None,
    };
    let types = super::from_functions::unnamed_arguments(arguments)?
        .into_iter()
        .map(written_type)
        .collect::<Option<Vec<_>>>()?;
    Some(Error::postgres(
        "42883",
        format!("function {name}({}) does not exist", types.join(", ")),
        // The name as written: a rewrite may have rebuilt the call from text of its own.
        Anchor::Word(name.into()),
    ))
}

/// The Postgres type of an expression whose text tells it: a literal (a quoted one is `unknown`
/// until context types it), a cast, an array of those.
pub(super) fn written_type(expr: &Expr) -> Option<String> {
    Some(match expr {
        Expr::Value(value) => match &value.value {
            Value::SingleQuotedString(_) | Value::Null => "unknown".into(),
            Value::Boolean(_) => "boolean".into(),
            Value::Number(n, _) => match n.parse::<i64>() {
                Ok(n) if i32::try_from(n).is_ok() => "integer".into(),
                Ok(_) => "bigint".into(),
                Err(_) => "numeric".into(),
            },
            _ => return None,
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        }
        | Expr::Nested(expr) => written_type(expr)?,
        Expr::Cast { .. } | Expr::TypedString(_) => pg_type(data_type_of(expr)?)?,
        Expr::Array(array) => format!("{}[]", written_type(array.elem.first()?)?),
        _ => return None,
    })
}

fn data_type_of(expr: &Expr) -> Option<&DataType> {
    match expr {
        Expr::Cast { data_type, .. } => Some(data_type),
        Expr::TypedString(typed) => Some(&typed.data_type),
        _ => None,
    }
}

/// Postgres' name of a type as SQL writes it.
fn pg_type(data_type: &DataType) -> Option<String> {
    let written = data_type.to_string().to_lowercase();
    if let Some(element) = written.strip_suffix("[]") {
        let parsed = datafusion::sql::sqlparser::parser::Parser::new(
            &datafusion::sql::sqlparser::dialect::PostgreSqlDialect {},
        )
        .try_with_sql(element)
        .ok()?
        .parse_data_type()
        .ok()?;
        return Some(format!("{}[]", pg_type(&parsed)?));
    }
    let base = written.split('(').next().unwrap_or(&written).trim();
    Some(
        match base {
            "int" | "integer" | "int4" => "integer",
            "bigint" | "int8" => "bigint",
            "smallint" | "int2" => "smallint",
            "text" => "text",
            "varchar" | "character varying" => "character varying",
            "char" | "character" | "bpchar" => "character",
            "numeric" | "decimal" => "numeric",
            "real" | "float4" => "real",
            "double precision" | "float8" | "double" | "float" => "double precision",
            "date" => "date",
            "timestamp" | "timestamp without time zone" => "timestamp without time zone",
            "timestamptz" | "timestamp with time zone" => "timestamp with time zone",
            "interval" => "interval",
            "boolean" | "bool" => "boolean",
            "json" => "json",
            "jsonb" => "jsonb",
            _ => return None,
        }
        .into(),
    )
}

/// Whether the statement's `FROM` names `table` under another name.
fn aliased_table(statement: &Statement, table: &str) -> bool {
    struct Aliased<'a>(&'a str);
    impl Visitor for Aliased<'_> {
        type Break = ();
        fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
            match factor {
                TableFactor::Table {
                    name,
                    alias: Some(alias),
                    ..
                } if name
                    .0
                    .last()
                    .and_then(|part| part.as_ident())
                    .is_some_and(|id| id.value.eq_ignore_ascii_case(self.0))
                    && !alias.name.value.eq_ignore_ascii_case(self.0) =>
                {
                    ControlFlow::Break(())
                }
                _ => ControlFlow::Continue(()),
            }
        }
    }
    statement.visit(&mut Aliased(table)).is_break()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::parse_statement;

    fn explained(sql: &str, error: DataFusionError) -> Option<(String, Option<usize>)> {
        let error = explain(&parse_statement(sql), &error)?;
        Some((error.message(), error.position(sql)))
    }

    #[test]
    fn undefined_functions_name_their_argument_types() {
        let invalid = |name: &str| DataFusionError::Plan(format!("Invalid function '{name}'."));
        assert_eq!(
            explained("SELECT lenght('abc')", invalid("lenght")),
            Some(("function lenght(unknown) does not exist".into(), Some(8)))
        );
        assert_eq!(
            explained(
                "SELECT 1 + nope(2.5, -3, 'x'::text, ARRAY[1, 2])",
                invalid("nope")
            ),
            Some((
                "function nope(numeric, integer, text, integer[]) does not exist".into(),
                Some(12)
            ))
        );
        assert_eq!(
            explained("SELECT nope(n_name) FROM nation", invalid("nope")),
            None
        );
    }

    #[test]
    fn a_table_named_under_an_alias_is_an_invalid_reference() {
        let missing = DataFusionError::SchemaError(
            Box::new(SchemaError::FieldNotFound {
                field: Box::new(datafusion::common::Column::new(Some("nation"), "n_name")),
                valid_fields: vec![],
            }),
            Box::new(None),
        );
        assert_eq!(
            explained("SELECT nation.n_name FROM nation n", missing),
            Some((
                "invalid reference to FROM-clause entry for table \"nation\"".into(),
                Some(8)
            ))
        );
    }
}
