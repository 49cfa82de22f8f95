//! A table's whole row as a value, as Postgres reads a `FROM` item's name where a value stands:
//! `to_json(t)`, `row_to_json(t)`, `to_jsonb(t)`, `json_agg(t)` and `jsonb_agg(t)` of a table or
//! subquery `t` of the query are the JSON object of its columns (`{"r_regionkey":0,…}`), where
//! DataFusion looked for a column `t` (`column "t" does not exist`).
//!
//! The name becomes `hangar_row(t.*)` before planning, and the planned row, whose columns are
//! known then, `named_struct('c1', t.c1, …)`, a struct the JSON functions write as an object. A
//! name that a function in `FROM` gives (`unnest(a) AS t`) is its column's, and stays.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{DFSchema, Result, plan_err};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{
    ColumnarValue, Expr as LogicalExpr, LogicalPlan, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl,
    Signature, Volatility, lit,
};
use datafusion::prelude::SessionContext;
use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, ObjectName, ObjectNamePart,
    Query, SetExpr, Statement, TableFactor, VisitMut, VisitorMut, visit_expressions_mut,
};

use super::from_functions::function_name;

/// The functions whose argument may be a whole row.
const ROW_FUNCTIONS: [&str; 5] = [
    "to_json",
    "to_jsonb",
    "row_to_json",
    "json_agg",
    "jsonb_agg",
];

/// The placeholder for a whole row until its columns are known.
const ROW: &str = "hangar_row";

/// Registers `hangar_row`, which [`expand_whole_rows`] replaces in every plan.
pub(crate) fn install(ctx: &SessionContext) {
    ctx.register_udf(ScalarUDF::new_from_impl(Row {
        signature: Signature::variadic_any(Volatility::Immutable),
    }));
}

/// Rewrites the whole-row arguments of `statement`'s JSON functions into `hangar_row(t.*)`.
pub(crate) fn rewrite_whole_rows(mut statement: Statement) -> Statement {
    let _ = statement.visit(&mut WholeRows);
    statement
}

struct WholeRows;

impl VisitorMut for WholeRows {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        let SetExpr::Select(select) = query.body.as_mut() else {
            return ControlFlow::Continue(());
        };
        let tables: HashSet<String> = select
            .from
            .iter()
            .flat_map(|from| {
                std::iter::once(&from.relation).chain(from.joins.iter().map(|j| &j.relation))
            })
            .filter_map(table_name)
            .collect();
        if tables.is_empty() {
            return ControlFlow::Continue(());
        }
        let _ = visit_expressions_mut(&mut select.projection, |expr| {
            whole_row_argument(expr, &tables);
            ControlFlow::<()>::Continue(())
        });
        let _ = visit_expressions_mut(&mut select.selection, |expr| {
            whole_row_argument(expr, &tables);
            ControlFlow::<()>::Continue(())
        });
        ControlFlow::Continue(())
    }
}

/// The name a table or subquery of `FROM` goes by; `None` for a function's (its column's name).
fn table_name(factor: &TableFactor) -> Option<String> {
    match factor {
        TableFactor::Table {
            alias,
            name,
            args: None,
            ..
        } => Some(match alias {
            Some(alias) => alias.name.value.clone(),
            None => name.0.last()?.as_ident()?.value.clone(),
        }),
        TableFactor::Derived {
            alias: Some(alias), ..
        } => Some(alias.name.value.clone()),
        _ => None,
    }
}

/// `f(t)` as `f(hangar_row(t.*))` when `f` is one of [`ROW_FUNCTIONS`] and `t` one of `tables`.
fn whole_row_argument(expr: &mut Expr, tables: &HashSet<String>) {
    let Expr::Function(function) = expr else {
        return;
    };
    if !function_name(&function.name).is_some_and(|name| ROW_FUNCTIONS.contains(&name.as_str())) {
        return;
    }
    let FunctionArguments::List(list) = &mut function.args else {
        return;
    };
    let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(argument))) = list.args.first_mut() else {
        return;
    };
    let Expr::Identifier(table) = argument else {
        return;
    };
    if !tables.contains(&table.value) {
        return;
    }
    let qualifier = ObjectName(vec![ObjectNamePart::Identifier(Ident {
        value: table.value.clone(),
        quote_style: Some('"'),
        span: table.span,
    })]);
    let mut call = crate::statement::function_call(ROW, vec![]);
    if let Expr::Function(row) = &mut call
        && let FunctionArguments::List(args) = &mut row.args
    {
        args.args = vec![FunctionArg::Unnamed(FunctionArgExpr::QualifiedWildcard(
            qualifier,
        ))];
    }
    *argument = call;
}

/// `plan` (as the SQL planner builds it) with each `hangar_row(t.*)` the struct of `t`'s
/// columns, named as they are.
pub(crate) fn expand_whole_rows(plan: LogicalPlan) -> Result<LogicalPlan> {
    let is_row = |e: &LogicalExpr, _: &DFSchema| matches!(e, LogicalExpr::ScalarFunction(f) if f.name() == ROW);
    if !super::plan_has(&plan, is_row)? {
        return Ok(plan);
    }
    super::retype_plan(plan, Ok, |expr, schema| {
        let LogicalExpr::ScalarFunction(call) = &expr else {
            return Ok(Transformed::no(expr));
        };
        if call.name() != ROW {
            return Ok(Transformed::no(expr));
        }
        #[expect(deprecated)]
        let [
            LogicalExpr::Wildcard {
                qualifier: Some(table),
                ..
            },
        ] = call.args.as_slice()
        else {
            return plan_err!("{ROW} takes a table's columns");
        };
        let mut fields = Vec::new();
        for (qualifier, field) in schema.iter() {
            if qualifier.is_some_and(|q| q.table() == table.table()) {
                fields.push(lit(field.name().clone()));
                fields.push(LogicalExpr::Column(datafusion::common::Column::new(
                    qualifier.cloned(),
                    field.name(),
                )));
            }
        }
        let named_struct = datafusion::functions::core::named_struct();
        Ok(Transformed::yes(LogicalExpr::ScalarFunction(
            ScalarFunction::new_udf(named_struct, fields),
        )))
    })
}

/// `hangar_row`: a placeholder that planning replaces; it never runs.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Row {
    signature: Signature,
}

impl ScalarUDFImpl for Row {
    fn name(&self) -> &str {
        ROW
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Null)
    }

    fn invoke_with_args(&self, _: ScalarFunctionArgs) -> Result<ColumnarValue> {
        plan_err!("{ROW} is replaced when a statement is planned")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statement::rewritten;

    #[test]
    fn a_tables_name_as_a_json_argument_is_its_row() {
        assert_eq!(
            rewritten(
                "SELECT to_json(r), row_to_json(n.n_name), to_json(g) FROM region r, \
                 (SELECT 1) AS s, generate_series(1, 2) AS g WHERE to_jsonb(s) IS NOT NULL",
                rewrite_whole_rows
            ),
            "SELECT to_json(hangar_row(\"r\".*)), row_to_json(n.n_name), to_json(g) FROM region r, \
             (SELECT 1) AS s, generate_series(1, 2) AS g WHERE to_jsonb(hangar_row(\"s\".*)) IS NOT NULL"
        );
    }
}
