//! Postgres' words for DataFusion's errors: the SQLSTATE, the message and what the error points
//! at, for the mistakes Postgres users make. DataFusion words its errors for its own developers
//! (`Cannot coerce arithmetic expression Utf8View + Int32 to valid types`); a Postgres user reads
//! `operator does not exist: text + integer`. One table, read from the root cause's text, since
//! DataFusion reports most of these as text.

use std::str::FromStr;

use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::error::ArrowError;
use datafusion::common::SchemaError;
use datafusion::error::DataFusionError;

use super::anchor::Anchor;

/// An error as Postgres gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Words {
    /// Its SQLSTATE.
    pub(crate) sqlstate: &'static str,
    /// Its message.
    pub(crate) message: String,
    /// What it points at.
    pub(crate) anchor: Anchor,
}

impl Words {
    fn new(sqlstate: &'static str, message: impl Into<String>, anchor: Anchor) -> Self {
        Self {
            sqlstate,
            message: message.into(),
            anchor,
        }
    }
}

/// Postgres' words for a DataFusion error (its root cause), where Hangar knows them.
pub(crate) fn postgres_words(error: &DataFusionError) -> Option<Words> {
    match error {
        DataFusionError::SchemaError(e, _) => schema_words(e),
        DataFusionError::ArrowError(e, _) => arrow_words(e),
        DataFusionError::Plan(text)
        | DataFusionError::Execution(text)
        | DataFusionError::NotImplemented(text)
        | DataFusionError::Internal(text) => text_words(text),
        DataFusionError::External(e) => text_words(&e.to_string()),
        _ => None,
    }
}

fn schema_words(error: &SchemaError) -> Option<Words> {
    Some(match error {
        SchemaError::FieldNotFound {
            field,
            valid_fields,
        } => match &field.relation {
            Some(relation) => {
                let qualified = format!("{relation}.{}", field.name);
                let table = relation.table();
                let known = valid_fields.iter().any(|f| {
                    f.relation
                        .as_ref()
                        .is_some_and(|r| r.table().eq_ignore_ascii_case(table))
                });
                if known || valid_fields.is_empty() {
                    Words::new(
                        "42703",
                        format!("column {qualified} does not exist"),
                        Anchor::Word(qualified),
                    )
                } else {
                    Words::new(
                        "42P01",
                        format!("missing FROM-clause entry for table \"{table}\""),
                        Anchor::Word(qualified),
                    )
                }
            }
            None => Words::new(
                "42703",
                format!("column \"{}\" does not exist", field.name),
                Anchor::Word(field.name.clone()),
            ),
        },
        SchemaError::AmbiguousReference { field } => Words::new(
            "42702",
            format!("column reference \"{}\" is ambiguous", field.name),
            Anchor::Word(field.name.clone()),
        ),
        SchemaError::DuplicateUnqualifiedField { name } => Words::new(
            "42701",
            format!("column \"{name}\" specified more than once"),
            Anchor::Nowhere,
        ),
        SchemaError::DuplicateQualifiedField { .. } => return None,
    })
}

fn arrow_words(error: &ArrowError) -> Option<Words> {
    match error {
        ArrowError::DivideByZero => Some(Words::new("22012", "division by zero", Anchor::Nowhere)),
        // Hangar's checked integer operators say it as Postgres does.
        ArrowError::ArithmeticOverflow(text) if text.ends_with(" out of range") => {
            Some(Words::new("22003", text.clone(), Anchor::Nowhere))
        }
        ArrowError::CastError(text) | ArrowError::ParseError(text) => bad_input(text),
        ArrowError::InvalidArgumentError(text) if is_numeric_overflow(text) => Some(Words::new(
            "22003",
            "numeric field overflow",
            Anchor::Nowhere,
        )),
        other => text_words(&other.to_string()),
    }
}

/// Arrow's words for a decimal too large for its precision (`1000.00 is too large to store in a
/// Decimal128 of precision 5`), which Postgres calls a numeric field overflow.
fn is_numeric_overflow(text: &str) -> bool {
    text.contains(" is too large to store in a Decimal")
}

