//! Postgres' regular-expression functions that count matches from a position, which DataFusion
//! lacks or reads otherwise (its `regexp_instr` took a fifth argument for flags):
//! - `regexp_instr(text, pattern [, start [, n [, endoption [, flags [, subexpr]]]]])`: where the
//!   `n`th match at or after character `start` begins (or, with `endoption` 1, the character after
//!   it ends), of the whole match or of its `subexpr`th parenthesized part; 0 for none;
//! - `regexp_substr(text, pattern [, start [, n [, flags [, subexpr]]]])`: the text of that match
//!   or part; NULL for none;
//! - `regexp_replace(text, pattern, replacement, start [, n [, flags]])`: the `n`th match at or
//!   after `start` replaced (every one for `n` 0 or the flag `g`), `\1`…`\9` in the replacement
//!   standing for the parts and `\&` for the whole match. DataFusion's `regexp_replace` keeps the
//!   forms without a start; the rewrite of [`super::regex_forms`] calls this one,
//!   `hangar_regexp_replace`, for those with one.
//!
//! Matches are counted as Postgres counts them: one after another, an empty match moving on by a
//! character. Positions are characters, from 1.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Builder, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{Result, exec_err};
use datafusion::functions::utils::make_scalar_function;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;
use regex::{Captures, Regex};

use super::regex_split::Compiled;

/// Registers `regexp_instr`, `regexp_substr` and `hangar_regexp_replace` in the template every
/// session is cloned from, in place of DataFusion's `regexp_instr`.
pub(crate) fn install(ctx: &SessionContext) {
    for kind in [Kind::Instr, Kind::Substr, Kind::Replace] {
        ctx.register_udf(ScalarUDF::new_from_impl(Positional {
            kind,
            signature: Signature::variadic_any(Volatility::Immutable),
        }));
    }
}

/// Which function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Instr,
    Substr,
    Replace,
}

impl Kind {
    /// The arguments, in order, after the text and the pattern.
    fn parameters(self) -> &'static [Parameter] {
        use Parameter::*;
        match self {
            Kind::Instr => &[Start, N, EndOption, Flags, Subexpr],
            Kind::Substr => &[Start, N, Flags, Subexpr],
            Kind::Replace => &[Replacement, Start, N, Flags],
        }
    }

    /// How many arguments the function must have at least.
    fn required(self) -> usize {
        match self {
            Kind::Replace => 4,
            _ => 2,
        }
    }
}

/// An argument after the text and the pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parameter {
    Replacement,
    Start,
    N,
    EndOption,
    Flags,
    Subexpr,
}

impl Parameter {
    /// Whether it is text (the rest are integers).
    fn is_text(self) -> bool {
        matches!(self, Parameter::Replacement | Parameter::Flags)
    }
}

/// `regexp_instr`, `regexp_substr` or `hangar_regexp_replace`; see the module.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Positional {
    kind: Kind,
    signature: Signature,
}

impl ScalarUDFImpl for Positional {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Instr => "regexp_instr",
            Kind::Substr => "regexp_substr",
            Kind::Replace => "hangar_regexp_replace",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        let most = 2 + self.kind.parameters().len();
        if args.len() < self.kind.required() || args.len() > most {
            return exec_err!(
                "function {}() takes from {} to {most} arguments",
                self.name(),
                self.kind.required()
            );
        }
        Ok(match self.kind {
            Kind::Instr => DataType::Int32,
            _ => DataType::Utf8,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let kind = self.kind;
        make_scalar_function(move |args: &[ArrayRef]| evaluate(kind, args), vec![])(&args.args)
    }
}

/// One row's arguments after the text and the pattern, with Postgres' defaults.
struct Options<'a> {
    replacement: &'a str,
    start: i64,
    n: Option<i64>,
    end_option: i64,
    flags: &'a str,
    subexpr: i64,
}

/// The function over each row.
fn evaluate(kind: Kind, args: &[ArrayRef]) -> Result<ArrayRef> {
    let rows = args[0].len();
    let parameters = kind.parameters();
    // Each argument as text or as an integer, as its parameter takes it.
    let arrays = args
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let text = i < 2 || parameters[i - 2].is_text();
            cast(
                a,
                if text {
                    &DataType::Utf8
                } else {
                    &DataType::Int64
                },
            )
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut positions = Int32Builder::with_capacity(rows);
    let mut strings = StringBuilder::with_capacity(rows, 0);
    let mut compiled = Compiled::default();
    for row in 0..rows {
        if arrays.iter().any(|a| a.is_null(row)) {
            positions.append_null();
            strings.append_null();
            continue;
        }
        let text_at = |i: usize| arrays[i].as_string::<i32>().value(row);
        let mut options = Options {
            replacement: "",
            start: 1,
            n: None,
            end_option: 0,
            flags: "",
            subexpr: 0,
        };
        for (i, parameter) in parameters.iter().enumerate() {
            let Some(array) = arrays.get(i + 2) else {
                break;
            };
            let integer = || array.as_primitive::<Int64Type>().value(row);
            match parameter {
                Parameter::Replacement => options.replacement = text_at(i + 2),
                Parameter::Flags => options.flags = text_at(i + 2),
                Parameter::Start => options.start = integer(),
                Parameter::N => options.n = Some(integer()),
                Parameter::EndOption => options.end_option = integer(),
                Parameter::Subexpr => options.subexpr = integer(),
            }
        }
        let (regex, global) = compiled.get(text_at(1), options.flags)?;
        let text = text_at(0);
        match kind {
            Kind::Instr => positions.append_value(instr(regex, text, global, &options)?),
            Kind::Substr => strings.append_option(substr(regex, text, global, &options)?),
            Kind::Replace => strings.append_value(replace(regex, text, global, &options)?),
        }
    }
    Ok(match kind {
        Kind::Instr => Arc::new(positions.finish()),
        _ => Arc::new(strings.finish()),
    })
}

