//! Where in a statement's text an error points. Postgres reports it as a 1-based character
//! position, from which psql draws its `LINE 1: … ^` marker; Hangar's errors carry what to look
//! for, and the frontend, which has the text, turns it into the position.

use datafusion::sql::sqlparser::tokenizer::Span;

/// What an error points at in the statement's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// Nothing: Postgres gives no position for this error.
    Nowhere,
    /// A place the parser recorded, as a 1-based line and column.
    At {
        /// The line, from 1.
        line: u64,
        /// The column, from 1.
        column: u64,
    },
    /// A character position, from 1.
    Char(usize),
    /// The first place a word stands as a token of its own (case-insensitive).
    Word(String),
    /// The first string literal of this text (`'1 fortnight'` for `1 fortnight`).
    Literal(String),
    /// The first string literal whose text holds this (`'2024-01-01 Nowhere/Land'` for
    /// `Nowhere/Land`).
    InLiteral(String),
    /// The first token after the first place a phrase stands (`5` after `GROUP BY`).
    After(&'static str),
    /// The first place an operator's symbol stands outside literals and quoted names.
    Operator(String),
}

impl Anchor {
    /// The anchor of a node's span, when the parser recorded one (nodes Hangar's rewrites build
    /// have none).
    pub(crate) fn of_span(span: Span) -> Anchor {
        match span.start.line {
            0 => Anchor::Nowhere,
            line => Anchor::At {
                line,
                column: span.start.column,
            },
        }
    }

    /// The 1-based character position in `sql` this anchor points at, if it is found there.
    pub(crate) fn position(&self, sql: &str) -> Option<usize> {
        match self {
            Anchor::Nowhere => None,
            Anchor::At { line, column } => char_position(sql, *line as usize, *column as usize),
            Anchor::Char(position) => Some(*position),
            Anchor::Word(word) => find_word(sql, word),
            Anchor::Literal(text) => find_text(sql, &format!("'{text}'")),
            Anchor::InLiteral(text) => find_in_literal(sql, text),
            Anchor::After(phrase) => after(sql, phrase),
            Anchor::Operator(symbol) => find_operator(sql, symbol),
        }
    }
}

/// The character offset (from 1) of a 1-based line and column of `sql`.
pub(crate) fn char_position(sql: &str, line: usize, column: usize) -> Option<usize> {
    let before: usize = sql
        .split('\n')
        .take(line.checked_sub(1)?)
        .map(|l| l.chars().count() + 1)
        .sum();
    Some(before + column)
}

/// The 1-based character position of the first occurrence of `text` in `sql`.
pub(crate) fn find_text(sql: &str, text: &str) -> Option<usize> {
    let at = sql.find(text)?;
    Some(sql[..at].chars().count() + 1)
}

/// The 1-based character position of the first place `word` stands in `sql` as a token of its
/// own (case-insensitive; a quoted identifier as quoted).
pub(crate) fn find_word(sql: &str, word: &str) -> Option<usize> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    let lower = sql.to_lowercase();
    let quoted = format!("\"{word}\"");
    if word.chars().any(char::is_uppercase)
        && let Some(at) = find_text(sql, &quoted)
    {
        return Some(at);
    }
    let needle = word.to_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(&needle) {
        let start = from + found;
        let end = start + needle.len();
        let before = lower[..start].chars().next_back();
        let after = lower[end..].chars().next();
        let alone = |c: Option<char>| !c.is_some_and(is_ident) || !needle.starts_with(is_ident);
        if alone(before) && (!after.is_some_and(is_ident) || !needle.ends_with(is_ident)) {
            return Some(lower[..start].chars().count() + 1);
        }
        from = end;
    }
    None
}

/// The position of the opening quote of the first string literal of `sql` that holds `text`.
fn find_in_literal(sql: &str, text: &str) -> Option<usize> {
    let at = sql.find(text)?;
    let quote = sql[..at].rfind('\'')?;
    Some(sql[..quote].chars().count() + 1)
}

/// The position of the first token after the first place `phrase` stands (case-insensitive,
/// any run of spaces matching one).
fn after(sql: &str, phrase: &str) -> Option<usize> {
    let words: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
    let lower = sql.to_lowercase();
    let (first, rest) = words.split_first()?;
    let mut from = 0;
    while let Some(found) = lower[from..].find(first.as_str()) {
        let mut end = from + found + first.len();
        let matched = rest.iter().all(|word| {
            let skipped = lower[end..].len() - lower[end..].trim_start().len();
            let ok = skipped > 0 && lower[end + skipped..].starts_with(word.as_str());
            end += skipped + word.len();
            ok
        });
        if matched {
            let skipped = lower[end..].len() - lower[end..].trim_start().len();
            return Some(lower[..end + skipped].chars().count() + 1);
        }
        from += found + first.len();
    }
    None
}

/// The position of the first place `symbol` stands outside string literals and quoted names,
/// not as part of a longer operator (`-` in `->`).
fn find_operator(sql: &str, symbol: &str) -> Option<usize> {
    const OPERATOR: &str = "+-*/<>=~!@#%^&|`?";
    let mut quote: Option<char> = None;
    for (at, c) in sql.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if sql[at..].starts_with(symbol) => {
                let before = sql[..at].chars().next_back();
                let after = sql[at + symbol.len()..].chars().next();
                let longer = |c: Option<char>| c.is_some_and(|c| OPERATOR.contains(c));
                if !longer(before) && !longer(after) {
                    return Some(sql[..at].chars().count() + 1);
                }
            }
            None => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_find_their_place() {
        let at = |anchor: Anchor, sql: &str| anchor.position(sql);
        assert_eq!(
            at(Anchor::Word("n_name".into()), "SELECT n_names, n_name"),
            Some(17)
        );
        assert_eq!(
            at(
                Anchor::Literal("1 fortnight".into()),
                "SELECT '1 fortnight'::interval"
            ),
            Some(8)
        );
        assert_eq!(at(Anchor::Literal("x".into()), "SELECT '{\"x\": 1}'"), None);
        assert_eq!(
            at(Anchor::InLiteral("Mars".into()), "SELECT 1, '00:00 Mars'"),
            Some(11)
        );
        assert_eq!(
            at(Anchor::After("group by"), "SELECT a FROM t GROUP  BY 5"),
            Some(27)
        );
        assert_eq!(
            at(Anchor::Operator("+".into()), "SELECT '+'::text + 1"),
            Some(18)
        );
        assert_eq!(
            at(Anchor::Operator("-".into()), "SELECT j -> 'a' - 1"),
            Some(17)
        );
        assert_eq!(at(Anchor::At { line: 2, column: 3 }, "ab\ncdef"), Some(6));
        assert_eq!(at(Anchor::Nowhere, "SELECT 1"), None);
    }
}
