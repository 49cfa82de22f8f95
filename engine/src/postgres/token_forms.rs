//! Postgres' forms that the SQL parser does not read, rewritten in the statement's text before it
//! is parsed:
//! - a window frame's offset written as a cast, `RANGE BETWEEN '2 days'::interval PRECEDING` (the
//!   parser reads only a literal there), as the interval literal it stands for, `INTERVAL '2 days'
//!   PRECEDING`;
//! - the postfix operators `x ISNULL` and `x NOTNULL`, as `x IS NULL` and `x IS NOT NULL`;
//! - `x BETWEEN SYMMETRIC a AND b`, whose low bound is marked as `x BETWEEN
//!   hangar_symmetric(a) AND b` for [`super::operator_forms`] to write as the comparisons it
//!   stands for;
//! - `substring(x SIMILAR pattern ESCAPE e)`, as its older form `substring(x FROM pattern FOR
//!   e)`, which [`super::regex_forms`] writes as the match it stands for;
//! - `trim(LEADING FROM s [, characters])` (and `TRAILING`, `BOTH`), as the function it stands
//!   for, `ltrim(s [, characters])` (`rtrim`, `btrim`), which Postgres names its column after;
//! - `TABLE name` as a query, as `SELECT * FROM name`;
//! - `GROUP BY ALL …` as `GROUP BY …`, and `GROUP BY DISTINCT …` as `GROUP BY
//!   hangar_distinct_sets(), …`, a mark for [`super::grouping_sets`] to leave out the repeated
//!   grouping sets (the parser read `GROUP BY ALL` as DuckDB's grouping by every column).
//!
//! The text is rewritten token by token, so that quoted text and comments are left alone, and
//! only when it holds such a form.

use std::borrow::Cow;

use datafusion::sql::sqlparser::dialect::PostgreSqlDialect;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

