//! Postgres compatibility, in one place: everything that makes DataFusion answer Postgres clients
//! as Postgres would.
//!
//! - **Parsing**: the Postgres-compatibility parser of `datafusion-pg-catalog` first, DataFusion's
//!   own for its statements (`CREATE EXTERNAL TABLE`, `COPY … TO 'file'`), then Hangar's rewrites
//!   of what DataFusion cannot plan as clients write it ([`Dialect`]).
//! - **Result column names** as Postgres gives them ([`column_names`]).
//! - **Planning fallbacks** for what DataFusion refuses only once it plans: result columns that
//!   share a name ([`duplicate_names`]), correlated subqueries over catalog tables that are always
//!   empty here ([`scalar_subquery`]).
//! - **Catalog emulation**: `pg_catalog`, `information_schema`, the `pg_*` functions clients call,
//!   and session settings (`SET`, `SHOW`, `current_setting`).
//!
//! It reads Hangar's catalog through the catalog itself and the metadata adapter
//! ([`crate::metadata`]), never through the engine's shared state, and knows nothing of
//! materialized views' refreshes or of wire protocols.

mod any_all;
mod array_literals;
mod array_remove;
mod array_subquery;
mod bigint_sums;
mod boolean_literals;
mod character_types;
mod checked_arithmetic;
mod column_names;
mod common_types;
mod cube_root;
mod date_arithmetic;
mod date_input;
mod date_parts;
mod date_units;
mod datetime_literals;
mod degree_trigonometry;
pub(crate) mod display_scales;
pub(crate) mod duplicate_names;
mod fetch_first;
mod fixed_point;
mod float_casts;
mod float_ordering;
mod float_resolution;
mod formatting;
mod from_functions;
mod full_join_using;
mod function_forms;
mod function_schemas;
mod functions;
mod grouping_sets;
mod hypothetical_sets;
mod in_subquery;
mod information_schema;
mod integer_literals;
mod interval_arithmetic;
mod intervals;
mod json;
mod makers;
mod math_domain;
mod named_windows;
mod numbers;
mod numeric_averages;
mod numeric_casts;
mod numeric_division;
mod numeric_literals;
mod numeric_math;
mod numeric_spread;
mod operator_forms;
mod ordered_sets;
mod ordinality;
mod overloads;
mod pg_catalog;
mod pg_functions;
mod pg_roles;
mod plan_errors;
mod query_checks;
mod real_arithmetic;
mod regex_forms;
mod regex_matches;
mod regex_positions;
mod regex_split;
mod regression;
mod regtype_text;
mod result_types;
mod rounding;
mod row_comparison;
mod row_function;
mod row_in_subquery;
pub(crate) mod scalar_subquery;
mod set_returning;
mod similar_to;
mod strings;
mod subscripts;
mod table_names;
mod templates;
pub(crate) mod text_casts;
mod time_zones;
mod timestamp_precision;
mod token_forms;
mod unsupported;
mod user_keyword;
mod values_types;
mod variables;
mod whole_rows;

use std::sync::Arc;

use datafusion::common::DFSchema;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::execution::FunctionRegistry;
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::utils::merge_schema;
use datafusion::logical_expr::{Expr, LogicalPlan, Union};
use datafusion::optimizer::{Analyzer, AnalyzerRule};
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::{DFParser, Statement as DfStatement};
use datafusion::sql::sqlparser::ast::{Query, Statement as SqlStatement};
use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion_pg_catalog::sql::PostgresCompatibilityParser;

pub(crate) use common_types::check_common_types;
pub(crate) use function_schemas::check_function_schemas;
pub(crate) use plan_errors::explain as explain_plan_error;
pub use scalar_subquery::EMPTY_CATALOG_TABLES;
pub(crate) use table_names::check_table_names;
pub(crate) use unsupported::check_supported;
pub use variables::SERVER_VERSION;
pub(crate) use variables::Variables;

use crate::Result;
use crate::access::{Identity, Need, is_server_setting};
use hangar_catalog::Catalog;

/// How Postgres SQL becomes statements DataFusion plans. Built once per engine: building the
/// compatibility parser parses each of its patterns, which made up most of the cost of opening a
/// session.
#[derive(Debug)]
pub(crate) struct Dialect {
    parser: PostgresCompatibilityParser,
}

