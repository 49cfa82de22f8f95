//! `regexp_matches(text, pattern [, flags])`, which DataFusion lacks: a row for each match (the
//! first only, without the flag `g`), holding the text of each parenthesized part of the pattern
//! as a `text[]` (the whole match when the pattern has none; NULL for a part that matched
//! nothing), and no row when nothing matches. It is planned as `unnest` of
//! `hangar_regexp_matches(…)`, each row's matches as a list ([`super::regex_forms`]).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::Result;
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::{ScalarUDF, Signature, SimpleScalarUDF, TypeSignature, Volatility};
use datafusion::prelude::SessionContext;
use regex::Regex;

use super::regex_split::for_each_row;
#[cfg(test)]
use super::regex_split::regex_with_flags;

/// Registers `hangar_regexp_matches` in the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    let text = DataType::Utf8;
    let array = DataType::List(Arc::new(Field::new("item", text.clone(), true)));
    ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        "hangar_regexp_matches",
        Signature::one_of(
            vec![
                TypeSignature::Exact(vec![text.clone(), text.clone()]),
                TypeSignature::Exact(vec![text.clone(), text.clone(), text]),
            ],
            Volatility::Immutable,
        ),
        DataType::List(Arc::new(Field::new("item", array, true))),
        Arc::new(make_scalar_function(match_rows, vec![])),
    )));
}

/// The matches of each row.
fn match_rows(args: &[ArrayRef]) -> Result<ArrayRef> {
    let mut rows = ListBuilder::new(ListBuilder::new(StringBuilder::new()));
    for_each_row(args, |row| {
        let Some((text, regex, global)) = row else {
            rows.append_null();
            return Ok(());
        };
        for parts in matches(regex, text, global) {
            let list = rows.values();
            for part in parts {
                list.values().append_option(part);
            }
            list.append(true);
        }
        rows.append(true);
        Ok(())
    })?;
    Ok(Arc::new(rows.finish()))
}

/// The parts of each match of `regex` in `text` (of the first, unless `global`).
fn matches<'t>(regex: &Regex, text: &'t str, global: bool) -> Vec<Vec<Option<&'t str>>> {
    let take = if global { usize::MAX } else { 1 };
    regex
        .captures_iter(text)
        .take(take)
        .map(|captures| {
            if captures.len() == 1 {
                vec![captures.get(0).map(|m| m.as_str())]
            } else {
                (1..captures.len())
                    .map(|i| captures.get(i).map(|m| m.as_str()))
                    .collect()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_postgres_matches() {
        let (regex, _) = regex_with_flags("(b)(a)(.)", "g").unwrap();
        assert_eq!(
            matches(&regex, "foobarbequebaz", true),
            vec![
                vec![Some("b"), Some("a"), Some("r")],
                vec![Some("b"), Some("a"), Some("z")]
            ]
        );
        let (regex, _) = regex_with_flags("ba.", "").unwrap();
        assert_eq!(
            matches(&regex, "foobarbequebaz", false),
            vec![vec![Some("bar")]]
        );
        let (regex, _) = regex_with_flags("(x)?b", "").unwrap();
        assert_eq!(matches(&regex, "abc", false), vec![vec![None]]);
        assert!(matches(&regex, "xyz", true).is_empty());
    }
}