/// Postgres' message and SQLSTATE for input its type refuses, from Arrow's cast and parse
/// errors (`Cannot cast string 'x' to value of Int32 type`, `Can't cast value 40000 to type
/// Int16`, `Error parsing timestamp from 'x': …`):
/// - an integer that does not fit: `value "3000000000" is out of range for type integer` for
///   text, `smallint out of range` for a number (22003);
/// - a date or time well formed but not on the calendar or the clock: `date/time field value out
///   of range: "2024-02-30"` (22008);
/// - `infinity` and `-infinity`, which Postgres' dates and times hold and Arrow's do not: refused
///   (0A000);
/// - else `invalid input syntax for type date: "x"` (22007 for dates and times, else 22P02).
fn bad_input(text: &str) -> Option<Words> {
    if let Some(arrow_type) = text
        .strip_prefix("Can't cast value ")
        .and_then(|rest| rest.rsplit_once(" to type "))
        .map(|(_, t)| t)
    {
        let pg_type = cast_type_name(arrow_type).filter(|t| is_integer(t))?;
        return Some(Words::new(
            "22003",
            format!("{pg_type} out of range"),
            Anchor::Nowhere,
        ));
    }
    if let Some(value) = text
        .strip_prefix("Invalid input syntax for type interval: \"")
        .and_then(|rest| rest.strip_suffix('"'))
    {
        return Some(Words::new(
            "22007",
            format!("invalid input syntax for type interval: \"{value}\""),
            Anchor::Literal(value.into()),
        ));
    }
    if let Some((zone, _)) = text
        .strip_prefix("Invalid timezone \"")
        .and_then(|rest| rest.split_once('"'))
    {
        return Some(Words::new(
            "22023",
            format!("time zone \"{}\" not recognized", zone.to_lowercase()),
            Anchor::InLiteral(zone.into()),
        ));
    }
    let (value, pg_type) = invalid_value(text)?;
    let anchor = Anchor::Literal(value.into());
    let value = value.trim();
    let infinite = matches!(
        value.to_ascii_lowercase().as_str(),
        "infinity" | "+infinity" | "-infinity"
    );
    Some(if infinite && matches!(pg_type, "date" | "timestamp") {
        // Arrow's dates and times have no infinities to hold Postgres' (documented).
        Words::new(
            "0A000",
            format!("infinite values of type {pg_type} are not supported"),
            anchor,
        )
    } else if is_integer(pg_type) && value.parse::<i128>().is_ok() {
        Words::new(
            "22003",
            format!("value \"{value}\" is out of range for type {pg_type}"),
            anchor,
        )
    } else if matches!(pg_type, "date" | "timestamp") && looks_like_date_time(value) {
        Words::new(
            "22008",
            format!("date/time field value out of range: \"{value}\""),
            anchor,
        )
    } else {
        let code = if matches!(pg_type, "date" | "timestamp") {
            "22007"
        } else {
            "22P02"
        };
        Words::new(
            code,
            format!("invalid input syntax for type {pg_type}: \"{value}\""),
            anchor,
        )
    })
}

fn is_integer(pg_type: &str) -> bool {
    matches!(pg_type, "smallint" | "integer" | "bigint")
}

/// Whether `value` is written as a date (`2024-02-30`), perhaps with a time (`… 25:00:00`).
fn looks_like_date_time(value: &str) -> bool {
    let shape: String = value
        .chars()
        .map(|c| if c.is_ascii_digit() { '9' } else { c })
        .collect();
    let (date, time) = shape.split_once(' ').unwrap_or((&shape, ""));
    date == "9999-99-99" && (time.is_empty() || time.starts_with("99:99"))
}