/// `sql` with these forms written as the parser reads them.
pub(crate) fn rewrite_token_forms(sql: &str) -> Cow<'_, str> {
    // Cheap test first: most statements have none of them.
    let holds = |form: &str| {
        sql.as_bytes()
            .windows(form.len())
            .any(|w| w.eq_ignore_ascii_case(form.as_bytes()))
    };
    if ![
        "::interval",
        "isnull",
        "notnull",
        "symmetric",
        "similar",
        "trim",
        "table",
        "group",
    ]
    .into_iter()
    .any(holds)
    {
        return Cow::Borrowed(sql);
    }
    let Ok(mut tokens) = Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize() else {
        return Cow::Borrowed(sql);
    };
    let mut changed = false;
    let mut i = 0;
    while i + 2 < tokens.len() {
        if let (Token::SingleQuotedString(text), Token::DoubleColon, Token::Word(word)) =
            (&tokens[i], &tokens[i + 1], &tokens[i + 2])
            && word.keyword == Keyword::INTERVAL
            && bounds_a_frame(&tokens[i + 3..])
        {
            let text = text.clone();
            tokens.splice(
                i..i + 3,
                [
                    Token::make_keyword("INTERVAL"),
                    Token::Whitespace(Whitespace::Space),
                    Token::SingleQuotedString(text),
                ],
            );
            changed = true;
        } else if let Token::Word(word) = &tokens[i]
            && word.keyword == Keyword::SYMMETRIC
            && matches!(previous_token(&tokens[..i]),
                Some(Token::Word(w)) if w.keyword == Keyword::BETWEEN)
            && let Some(and) = top_level_keyword(&tokens[i + 1..], Keyword::AND)
        {
            tokens.insert(i + 1 + and, Token::RParen);
            tokens.splice(
                i..=i,
                [Token::make_word(SYMMETRIC_MARK, None), Token::LParen],
            );
            changed = true;
        } else if let Some(function) = trim_function(&tokens[i..]) {
            // `trim`, `(`, the side and `FROM`, with the spaces between them.
            let end = i
                + 1
                + tokens[i + 1..]
                    .iter()
                    .position(|t| matches!(t, Token::Word(w) if w.keyword == Keyword::FROM))
                    .expect("found by trim_function");
            tokens.splice(i..=end, [Token::make_word(function, None), Token::LParen]);
            changed = true;
        } else if let Token::Word(word) = &tokens[i]
            && word.keyword == Keyword::TABLE
            && starts_a_query(&tokens[..i])
            && matches!(next_token(&tokens[i + 1..]), Some(Token::Word(_)))
        {
            tokens.splice(
                i..=i,
                [
                    Token::make_keyword("SELECT"),
                    Token::Whitespace(Whitespace::Space),
                    Token::Mul,
                    Token::Whitespace(Whitespace::Space),
                    Token::make_keyword("FROM"),
                ],
            );
            changed = true;
        } else if let Token::Word(word) = &tokens[i]
            && word.keyword == Keyword::SIMILAR
            && in_substring(&tokens[..i])
            && let Some(escape) = top_level_keyword(&tokens[i + 1..], Keyword::ESCAPE)
        {
            tokens[i] = Token::make_keyword("FROM");
            tokens[i + 1 + escape] = Token::make_keyword("FOR");
            changed = true;
        } else if let Token::Word(word) = &tokens[i]
            && matches!(word.keyword, Keyword::ALL | Keyword::DISTINCT)
            && follows_group_by(&tokens[..i])
            && lists_groups(&tokens[i + 1..])
        {
            if word.keyword == Keyword::ALL {
                tokens[i] = Token::Whitespace(Whitespace::Space);
            } else {
                let mark = Token::make_word(DISTINCT_SETS_MARK, None);
                tokens.splice(i..=i, [mark, Token::LParen, Token::RParen, Token::Comma]);
            }
            changed = true;
        } else if let Token::Word(word) = &tokens[i]
            && word.quote_style.is_none()
            && !next_is_parenthesis(&tokens[i + 1..])
        {
            let replacement: &[&str] = match word.value.to_ascii_lowercase().as_str() {
                "isnull" => &["IS", "NULL"],
                "notnull" => &["IS", "NOT", "NULL"],
                _ => &[],
            };
            if !replacement.is_empty() {
                let words = replacement.iter().enumerate().flat_map(|(k, w)| {
                    let space = (k > 0).then_some(Token::Whitespace(Whitespace::Space));
                    space.into_iter().chain([Token::make_keyword(w)])
                });
                let words: Vec<Token> = words.collect();
                let count = words.len();
                tokens.splice(i..=i, words);
                i += count - 1;
                changed = true;
            }
        }
        i += 1;
    }
    if !changed {
        return Cow::Borrowed(sql);
    }
    Cow::Owned(tokens.iter().map(ToString::to_string).collect())
}

/// The function that marks a `BETWEEN SYMMETRIC`'s low bound.
pub(crate) const SYMMETRIC_MARK: &str = "hangar_symmetric";

/// The function that marks a `GROUP BY DISTINCT`.
pub(crate) const DISTINCT_SETS_MARK: &str = "hangar_distinct_sets";

/// Whether the tokens `before` end with `GROUP BY`.
fn follows_group_by(before: &[Token]) -> bool {
    let mut words = before
        .iter()
        .rev()
        .filter(|t| !matches!(t, Token::Whitespace(_)));
    matches!(words.next(), Some(Token::Word(w)) if w.keyword == Keyword::BY)
        && matches!(words.next(), Some(Token::Word(w)) if w.keyword == Keyword::GROUP)
}

/// Whether `rest` starts with a grouping element, not with the clause after `GROUP BY ALL`.
fn lists_groups(rest: &[Token]) -> bool {
    match next_token(rest) {
        Some(Token::LParen | Token::Number(..) | Token::SingleQuotedString(_)) => true,
        Some(Token::Word(w)) => !matches!(
            w.keyword,
            Keyword::ORDER
                | Keyword::HAVING
                | Keyword::LIMIT
                | Keyword::OFFSET
                | Keyword::WINDOW
                | Keyword::UNION
                | Keyword::EXCEPT
                | Keyword::INTERSECT
                | Keyword::FETCH
                | Keyword::QUALIFY
        ),
        _ => false,
    }
}