impl Dialect {
    pub(crate) fn new() -> Self {
        Self {
            parser: PostgresCompatibilityParser::new(),
        }
    }

    /// Parses SQL that holds none of Hangar's own statements into rewritten statements.
    /// `is_table_function` tells the session's table functions from other functions in `FROM`.
    pub(crate) fn parse(
        &self,
        sql: &str,
        is_table_function: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<DfStatement>> {
        let sql = &*token_forms::rewrite_token_forms(sql);
        // The Postgres-compatibility parser rewrites what psql and BI tools send; DataFusion's own
        // statements (CREATE EXTERNAL TABLE, COPY … TO 'file') need DataFusion's parser.
        let pg = self.parser.parse(sql);
        if let Ok(statements) = &pg
            && !statements.iter().any(needs_datafusion_parser)
        {
            return pg
                .expect("checked")
                .into_iter()
                .map(|s| {
                    query_checks::check_query(&s, sql)?;
                    Ok(DfStatement::Statement(Box::new(rewrite(
                        s,
                        is_table_function,
                    ))))
                })
                .collect();
        }
        match DFParser::parse_sql_with_dialect(sql, &PostgreSqlDialect {}) {
            Ok(statements) => Ok(statements
                .into_iter()
                .map(|s| match s {
                    DfStatement::Statement(s) => DfStatement::Statement(Box::new(rewrite(
                        self.parser.rewrite(*s),
                        is_table_function,
                    ))),
                    other => other,
                })
                .collect()),
            Err(df_error) => Err(match pg {
                Err(pg_error) => pg_error.into(),
                Ok(_) => df_error.into(),
            }),
        }
    }

    /// A query nested in another statement (a cursor's, a COPY's) rewritten as a statement of its
    /// own: some rewrites look only at the top of a statement.
    pub(crate) fn rewrite_query(
        &self,
        query: Box<Query>,
        is_table_function: &dyn Fn(&str) -> bool,
    ) -> DfStatement {
        let statement = self.parser.rewrite(SqlStatement::Query(query));
        DfStatement::Statement(Box::new(rewrite(statement, is_table_function)))
    }
}

/// Statements the Postgres grammar accepts in a form DataFusion cannot plan.
fn needs_datafusion_parser(statement: &SqlStatement) -> bool {
    match statement {
        SqlStatement::Copy { .. } => !crate::copy::is_client_copy(statement),
        SqlStatement::CreateTable(create) => create.external,
        _ => false,
    }
}

/// Hangar's own rewrites of a statement, after the Postgres-compatibility parser's: what
/// DataFusion cannot plan as clients write it.
fn rewrite(statement: SqlStatement, is_table_function: &dyn Fn(&str) -> bool) -> SqlStatement {
    // First, while the select lists are as the client wrote them.
    let statement = column_names::name_columns(statement);
    let statement = values_types::rewrite_values_types(statement);
    let statement = whole_rows::rewrite_whole_rows(statement);
    let statement = subscripts::rewrite_unnest_elements(statement);
    let statement = ordinality::rewrite_ordinality(statement);
    let statement = from_functions::rewrite_from_functions(statement, is_table_function);
    let statement = array_subquery::rewrite_array_subqueries(statement);
    let statement = array_literals::rewrite_array_literals(statement);
    let statement = similar_to::rewrite_similar_to(statement);
    let statement = row_comparison::rewrite_row_comparisons(statement);
    let statement = json::rewrite_json_types(statement);
    let statement = function_forms::rewrite_function_forms(statement);
    let statement = hypothetical_sets::rewrite_hypothetical_sets(statement);
    let statement = operator_forms::rewrite_operator_forms(statement);
    let statement = regex_forms::rewrite_regex_forms(statement);
    let statement = result_types::rewrite_result_types(statement);
    let statement = character_types::rewrite_character_types(statement);
    let statement = timestamp_precision::rewrite_timestamp_precisions(statement);
    let statement = named_windows::rewrite_named_windows(statement);
    let statement = grouping_sets::rewrite_grouping_sets(statement);
    let statement = full_join_using::rewrite_full_join_using(statement);
    let statement = time_zones::rewrite_at_time_zone(statement);
    let statement = numeric_casts::rewrite_numeric_casts(statement);
    let statement = numeric_literals::rewrite_numeric_literals(statement);
    let statement = date_parts::rewrite_date_parts(statement);
    let statement = datetime_literals::rewrite_datetime_literals(statement);
    let statement = any_all::rewrite_any_all(statement);
    let statement = fetch_first::rewrite_fetch_first(statement);
    let statement = integer_literals::rewrite_integer_literals(statement);
    // After every rewrite that writes a subscript (`regexp_match(…)[1]`, ordinality's `a[i]`).
    let statement = subscripts::rewrite_subscripts(statement);
    let statement = row_in_subquery::rewrite_row_in_subqueries(statement);
    let statement = user_keyword::rewrite_user_keyword(regtype_text::rewrite_regtype_text(
        in_subquery::rewrite_in_subqueries(statement),
    ));
    set_returning::rewrite_set_returning(scalar_subquery::rewrite_scalar_subqueries(statement))
}

/// DataFusion's analyzer rules, between the Postgres ones that must run before its type coercion
/// and those that must run after it.
pub(crate) fn analyzer_rules() -> Vec<Arc<dyn AnalyzerRule + Send + Sync>> {
    let mut rules: Vec<Arc<dyn AnalyzerRule + Send + Sync>> = vec![
        Arc::new(boolean_literals::BooleanLiterals),
        Arc::new(numeric_averages::NumericAverages),
    ];
    rules.extend(Analyzer::new().rules);
    rules.push(Arc::new(rounding::Rounding));
    rules.push(Arc::new(float_casts::FloatCasts));
    rules.push(Arc::new(date_input::DateInput));
    rules.push(Arc::new(checked_arithmetic::CheckedArithmetic));
    rules.push(Arc::new(time_zones::SessionZone));
    rules.push(Arc::new(text_casts::TextCasts));
    rules
}

/// `plan` with `rewrite` applied to each of its expressions' nodes, the innermost first, given the
/// schema of the node's inputs. Each expression keeps its name, which the nodes above refer to it
/// by: how Hangar's analyzer rules that replace an expression walk a plan.
fn rewrite_plan_expressions(
    plan: LogicalPlan,
    rewrite: impl Fn(Expr, &DFSchema) -> datafusion::common::Result<Transformed<Expr>>,
) -> datafusion::common::Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| {
        let schema = merge_schema(&node.inputs());
        let names = NamePreserver::new(&node);
        node.map_expressions(|expr| {
            let name = names.save(&expr);
            expr.transform_up(|e| rewrite(e, &schema))
                .map(|t| t.update_data(|e| name.restore(e)))
        })
    })
    .map(|t| t.data)
}