/// The text and the Postgres type of Arrow's cast and parse errors: `Cannot cast string 'x' to
/// value of Int32 type`, `Cannot cast value 'x' to value of Boolean type`, `Error parsing
/// timestamp from 'x': …`.
fn invalid_value(text: &str) -> Option<(&str, &'static str)> {
    if let Some(rest) = text.strip_prefix("Error parsing timestamp from '") {
        return Some((rest.rsplit_once("': ")?.0, "timestamp"));
    }
    let rest = text
        .strip_prefix("Cannot cast string '")
        .or_else(|| text.strip_prefix("Cannot cast value '"))?;
    let (value, rest) = rest.rsplit_once("' to value of ")?;
    Some((value, cast_type_name(rest.strip_suffix(" type")?)?))
}

/// The Postgres name of an Arrow type as Arrow's cast errors write it (`Int32`).
fn cast_type_name(arrow_type: &str) -> Option<&'static str> {
    Some(match arrow_type {
        "Int16" => "smallint",
        "Int32" => "integer",
        "Int64" => "bigint",
        "Float32" => "real",
        "Float64" => "double precision",
        "Boolean" => "boolean",
        "Date32" => "date",
        t if t.starts_with("Decimal") => "numeric",
        _ => return None,
    })
}

/// The Postgres name of a type as DataFusion's messages write it (`Utf8View`, `Decimal128(2, 1)`).
fn pg_type_of_arrow(arrow_type: &str) -> String {
    match DataType::from_str(arrow_type.trim()) {
        Ok(data_type) => pg_type_name(&data_type),
        Err(_) => arrow_type.trim().to_string(),
    }
}

/// The Postgres name of an argument's type in an error: `unknown` for `Utf8`, the type of a string
/// literal (a column's text is `Utf8View`), and for `NULL`.
pub(crate) fn pg_type_name(data_type: &DataType) -> String {
    match data_type {
        DataType::Utf8 | DataType::Null => "unknown".into(),
        other => regtype_of(other),
    }
}

/// The Postgres name of a type (`integer`, `timestamp with time zone`, `double precision[]`), as
/// `pg_typeof` and `format_type` write it.
pub(crate) fn regtype_of(data_type: &DataType) -> String {
    arrow_pg::datatypes::into_pg_type(data_type)
        .map(|t| arrow_pg::datatypes::regtype_name(&t))
        .unwrap_or_else(|_| "unknown".into())
}