/// The position in `rest` of the first `keyword` outside parentheses and `CASE … END`: the
/// `AND` that ends a `BETWEEN SYMMETRIC`'s low bound, the `ESCAPE` of a `substring(… SIMILAR …)`.
fn top_level_keyword(rest: &[Token], keyword: Keyword) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in rest.iter().enumerate() {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.checked_sub(1)?,
            Token::Word(w) if w.keyword == Keyword::CASE => depth += 1,
            Token::Word(w) if w.keyword == Keyword::END => depth = depth.checked_sub(1)?,
            Token::Word(w) if w.keyword == keyword && depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// The first token of `rest` that is not whitespace.
fn next_token(rest: &[Token]) -> Option<&Token> {
    rest.iter().find(|t| !matches!(t, Token::Whitespace(_)))
}

/// The last token of `before` that is not whitespace.
fn previous_token(before: &[Token]) -> Option<&Token> {
    before.iter().rfind(|t| !matches!(t, Token::Whitespace(_)))
}

/// Whether a word after the tokens `before` starts a query: first in the statement, or after `(`
/// or a set operation.
fn starts_a_query(before: &[Token]) -> bool {
    match previous_token(before) {
        None | Some(Token::SemiColon | Token::LParen) => true,
        Some(Token::Word(w)) => matches!(
            w.keyword,
            Keyword::UNION
                | Keyword::EXCEPT
                | Keyword::INTERSECT
                | Keyword::ALL
                | Keyword::DISTINCT
        ),
        _ => false,
    }
}

/// The function `tokens`, which start with `trim(LEADING FROM` (or `TRAILING`, `BOTH`), stand
/// for.
fn trim_function(tokens: &[Token]) -> Option<&'static str> {
    let Some(Token::Word(word)) = tokens.first() else {
        return None;
    };
    if word.quote_style.is_some() || !word.value.eq_ignore_ascii_case("trim") {
        return None;
    }
    let mut rest = tokens[1..]
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)));
    let (Some(Token::LParen), Some(Token::Word(side)), Some(Token::Word(from))) =
        (rest.next(), rest.next(), rest.next())
    else {
        return None;
    };
    if from.keyword != Keyword::FROM {
        return None;
    }
    match side.keyword {
        Keyword::LEADING => Some("ltrim"),
        Keyword::TRAILING => Some("rtrim"),
        Keyword::BOTH => Some("btrim"),
        _ => None,
    }
}

/// Whether the tokens before a word, `before`, leave it directly inside `substring(`.
fn in_substring(before: &[Token]) -> bool {
    let mut depth = 0usize;
    for (i, token) in before.iter().enumerate().rev() {
        match token {
            Token::RParen => depth += 1,
            Token::LParen if depth > 0 => depth -= 1,
            Token::LParen => {
                return matches!(previous_token(&before[..i]),
                    Some(Token::Word(w)) if w.value.eq_ignore_ascii_case("substring"));
            }
            _ => {}
        }
    }
    false
}

/// Whether `rest` starts (past whitespace) with `(`: the word before it names a function.
fn next_is_parenthesis(rest: &[Token]) -> bool {
    matches!(next_token(rest), Some(Token::LParen))
}