/// Postgres' error for an argument out of its range.
fn check(name: &str, value: i64, valid: bool) -> Result<()> {
    if valid {
        Ok(())
    } else {
        exec_err!("invalid value for parameter \"{name}\": {value}")
    }
}

/// `regexp_instr`'s answer for one row.
fn instr(regex: &Regex, text: &str, global: bool, options: &Options) -> Result<i32> {
    check(
        "endoption",
        options.end_option,
        matches!(options.end_option, 0 | 1),
    )?;
    let Some(part) = nth_part(regex, text, global, options, "regexp_instr")? else {
        return Ok(0);
    };
    let byte = if options.end_option == 1 {
        part.end()
    } else {
        part.start()
    };
    Ok((text[..byte].chars().count() + 1) as i32)
}

/// `regexp_substr`'s answer for one row.
fn substr(regex: &Regex, text: &str, global: bool, options: &Options) -> Result<Option<String>> {
    let part = nth_part(regex, text, global, options, "regexp_substr")?;
    Ok(part.map(|p| p.as_str().to_string()))
}

/// The `subexpr`th part of the `n`th match (the whole match for 0), if there are that many.
fn nth_part<'t>(
    regex: &Regex,
    text: &'t str,
    global: bool,
    options: &Options,
    function: &str,
) -> Result<Option<regex::Match<'t>>> {
    if global {
        return exec_err!("{function}() does not support the \"global\" option");
    }
    let n = options.n.unwrap_or(1);
    check("n", n, n > 0)?;
    check("subexpr", options.subexpr, options.subexpr >= 0)?;
    let found = matches_from(regex, text, options.start)?.nth((n - 1) as usize);
    Ok(found.and_then(|c| c.get(options.subexpr as usize)))
}

/// `regexp_replace`'s answer for one row.
fn replace(regex: &Regex, text: &str, global: bool, options: &Options) -> Result<String> {
    let n = options.n.unwrap_or(if global { 0 } else { 1 });
    check("n", n, n >= 0)?;
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (i, found) in matches_from(regex, text, options.start)?.enumerate() {
        if n != 0 && i as i64 + 1 != n {
            continue;
        }
        let whole = found.get(0).expect("a match");
        out.push_str(&text[copied..whole.start()]);
        expand(options.replacement, &found, &mut out);
        copied = whole.end();
        if n != 0 {
            break;
        }
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

/// The matches of `regex` in `text` at or after character `start`, one after another.
fn matches_from<'r, 't>(
    regex: &'r Regex,
    text: &'t str,
    start: i64,
) -> Result<impl Iterator<Item = Captures<'t>> + use<'r, 't>> {
    check("start", start, start > 0)?;
    let mut at = text
        .char_indices()
        .nth((start - 1) as usize)
        .map(|(byte, _)| byte);
    Ok(std::iter::from_fn(move || {
        let found = regex.captures_at(text, at?)?;
        let whole = found.get(0).expect("a match");
        at = if whole.is_empty() {
            // An empty match: the next search starts a character on.
            text[whole.end()..]
                .chars()
                .next()
                .map(|c| whole.end() + c.len_utf8())
        } else {
            Some(whole.end())
        };
        Some(found)
    }))
}

/// `replacement` with `\1`…`\9` written as the match's parts, `\&` as the whole match and `\\` as
/// a backslash, appended to `out`.
fn expand(replacement: &str, found: &Captures, out: &mut String) {
    let mut chars = replacement.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('&') => out.push_str(&found[0]),
            Some(d @ '1'..='9') => {
                let part = found.get(d as usize - '0' as usize);
                out.push_str(part.map_or("", |p| p.as_str()));
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(start: i64, n: Option<i64>) -> Options<'static> {
        Options {
            replacement: "<\\&\\1>",
            start,
            n,
            end_option: 0,
            flags: "",
            subexpr: 0,
        }
    }

    #[test]
    fn matches_are_counted_from_the_start_position() {
        let regex = Regex::new("a(.)").unwrap();
        assert_eq!(
            replace(&regex, "xaxayaz", false, &options(3, None)).unwrap(),
            "xax<ayy>az"
        );
        assert_eq!(
            replace(&regex, "xaxayaz", false, &options(1, Some(0))).unwrap(),
            "x<axx><ayy><azz>"
        );
        assert_eq!(
            instr(&regex, "éaxay", false, &options(1, Some(2))).unwrap(),
            4
        );
        assert_eq!(
            substr(&regex, "éaxay", false, &options(5, None)).unwrap(),
            None
        );
        assert!(instr(&regex, "x", false, &options(0, None)).is_err());
    }
}