/// Words for errors DataFusion (or a function) reports as text.
fn text_words(text: &str) -> Option<Words> {
    use Anchor::{After, Nowhere, Word};
    if let Some(column) = ungrouped_column(text) {
        let name = column.rsplit('.').next().unwrap_or(column);
        return Some(Words::new(
            "42803",
            format!(
                "column \"{column}\" must appear in the GROUP BY clause or be used in an \
                 aggregate function"
            ),
            Word(name.into()),
        ));
    }
    if text.to_ascii_lowercase().contains("divide by zero") {
        return Some(Words::new("22012", "division by zero", Nowhere));
    }
    if text.starts_with("Unsupported Value 'SingleQuotedByteStringLiteral") {
        // Hangar has no `bit` type (documented).
        return Some(Words::new(
            "0A000",
            "bit strings (B'…') are not supported",
            Nowhere,
        ));
    }
    if let Some(rest) = text.strip_prefix("Invalid function '") {
        let name = rest.split('\'').next()?;
        return WINDOW_FUNCTIONS.contains(&name).then(|| {
            Words::new(
                "42809",
                format!("window function {name} requires an OVER clause"),
                Word(name.into()),
            )
        });
    }
    if let Some(call) = between(text, "argument types '", "'") {
        return undefined_function(call);
    }
    if let Some(operation) = text
        .strip_prefix("Cannot coerce arithmetic expression ")
        .and_then(|rest| rest.strip_suffix(" to valid types"))
        .or_else(|| {
            let rest = text.strip_prefix("Cannot get result type for temporal operation ")?;
            Some(
                rest.split_once(": ")
                    .map_or(rest, |(operation, _)| operation),
            )
        })
    {
        return undefined_operator(operation);
    }
    if let Some(rest) = text.strip_prefix("Aggregate function calls cannot be nested: '") {
        let inner = rest.split('(').next()?;
        return Some(Words::new(
            "42803",
            "aggregate function calls cannot be nested",
            Word(inner.into()),
        ));
    }
    if text.starts_with("Aggregate functions are not allowed in the WHERE clause") {
        return Some(Words::new(
            "42803",
            "aggregate functions are not allowed in WHERE",
            After("where"),
        ));
    }
    if let Some(rest) = text.strip_prefix("Cannot find column with position ") {
        let position = rest.split(' ').next()?;
        return Some(Words::new(
            "42P10",
            format!("GROUP BY position {position} is not in select list"),
            After("group by"),
        ));
    }
    if let Some(rest) = text.strip_prefix("Order by column out of bounds, specified: ") {
        let position = rest.split(',').next()?;
        return Some(Words::new(
            "42P10",
            format!("ORDER BY position {position} is not in select list"),
            After("order by"),
        ));
    }
    if text.starts_with("For SELECT DISTINCT, ORDER BY expressions ") {
        return Some(Words::new(
            "42P10",
            "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
            After("order by"),
        ));
    }
    if text.starts_with("SELECT DISTINCT ON expressions must match initial ORDER BY expressions") {
        return Some(Words::new(
            "42P10",
            "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
            After("distinct on ("),
        ));
    }
    if text.starts_with("LIMIT must be >= 0") {
        return Some(Words::new("2201W", "LIMIT must not be negative", Nowhere));
    }
    if text.starts_with("OFFSET must be >=0") {
        return Some(Words::new("2201X", "OFFSET must not be negative", Nowhere));
    }
    if let Some(rest) = text.strip_prefix("Cannot create filter with non-boolean predicate ") {
        let (_, arrow_type) = rest.rsplit_once(" returning ")?;
        return Some(Words::new(
            "42804",
            format!(
                "argument of WHERE must be type boolean, not type {}",
                pg_type_of_arrow(arrow_type)
            ),
            After("where"),
        ));
    }
    if text.starts_with("Invalid escape character in LIKE expression") {
        return Some(Words::new("22025", "invalid escape string", Nowhere));
    }
    if let Some(rest) = text.strip_prefix("Invalid window frame: start bound (") {
        let message = if rest.contains("FOLLOWING)") {
            "frame starting from following row cannot have preceding rows"
        } else if rest.starts_with("CURRENT ROW)") {
            "frame starting from current row cannot have preceding rows"
        } else {
            return None;
        };
        let after = if rest.contains("FOLLOWING)") {
            "following and"
        } else {
            "current row and"
        };
        return Some(Words::new("42P20", message, After(after)));
    }
    if text.starts_with("UNION queries have different number of columns") {
        return Some(Words::new(
            "42601",
            "each UNION query must have the same number of columns",
            Nowhere,
        ));
    }
    execution_words(text)
}

/// Words for the errors functions raise while they run.
fn execution_words(text: &str) -> Option<Words> {
    use Anchor::Nowhere;
    if let Some(regex_error) = text.find("regex parse error:").map(|at| &text[at..]) {
        return Some(Words::new(
            "2201B",
            format!("invalid regular expression: {}", regex_message(regex_error)),
            Nowhere,
        ));
    }
    for message in [
        "cannot take square root of a negative number",
        "zero raised to a negative power is undefined",
        "a negative number raised to a non-integer power yields a complex result",
    ] {
        if text.contains(message) {
            return Some(Words::new("2201F", message, Nowhere));
        }
    }
    if text.starts_with("date/time field value out of range") {
        return Some(Words::new("22008", text, Nowhere));
    }
    for operation in ["UNION", "INTERSECT", "EXCEPT"] {
        if text.starts_with(&format!(
            "{operation} queries have different number of columns"
        )) {
            let message = format!("each {operation} query must have the same number of columns");
            return Some(Words::new("42601", message, Nowhere));
        }
    }
    if text.starts_with("step can't be 0 for function generate_series") {
        return Some(Words::new("22023", "step size cannot equal zero", Nowhere));
    }
    if text.starts_with("negative count not allowed")
        || text.starts_with("negative substring length not allowed")
    {
        return Some(Words::new(
            "22011",
            "negative substring length not allowed",
            Nowhere,
        ));
    }
    if text.starts_with("time zone \"") && text.ends_with("\" not recognized")
        || text.starts_with("invalid value for parameter \"")
    {
        return Some(Words::new("22023", text, Nowhere));
    }
    if text.starts_with("field position must not be zero") {
        return Some(Words::new(
            "22023",
            "field position must not be zero",
            Nowhere,
        ));
    }
    if let Some(code) = text.strip_prefix("invalid Unicode scalar value: ") {
        return Some(match code.parse::<i64>() {
            Ok(code) if code < 0 => {
                Words::new("22023", "character number must be positive", Nowhere)
            }
            _ => Words::new(
                "54000",
                format!("requested character too large for encoding: {code}"),
                Nowhere,
            ),
        });
    }
    if text.starts_with("NTILE requires a positive integer") {
        return Some(Words::new(
            "22014",
            "argument of ntile must be greater than zero",
            Nowhere,
        ));
    }
    if let Some(fields) = text.strip_prefix("Unable to parse date from ") {
        let parts: Vec<i64> = fields
            .split(", ")
            .map(|p| p.trim().parse().ok())
            .collect::<Option<_>>()?;
        let [year, month, day] = parts.as_slice() else {
            return None;
        };
        return Some(Words::new(
            "22008",
            format!("date field value out of range: {year}-{month:02}-{day:02}"),
            Nowhere,
        ));
    }
    None
}