/// `plan`, as the SQL planner builds it, with the types Postgres gives where DataFusion's differ:
/// whole rows as structs ([`whole_rows`]), floats mixed with `numeric`s resolved to the float ([`float_resolution`]), `-0` sorted with `0`
/// ([`float_ordering`]), a `date_trunc` of a `date` a `timestamptz` ([`date_parts`]).
pub(crate) fn typed_as_postgres(
    plan: LogicalPlan,
    options: &ConfigOptions,
) -> datafusion::common::Result<LogicalPlan> {
    let plan = whole_rows::expand_whole_rows(plan)?;
    let plan = float_resolution::resolve_floats(plan)?;
    let plan = float_ordering::order_signed_zeros(plan)?;
    match &options.execution.time_zone {
        Some(zone) => date_parts::truncate_dates_in_zone(plan, zone),
        None => Ok(plan),
    }
}

/// `plan` with `rewrite_node` applied to each of its nodes, then `rewrite` to each of the node's
/// expressions' nodes, the innermost first, given the schema of the node's inputs; for the
/// rewrites that change types, done on a plan as the SQL planner builds it (before DataFusion's
/// type coercion): each node is typed again from its expressions and inputs (a union from its
/// inputs), and each expression keeps its name.
fn retype_plan(
    plan: LogicalPlan,
    rewrite_node: impl Fn(LogicalPlan) -> datafusion::common::Result<LogicalPlan>,
    rewrite: impl Fn(Expr, &DFSchema) -> datafusion::common::Result<Transformed<Expr>>,
) -> datafusion::common::Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| {
        let node = match rewrite_node(node)? {
            LogicalPlan::Union(union) => {
                LogicalPlan::Union(Union::try_new_with_loose_types(union.inputs)?)
            }
            other => other,
        };
        let schema = merge_schema(&node.inputs());
        let names = NamePreserver::new(&node);
        let node = node
            .map_expressions(|expr| {
                let name = names.save(&expr);
                expr.transform_up(|e| rewrite(e, &schema))
                    .map(|t| t.update_data(|e| name.restore(e)))
            })?
            .data;
        Ok(Transformed::yes(node.recompute_schema()?))
    })
    .map(|t| t.data)
}

