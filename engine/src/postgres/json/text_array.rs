//! `text[]` arguments of the JSON functions and operators (`#> '{a,b,1}'`, `json_object('{a, 1}')`,
//! `- '{a,c}'::text[]`): an array's elements, or a Postgres array literal's.

use datafusion::arrow::array::Array;
use datafusion::common::{Result, ScalarValue};

use super::text_of;
use crate::Error;

/// An array's elements (NULL as `None`), and its dimensions' lengths: one for a flat array, two
/// for an array of pairs.
pub(crate) type Elements = (Vec<Option<String>>, Vec<usize>);

/// The elements of a `text[]` argument; `None` for NULL.
pub(crate) fn elements(value: &ScalarValue) -> Result<Option<Elements>> {
    if value.is_null() {
        return Ok(None);
    }
    let list = match value {
        ScalarValue::List(list) => Some(list.value(0)),
        ScalarValue::LargeList(list) => Some(list.value(0)),
        ScalarValue::FixedSizeList(list) => Some(list.value(0)),
        _ => None,
    };
    if let Some(items) = list {
        let mut out = Vec::with_capacity(items.len());
        let mut inner = None;
        for i in 0..items.len() {
            let item = ScalarValue::try_from_array(&items, i)?;
            let nested = match item {
                ScalarValue::List(_)
                | ScalarValue::LargeList(_)
                | ScalarValue::FixedSizeList(_) => elements(&item)?,
                _ => None,
            };
            if let Some((nested, _)) = nested {
                inner = Some(nested.len());
                out.extend(nested);
            } else {
                out.push(text_of(&item));
            }
        }
        let dims = match inner {
            Some(width) => vec![items.len(), width],
            None => vec![items.len()],
        };
        return Ok(Some((out, dims)));
    }
    let text = text_of(value).unwrap_or_default();
    parse_literal(&text).map(Some).ok_or_else(|| {
        Error::InvalidText(format!("malformed array literal: \"{text}\"")).into_datafusion()
    })
}

/// A Postgres array literal's elements (`{a, "b c", NULL}`, `{{a,1},{b,2}}`) and dimensions.
pub(crate) fn parse_literal(text: &str) -> Option<Elements> {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut at = 0;
    let mut items = Vec::new();
    let mut dims = Vec::new();
    parse_level(&chars, &mut at, 0, &mut items, &mut dims)?;
    let dims = dims.into_iter().collect::<Option<Vec<usize>>>()?;
    (at == chars.len()).then_some((items, dims))
}

/// One `{…}` level at `at`: its elements appended to `items`, its length recorded in `dims`.
fn parse_level(
    chars: &[char],
    at: &mut usize,
    depth: usize,
    items: &mut Vec<Option<String>>,
    dims: &mut Vec<Option<usize>>,
) -> Option<()> {
    let skip = |at: &mut usize| {
        while chars.get(*at).is_some_and(|c| c.is_whitespace()) {
            *at += 1;
        }
    };
    skip(at);
    if chars.get(*at) != Some(&'{') {
        return None;
    }
    *at += 1;
    let mut count = 0;
    skip(at);
    if chars.get(*at) == Some(&'}') {
        *at += 1;
        record(dims, depth, 0)?;
        return Some(());
    }
    loop {
        skip(at);
        match chars.get(*at)? {
            '{' => parse_level(chars, at, depth + 1, items, dims)?,
            '"' => {
                *at += 1;
                let mut item = String::new();
                loop {
                    match chars.get(*at)? {
                        '"' => break,
                        '\\' => {
                            *at += 1;
                            item.push(*chars.get(*at)?);
                        }
                        c => item.push(*c),
                    }
                    *at += 1;
                }
                *at += 1;
                items.push(Some(item));
            }
            _ => {
                let mut item = String::new();
                while let Some(&c) = chars.get(*at) {
                    if c == ',' || c == '}' {
                        break;
                    }
                    if c == '\\' {
                        *at += 1;
                        item.push(*chars.get(*at)?);
                    } else {
                        item.push(c);
                    }
                    *at += 1;
                }
                let item = item.trim_end().to_string();
                items.push((!item.eq_ignore_ascii_case("null")).then_some(item));
            }
        }
        count += 1;
        skip(at);
        match chars.get(*at)? {
            ',' => *at += 1,
            '}' => {
                *at += 1;
                return record(dims, depth, count);
            }
            _ => return None,
        }
    }
}

/// Records that a level at `depth` has `count` elements; every level alike must agree.
fn record(dims: &mut Vec<Option<usize>>, depth: usize, count: usize) -> Option<()> {
    if dims.len() <= depth {
        dims.resize(depth + 1, None);
    }
    match dims[depth] {
        Some(known) if known != count => None,
        _ => {
            dims[depth] = Some(count);
            Some(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_as_postgres_reads_them() {
        let s = |t: &str| Some(t.to_string());
        assert_eq!(
            parse_literal(r#"{a, 1, b, "def", c, 3.5}"#),
            Some((
                vec![s("a"), s("1"), s("b"), s("def"), s("c"), s("3.5")],
                vec![6]
            ))
        );
        assert_eq!(
            parse_literal("{{a, 1}, {b, NULL}}"),
            Some((vec![s("a"), s("1"), s("b"), None], vec![2, 2]))
        );
        assert_eq!(parse_literal("{}"), Some((vec![], vec![0])));
        assert_eq!(parse_literal("{a,b"), None);
        assert_eq!(parse_literal("{{a},{b,c}}"), None);
    }
}