/// Postgres' words for what the regex crate found wrong with a pattern (its last line reads
/// `error: unclosed group`).
fn regex_message(error: &str) -> String {
    let reason = error
        .lines()
        .rev()
        .find_map(|line| line.trim().strip_prefix("error: "))
        .unwrap_or("invalid pattern");
    match reason {
        "unclosed group" | "unopened group" => "parentheses () not balanced".into(),
        "unclosed character class" => "brackets [] not balanced".into(),
        "repetition operator missing expression" => "quantifier operand invalid".into(),
        other => other.into(),
    }
}

/// The text between the first `open` and the next `close` after it.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let (_, rest) = text.split_once(open)?;
    Some(rest.split_once(close)?.0)
}

/// `function round(text) does not exist` from DataFusion's `round(Utf8View)`.
fn undefined_function(call: &str) -> Option<Words> {
    let (name, arguments) = call.split_once('(')?;
    let arguments = arguments.strip_suffix(')')?;
    let types: Vec<String> = split_types(arguments)
        .into_iter()
        .map(pg_type_of_arrow)
        .collect();
    Some(Words::new(
        "42883",
        format!("function {name}({}) does not exist", types.join(", ")),
        Anchor::Word(name.into()),
    ))
}

/// `operator does not exist: text + integer` from DataFusion's `Utf8View + Int32`.
fn undefined_operator(operation: &str) -> Option<Words> {
    let is_operator =
        |token: &str| !token.is_empty() && token.chars().all(|c| "+-*/<>=~!@#%^&|".contains(c));
    let tokens: Vec<&str> = operation.split(' ').collect();
    let at = tokens.iter().position(|t| is_operator(t))?;
    let left = tokens[..at].join(" ");
    let right = tokens[at + 1..].join(" ");
    let operator = tokens[at];
    Some(Words::new(
        "42883",
        format!(
            "operator does not exist: {} {operator} {}",
            pg_type_of_arrow(&left),
            pg_type_of_arrow(&right)
        ),
        Anchor::Operator(operator.into()),
    ))
}

