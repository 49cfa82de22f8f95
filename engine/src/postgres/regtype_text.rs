//! `regtype` values written as text: `prorettype::regtype::text` is a type's name in Postgres
//! (`integer`), and `proargtypes::regtype[]::text[]` the names of a function's argument types
//! (pgcli's function completions read both). The Postgres-compatibility layer plans `regtype` as
//! the oid's integer, so a cast of it to text would give the oid's digits; such a cast becomes
//! `format_type(oid, NULL)`, the name Postgres writes, and for arrays the same per element with
//! DataFusion's `array_transform`.

use datafusion::sql::sqlparser::ast::{
    ArrayElemTypeDef, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident,
    LambdaFunction, LambdaFunctionParameter, LambdaSyntax, OneOrManyWithParens, Statement,
};

use crate::statement::{parse_expr, rewrite_expressions};

/// Rewrites every cast of a `regtype` (or `regtype[]`) value to text (or `text[]`) in `statement`.
pub(crate) fn rewrite_regtype_text(statement: Statement) -> Statement {
    rewrite_expressions(statement, |expr| {
        let Expr::Cast {
            expr: value,
            data_type,
            ..
        } = expr
        else {
            return;
        };
        let rewritten = match (shape_of_type(data_type, is_text), regtype_shape(value)) {
            (Some(Shape::One), Some(Shape::One)) => name_of(value),
            (Some(Shape::Array), Some(Shape::Array)) => names_of(value),
            _ => None,
        };
        if let Some(rewritten) = rewritten {
            *expr = rewritten;
        }
    })
}

/// Whether an expression is one `regtype` or an array of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    One,
    Array,
}

/// `format_type(value, NULL)`.
fn name_of(value: &Expr) -> Option<Expr> {
    parse_expr(&format!("format_type({value}, NULL)"))
}

/// `array_transform(values, t -> format_type(t, NULL))`, built as a tree: the Postgres dialect
/// reads `->` as its JSON operator, so the lambda cannot be written as text.
fn names_of(values: &Expr) -> Option<Expr> {
    let element = Ident::new("hangar_regtype_element");
    let lambda = Expr::Lambda(LambdaFunction {
        params: OneOrManyWithParens::One(LambdaFunctionParameter {
            name: element.clone(),
            data_type: None,
        }),
        body: Box::new(name_of(&Expr::Identifier(element))?),
        syntax: LambdaSyntax::Arrow,
    });
    let mut call = parse_expr(&format!("array_transform({values}, NULL)"))?;
    if let Expr::Function(function) = &mut call
        && let FunctionArguments::List(list) = &mut function.args
        && let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(last))) = list.args.last_mut()
    {
        *last = lambda;
    }
    Some(call)
}

/// The shape of `expr` when it is a `regtype` value: a cast to `regtype` or `regtype[]`, a call of
/// `pg_typeof`, or a `COALESCE` of such (pgcli:
/// `COALESCE(proallargtypes::regtype[], proargtypes::regtype[])`).
fn regtype_shape(expr: &Expr) -> Option<Shape> {
    match expr {
        Expr::Cast { data_type, .. } => shape_of_type(data_type, |name| name == "regtype"),
        Expr::Nested(inner) => regtype_shape(inner),
        Expr::Function(call) if last_name_is(&call.name.0, "pg_typeof") => Some(Shape::One),
        Expr::Function(call) if last_name_is(&call.name.0, "coalesce") => {
            let FunctionArguments::List(list) = &call.args else {
                return None;
            };
            let mut shapes = list.args.iter().map(|arg| match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => regtype_shape(e),
                _ => None,
            });
            let first = shapes.next()??;
            shapes.all(|shape| shape == Some(first)).then_some(first)
        }
        _ => None,
    }
}

/// `One` when `data_type` is a type `named` accepts, `Array` when it is an array of one.
fn shape_of_type(data_type: &DataType, named: fn(&str) -> bool) -> Option<Shape> {
    match data_type {
        DataType::Array(
            ArrayElemTypeDef::SquareBracket(element, _)
            | ArrayElemTypeDef::AngleBracket(element)
            | ArrayElemTypeDef::Parenthesis(element),
        ) => (shape_of_type(element, named) == Some(Shape::One)).then_some(Shape::Array),
        _ => {
            let name = data_type.to_string().to_lowercase();
            named(name.strip_prefix("pg_catalog.").unwrap_or(&name)).then_some(Shape::One)
        }
    }
}

/// Whether a type's name is one of Postgres's unbounded text types.
fn is_text(name: &str) -> bool {
    matches!(name, "text" | "varchar" | "character varying" | "name")
}

fn last_name_is(parts: &[impl ToString], name: &str) -> bool {
    parts
        .last()
        .is_some_and(|part| part.to_string().eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::{parse_statement, rewritten};

    fn rewrite(sql: &str) -> String {
        rewritten(sql, rewrite_regtype_text)
    }

    #[test]
    fn a_regtype_as_text_is_the_type_name() {
        assert_eq!(
            rewrite(
                "SELECT prorettype::regtype::text, p.prorettype::pg_catalog.regtype::pg_catalog.text FROM p"
            ),
            "SELECT format_type(prorettype::regtype, NULL), format_type(p.prorettype::pg_catalog.regtype, NULL) FROM p"
        );
    }

    #[test]
    fn regtype_arrays_as_text_arrays_are_names_per_element() {
        assert_eq!(
            rewrite(
                "SELECT COALESCE(proallargtypes::regtype[], proargtypes::regtype[])::text[] FROM p"
            ),
            "SELECT array_transform(COALESCE(proallargtypes::regtype[], proargtypes::regtype[]), \
             hangar_regtype_element -> format_type(hangar_regtype_element, NULL)) FROM p"
        );
    }

    #[test]
    fn other_casts_stay() {
        for sql in [
            "SELECT prorettype::regtype, prorettype::text, proargtypes::regtype[]::text FROM p",
            "SELECT COALESCE(a::regtype, b)::text FROM p",
            "SELECT p.prorettype::regtype <> 'trigger'::regtype FROM p",
        ] {
            assert_eq!(rewrite(sql), parse_statement(sql).to_string());
        }
    }
}