/// Whether some node of `plan` (its subqueries' too) has an expression with a part for which
/// `found` holds, given the schema of the node's inputs.
fn plan_has(
    plan: &LogicalPlan,
    found: impl Fn(&Expr, &DFSchema) -> bool,
) -> datafusion::common::Result<bool> {
    let mut has = false;
    plan.apply_with_subqueries(|node| {
        let schema = merge_schema(&node.inputs());
        node.apply_expressions(|expr| {
            has = expr.exists(|e| Ok(found(e, &schema)))?;
            Ok(stop_if(has))
        })?;
        Ok(stop_if(has))
    })?;
    Ok(has)
}

/// Stop a walk once something is found.
fn stop_if(found: bool) -> TreeNodeRecursion {
    if found {
        TreeNodeRecursion::Stop
    } else {
        TreeNodeRecursion::Continue
    }
}

/// Installs what does not depend on a session (`pg_catalog`'s functions and the Postgres type
/// names) into the template every session is cloned from.
pub(crate) fn install(template: &SessionContext) -> Result<()> {
    pg_catalog::install(template)?;
    // After `pg_catalog`'s, which registers DataFusion's functions again: Hangar's replace some.
    functions::install(template);
    array_remove::install(template);
    bigint_sums::install(template);
    numeric_averages::install(template);
    formatting::install(template);
    strings::install(template);
    intervals::install(template);
    date_parts::install(template);
    date_units::install(template);
    numbers::install(template);
    numeric_casts::install(template);
    ordered_sets::install(template);
    math_domain::install(template);
    // After the domain checks, which it keeps for floats.
    numeric_math::install(template);
    // After `functions`, which names `signum` `sign` too.
    overloads::install(template);
    makers::install(template);
    time_zones::install(template);
    text_casts::install(template);
    regex_split::install(template);
    subscripts::install(template);
    row_in_subquery::install(template);
    whole_rows::install(template);
    regex_matches::install(template);
    regex_positions::install(template);
    degree_trigonometry::install(template);
    cube_root::install(template);
    regression::install(template);
    character_types::install(template);
    timestamp_precision::install(template);
    json::install(template)?;
    template
        .state_ref()
        .write()
        .register_expr_planner(Arc::new(date_arithmetic::DateArithmetic))?;
    template
        .state_ref()
        .write()
        .register_expr_planner(Arc::new(numeric_division::NumericDivision))?;
    template
        .state_ref()
        .write()
        .register_expr_planner(Arc::new(real_arithmetic::RealArithmetic))?;
    template
        .state_ref()
        .write()
        .register_expr_planner(Arc::new(interval_arithmetic::IntervalArithmetic::new()))?;
    Ok(())
}

/// Sets up a session of `user`: its `pg_catalog` and `information_schema` over `catalog`,
/// and its settings, whose functions (`current_setting`, `set_config`) it registers.
pub(crate) fn register(
    ctx: &SessionContext,
    catalog: &Arc<Catalog>,
    identity: &Arc<Identity>,
) -> Result<Arc<Variables>> {
    pg_catalog::register(ctx, catalog, identity)?;
    information_schema::register(ctx)?;
    let guard = {
        let (catalog, identity) = (Arc::clone(catalog), Arc::clone(identity));
        Arc::new(move |name: &str| {
            if !is_server_setting(name) {
                return Ok(());
            }
            let need = Need::Superuser("change server-wide settings");
            identity.require(&catalog.snapshot(), &need)
        })
    };
    let variables = Arc::new(Variables::new(ctx, guard));
    variables.register_functions(ctx);
    Ok(variables)
}