/// The comma-separated types of a signature, commas inside parentheses kept (`Decimal128(2,
/// 1)`).
fn split_types(text: &str) -> Vec<&str> {
    let mut types = Vec::new();
    let (mut depth, mut start) = (0_i32, 0);
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                types.push(text[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    if !text[start..].trim().is_empty() {
        types.push(text[start..].trim());
    }
    types
}

/// The functions that are only window functions.
pub(crate) const WINDOW_FUNCTIONS: [&str; 11] = [
    "row_number",
    "rank",
    "dense_rank",
    "percent_rank",
    "cume_dist",
    "ntile",
    "lag",
    "lead",
    "first_value",
    "last_value",
    "nth_value",
];

/// The column DataFusion's `… column "nation.n_name" must appear in the GROUP BY clause …` names.
pub(crate) fn ungrouped_column(text: &str) -> Option<&str> {
    let (before, _) = text.split_once("\" must appear in the GROUP BY clause")?;
    before.rsplit_once("column \"").map(|(_, column)| column)
}

/// The 1-based position `words` point at in `sql`; for the tests.
#[cfg(test)]
fn at(words: &Words, sql: &str) -> Option<usize> {
    words.anchor.position(sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> Words {
        postgres_words(&DataFusionError::Plan(text.into())).expect("worded")
    }

    #[test]
    fn datafusion_messages_read_as_postgres_words() {
        let cases = [
            (
                "No function matches the given name and argument types 'round(Utf8View)'. You \
                 might need to add explicit type casts.",
                "42883",
                "function round(text) does not exist",
            ),
            (
                "Failed to coerce … No function matches the given name and argument types \
                 'left(Utf8)'.",
                "42883",
                "function left(unknown) does not exist",
            ),
            (
                "No function matches the given name and argument types 'f(Decimal128(2, 1), \
                 Int32)'.",
                "42883",
                "function f(numeric, integer) does not exist",
            ),
            (
                "Cannot coerce arithmetic expression Utf8View + Int32 to valid types",
                "42883",
                "operator does not exist: text + integer",
            ),
            (
                "Cannot get result type for temporal operation Date32 * Int32: Invalid \
                 argument error: …",
                "42883",
                "operator does not exist: date * integer",
            ),
            (
                "Invalid function 'row_number'.\nDid you mean 'to_number'?",
                "42809",
                "window function row_number requires an OVER clause",
            ),
            (
                "Cannot find column with position 5 in SELECT clause. Valid columns: 1 to 1",
                "42P10",
                "GROUP BY position 5 is not in select list",
            ),
            (
                "LIMIT must be >= 0, '-1' was provided",
                "2201W",
                "LIMIT must not be negative",
            ),
            (
                "Cannot create filter with non-boolean predicate 'CAST(Int64(1) AS Int32)' \
                 returning Int32",
                "42804",
                "argument of WHERE must be type boolean, not type integer",
            ),
            (
                "regex parse error:\n    (\n    ^\nerror: unclosed group",
                "2201B",
                "invalid regular expression: parentheses () not balanced",
            ),
            (
                "Unable to parse date from 2024, 2, 30",
                "22008",
                "date field value out of range: 2024-02-30",
            ),
        ];
        for (text, code, message) in cases {
            let words = plan(text);
            assert_eq!((words.sqlstate, words.message.as_str()), (code, message));
        }
    }

    #[test]
    fn words_point_where_postgres_points() {
        let sql = "SELECT 'abc'::text + 1";
        let words = plan("Cannot coerce arithmetic expression Utf8View + Int32 to valid types");
        assert_eq!(at(&words, sql), Some(20));
        let sql = "SELECT n_name FROM nation GROUP BY 5";
        let words = plan("Cannot find column with position 5 in SELECT clause.");
        assert_eq!(at(&words, sql), Some(36));
        let sql = "SELECT count(*) FROM nation WHERE 1";
        let words = plan("Cannot create filter with non-boolean predicate 'x' returning Int32");
        assert_eq!(at(&words, sql), Some(35));
    }

    #[test]
    fn a_column_of_a_table_not_in_from_is_missing_its_entry() {
        let words = postgres_words(&DataFusionError::SchemaError(
            Box::new(SchemaError::FieldNotFound {
                field: Box::new(datafusion::common::Column::new(Some("x"), "n_name")),
                valid_fields: vec![datafusion::common::Column::new(Some("n"), "n_name")],
            }),
            Box::new(None),
        ))
        .expect("worded");
        let sql = "SELECT x.n_name FROM nation n";
        assert_eq!(words.message, "missing FROM-clause entry for table \"x\"");
        assert_eq!(words.anchor.position(sql), Some(8));
    }
}
