//! `regexp_split_to_array(text, pattern [, flags])`, which DataFusion lacks: the pieces of the text
//! between the matches of the pattern, as Postgres splits it. A match of no characters splits
//! between characters, except at the start or the end of the text or right after another match
//! (so `''` splits a text into its characters); the flag `i` matches regardless of case.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, ListBuilder, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::cast::as_string_array;
use datafusion::common::{Result, exec_err};
use datafusion::error::DataFusionError;
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::{ScalarUDF, Signature, SimpleScalarUDF, TypeSignature, Volatility};
use datafusion::prelude::SessionContext;
use regex::{Regex, RegexBuilder};

/// Registers the function in the template every session is cloned from.
pub(crate) fn install(ctx: &SessionContext) {
    let text = DataType::Utf8;
    ctx.register_udf(ScalarUDF::from(SimpleScalarUDF::new_with_signature(
        "regexp_split_to_array",
        Signature::one_of(
            vec![
                TypeSignature::Exact(vec![text.clone(), text.clone()]),
                TypeSignature::Exact(vec![text.clone(), text.clone(), text.clone()]),
            ],
            Volatility::Immutable,
        ),
        DataType::List(Arc::new(Field::new("item", text, true))),
        Arc::new(make_scalar_function(split_rows, vec![])),
    )));
}

/// `regexp_split_to_array` over a batch of rows.
fn split_rows(args: &[ArrayRef]) -> Result<ArrayRef> {
    let mut lists = ListBuilder::new(StringBuilder::new());
    for_each_row(args, |row| {
        let Some((text, regex, global)) = row else {
            lists.append_null();
            return Ok(());
        };
        if global {
            return exec_err!("regexp_split_to_array() does not support the \"global\" option");
        }
        for piece in split(regex, text) {
            lists.values().append_value(piece);
        }
        lists.append(true);
        Ok(())
    })?;
    Ok(Arc::new(lists.finish()))
}

/// Calls `each` with every row of `args` (a text, a pattern and optional flags): the text, the
/// pattern compiled with the flags and whether they hold `g`; `None` for a row with a NULL. A
/// pattern is compiled once for the rows that repeat it.
pub(super) fn for_each_row(
    args: &[ArrayRef],
    mut each: impl FnMut(Option<(&str, &Regex, bool)>) -> Result<()>,
) -> Result<()> {
    let arrays = args
        .iter()
        .map(|a| Ok(cast(a, &DataType::Utf8)?))
        .collect::<Result<Vec<ArrayRef>>>()?;
    let strings = arrays
        .iter()
        .map(|a| as_string_array(a))
        .collect::<Result<Vec<_>>>()?;
    let mut compiled = Compiled::default();
    for row in 0..arrays[0].len() {
        let value = |i: usize| {
            strings
                .get(i)
                .map(|s| s.is_valid(row).then(|| s.value(row)))
        };
        let flags = match value(2) {
            Some(None) => None,
            Some(Some(flags)) => Some(flags),
            None => Some(""),
        };
        let (Some(Some(text)), Some(Some(pattern)), Some(flags)) = (value(0), value(1), flags)
        else {
            each(None)?;
            continue;
        };
        let (regex, global) = compiled.get(pattern, flags)?;
        each(Some((text, regex, global)))?;
    }
    Ok(())
}

/// The last pattern a function compiled, with its flags: rows that repeat a pattern compile it
/// once.
#[derive(Default)]
pub(super) struct Compiled(Option<(String, String, Regex, bool)>);

impl Compiled {
    /// `pattern` compiled with `flags` ([`regex_with_flags`]), and whether they hold `g`.
    pub(super) fn get(&mut self, pattern: &str, flags: &str) -> Result<(&Regex, bool)> {
        if !matches!(&self.0, Some((p, f, ..)) if p == pattern && f == flags) {
            let (regex, global) = regex_with_flags(pattern, flags)?;
            self.0 = Some((pattern.into(), flags.into(), regex, global));
        }
        let (_, _, regex, global) = self.0.as_ref().expect("compiled above");
        Ok((regex, *global))
    }
}

/// The pattern compiled with Postgres' flags `i` (regardless of case) and `c` (not), and whether
/// the flags hold `g` (every match).
pub(super) fn regex_with_flags(pattern: &str, flags: &str) -> Result<(Regex, bool)> {
    let mut builder = RegexBuilder::new(&super::regex_forms::rust_regex(pattern));
    let mut global = false;
    for flag in flags.chars() {
        match flag {
            'i' => builder.case_insensitive(true),
            'c' => builder.case_insensitive(false),
            'g' => {
                global = true;
                &mut builder
            }
            other => return exec_err!("invalid regular expression option: \"{other}\""),
        };
    }
    let regex = builder
        .build()
        .map_err(|e| DataFusionError::Execution(format!("invalid regular expression: {e}")))?;
    Ok((regex, global))
}

/// The pieces of `text` between the matches of `regex`, as Postgres splits it.
fn split<'t>(regex: &Regex, text: &'t str) -> Vec<&'t str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for found in regex.find_iter(text) {
        let empty = found.start() == found.end();
        if empty && (found.start() == 0 || found.start() == text.len() || found.start() == start) {
            continue;
        }
        pieces.push(&text[start..found.start()]);
        start = found.end();
    }
    pieces.push(&text[start..]);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_split_as_postgres_splits_them() {
        let cases = [
            ("hello world", "\\s+", "", vec!["hello", "world"]),
            ("a1b22c333d", "\\d+", "", vec!["a", "b", "c", "d"]),
            ("abc", "", "", vec!["a", "b", "c"]),
            ("a,B,c", "b", "i", vec!["a,", ",c"]),
            ("", ",", "", vec![""]),
        ];
        for (text, pattern, flags, pieces) in cases {
            assert_eq!(
                split(&regex_with_flags(pattern, flags).unwrap().0, text),
                pieces,
                "{text}"
            );
        }
    }
}