/// Whether `rest`, the tokens after a value, start (past whitespace) with `PRECEDING` or
/// `FOLLOWING`: the value is a frame's offset.
fn bounds_a_frame(rest: &[Token]) -> bool {
    matches!(next_token(rest),
        Some(Token::Word(w)) if matches!(w.keyword, Keyword::PRECEDING | Keyword::FOLLOWING))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_offsets_become_interval_literals() {
        assert_eq!(
            rewrite_token_forms(
                "SELECT count(*) OVER (ORDER BY d RANGE BETWEEN '2 days'::interval PRECEDING \
                 AND '1 day'::INTERVAL FOLLOWING), '1 day'::interval FROM t"
            ),
            "SELECT count(*) OVER (ORDER BY d RANGE BETWEEN INTERVAL '2 days' PRECEDING \
             AND INTERVAL '1 day' FOLLOWING), '1 day'::interval FROM t"
        );
        let untouched = "SELECT '1 day'::interval, 'x::interval PRECEDING'";
        assert!(matches!(rewrite_token_forms(untouched), Cow::Borrowed(_)));
    }

    #[test]
    fn postfix_null_tests_become_is_null() {
        assert_eq!(
            rewrite_token_forms("SELECT x ISNULL, x notnull, 'isnull', \"isnull\" FROM t"),
            "SELECT x IS NULL, x IS NOT NULL, 'isnull', \"isnull\" FROM t"
        );
    }

    #[test]
    fn a_symmetric_low_bound_is_marked() {
        assert_eq!(
            rewrite_token_forms(
                "SELECT x NOT BETWEEN SYMMETRIC (a AND b) AND CASE WHEN c AND d THEN 1 END, \
                 y BETWEEN symmetric CASE WHEN p AND q THEN 2 END AND 3"
            ),
            "SELECT x NOT BETWEEN hangar_symmetric( (a AND b) )AND CASE WHEN c AND d THEN 1 END, \
             y BETWEEN hangar_symmetric( CASE WHEN p AND q THEN 2 END )AND 3"
        );
        let untouched = "SELECT 'between symmetric 1 and 2', symmetric FROM t";
        assert!(matches!(rewrite_token_forms(untouched), Cow::Borrowed(_)));
    }

    #[test]
    fn trims_from_a_side_and_table_queries_are_functions_and_selects() {
        assert_eq!(
            rewrite_token_forms(
                "SELECT trim(leading from ' a'), TRIM ( BOTH FROM 'xax', 'x'), trim(both 'x' from s)"
            ),
            "SELECT ltrim( ' a'), btrim( 'xax', 'x'), trim(both 'x' from s)"
        );
        assert_eq!(
            rewrite_token_forms("TABLE region; SELECT 1 UNION ALL (TABLE nation)"),
            "SELECT * FROM region; SELECT 1 UNION ALL (SELECT * FROM nation)"
        );
        let untouched = "CREATE TABLE t (x int); DROP TABLE t";
        assert!(matches!(rewrite_token_forms(untouched), Cow::Borrowed(_)));
    }

    #[test]
    fn group_by_all_and_distinct_are_marked() {
        assert_eq!(
            rewrite_token_forms("SELECT a FROM t GROUP BY ALL ROLLUP (a), b"),
            "SELECT a FROM t GROUP BY   ROLLUP (a), b"
        );
        assert_eq!(
            rewrite_token_forms("SELECT a FROM t GROUP BY DISTINCT ROLLUP (a)"),
            "SELECT a FROM t GROUP BY hangar_distinct_sets(), ROLLUP (a)"
        );
        let duckdb = "SELECT a, count(*) FROM t GROUP BY ALL ORDER BY a";
        assert_eq!(rewrite_token_forms(duckdb), duckdb);
    }

    #[test]
    fn a_similar_substring_takes_the_older_form() {
        assert_eq!(
            rewrite_token_forms("SELECT substring(lower(s) similar '#\"o#\"%' escape '#') FROM t"),
            "SELECT substring(lower(s) FROM '#\"o#\"%' FOR '#') FROM t"
        );
        let untouched = "SELECT s SIMILAR TO 'a' ESCAPE '#' FROM t";
        assert!(matches!(rewrite_token_forms(untouched), Cow::Borrowed(_)));
    }
}
