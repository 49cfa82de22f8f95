//! JSON text: parsed as Postgres' JSON parser reads it, and printed in each of the forms Postgres
//! prints it in.
//!
//! A parsed value keeps the text each of its parts was written as ([`Json::raw`]): a `json` value
//! is its text, and `->` on a `json` answers the member as it was written (`{"a" :  3}`), where a
//! `jsonb` value is printed anew, in its canonical form ([`Json::jsonb_text`]): keys sorted by
//! length then bytes, the last of duplicate keys kept, numbers as `numeric` prints them.

use std::cmp::Ordering;
use std::fmt::Write;

/// A JSON value and the text it was written as (empty for values built by a function).
#[derive(Debug, Clone)]
pub(crate) struct Json<'a> {
    /// The value's text as written, without surrounding white space.
    pub(crate) raw: &'a str,
    pub(crate) value: Value<'a>,
}

/// The value of a [`Json`].
#[derive(Debug, Clone)]
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    /// A number as written (`1.50`, `1e3`).
    Number(String),
    /// A string, its escapes decoded.
    String(String),
    Array(Vec<Json<'a>>),
    /// Members in the order written, duplicates included.
    Object(Vec<(String, Json<'a>)>),
}

/// Why a text is not JSON: Postgres' detail line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError(pub(crate) String);

impl<'a> Json<'a> {
    /// A value built by a function rather than parsed.
    pub(crate) fn built(value: Value<'a>) -> Self {
        Json { raw: "", value }
    }

    /// Parses `text` as one JSON value, with white space around it.
    pub(crate) fn parse(text: &'a str) -> Result<Self, SyntaxError> {
        let mut parser = Parser { text, at: 0 };
        parser.skip_space();
        let value = parser.value(0)?;
        parser.skip_space();
        if parser.at < text.len() {
            return Err(parser.unexpected());
        }
        Ok(value)
    }

    /// Postgres' name of the value's type, as `json_typeof` answers.
    pub(crate) fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// The value as a `jsonb` prints it: `{"a": 1, "b": [1, 2]}`.
    pub(crate) fn jsonb_text(&self) -> String {
        let mut out = String::new();
        self.write_jsonb(&mut out, None, 0);
        out
    }

    /// The value as `jsonb_pretty` prints it: one member per line, indented by four spaces.
    pub(crate) fn pretty_text(&self) -> String {
        let mut out = String::new();
        self.write_jsonb(&mut out, Some(4), 0);
        out
    }

    /// The value without white space, as Postgres' `json` functions that rebuild a value print it
    /// (`json_strip_nulls`): `{"a":1,"b":[1,2]}`; numbers as written.
    pub(crate) fn compact_text(&self) -> String {
        let mut out = String::new();
        self.write_compact(&mut out);
        out
    }

    /// The value as a `json` value: its text as written, or compact when built.
    pub(crate) fn json_text(&self) -> String {
        if self.raw.is_empty() {
            self.compact_text()
        } else {
            self.raw.to_string()
        }
    }

    /// The value as `->>` answers it: a string's contents, `NULL` for `null`, else its text.
    pub(crate) fn as_text(&self, jsonb: bool) -> Option<String> {
        match &self.value {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            _ if jsonb => Some(self.jsonb_text()),
            _ => Some(self.json_text()),
        }
    }

    /// The members of an object as `jsonb` has them: sorted by key length then bytes, the last
    /// of duplicates kept.
    pub(crate) fn jsonb_members(members: &[(String, Json<'a>)]) -> Vec<(String, Json<'a>)> {
        let mut sorted: Vec<(String, Json<'a>)> = Vec::with_capacity(members.len());
        for (key, value) in members {
            match sorted.binary_search_by(|(k, _)| jsonb_key_order(k, key)) {
                Ok(at) => sorted[at].1 = value.clone(),
                Err(at) => sorted.insert(at, (key.clone(), value.clone())),
            }
        }
        sorted
    }

    fn write_jsonb(&self, out: &mut String, indent: Option<usize>, level: usize) {
        let newline = |out: &mut String, level: usize| {
            if let Some(width) = indent {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', width * level));
            }
        };
        match &self.value {
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(if indent.is_some() { "," } else { ", " });
                    }
                    newline(out, level + 1);
                    item.write_jsonb(out, indent, level + 1);
                }
                newline(out, level);
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (key, value)) in Self::jsonb_members(members).iter().enumerate() {
                    if i > 0 {
                        out.push_str(if indent.is_some() { "," } else { ", " });
                    }
                    newline(out, level + 1);
                    write_string(out, key);
                    out.push_str(": ");
                    value.write_jsonb(out, indent, level + 1);
                }
                newline(out, level);
                out.push('}');
            }
            Value::Number(n) => out.push_str(&numeric_text(n)),
            _ => self.write_scalar(out),
        }
    }

    fn write_compact(&self, out: &mut String) {
        match &self.value {
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_compact(out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, key);
                    out.push(':');
                    value.write_compact(out);
                }
                out.push('}');
            }
            Value::Number(n) => out.push_str(n),
            _ => self.write_scalar(out),
        }
    }

    fn write_scalar(&self, out: &mut String) {
        match &self.value {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::String(s) => write_string(out, s),
            Value::Number(n) => out.push_str(n),
            Value::Array(_) | Value::Object(_) => unreachable!("containers are written above"),
        }
    }

    /// Whether two values are equal as `jsonb` values: numbers by value, objects by their
    /// members, whatever their order.
    pub(crate) fn jsonb_eq(&self, other: &Json<'_>) -> bool {
        match (&self.value, &other.value) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => numeric_value(a) == numeric_value(b),
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.jsonb_eq(y))
            }
            (Value::Object(_), Value::Object(_)) => {
                let (a, b) = (self.members(), other.members());
                a.len() == b.len()
                    && a.iter()
                        .zip(&b)
                        .all(|((ka, va), (kb, vb))| ka == kb && va.jsonb_eq(vb))
            }
            _ => false,
        }
    }

    /// An object's members as `jsonb` has them; none for other values.
    pub(crate) fn members(&self) -> Vec<(String, Json<'a>)> {
        match &self.value {
            Value::Object(members) => Self::jsonb_members(members),
            _ => Vec::new(),
        }
    }

    /// Whether this value contains `other`, as `jsonb`'s `@>` says: an object every member of
    /// the other's (recursively), an array every element of the other's; an array contains a
    /// scalar that is one of its elements.
    pub(crate) fn contains(&self, other: &Json<'_>, top: bool) -> bool {
        match (&self.value, &other.value) {
            (Value::Object(_), Value::Object(wanted)) => {
                let have = self.members();
                wanted.iter().all(|(key, value)| {
                    have.iter()
                        .find(|(k, _)| k == key)
                        .is_some_and(|(_, v)| v.contains(value, false))
                })
            }
            (Value::Array(have), Value::Array(wanted)) => wanted.iter().all(|w| {
                have.iter().any(|h| match (&h.value, &w.value) {
                    (Value::Array(_), Value::Array(_)) | (Value::Object(_), Value::Object(_)) => {
                        h.contains(w, false)
                    }
                    _ => h.jsonb_eq(w),
                })
            }),
            (Value::Array(have), _) if top && !matches!(other.value, Value::Object(_)) => {
                have.iter().any(|h| h.jsonb_eq(other))
            }
            _ => self.jsonb_eq(other),
        }
    }
}

/// `jsonb`'s order of keys: shorter first, then by bytes.
fn jsonb_key_order(a: &str, b: &str) -> Ordering {
    a.len()
        .cmp(&b.len())
        .then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

/// `text` as a JSON string, escaped as Postgres escapes it (`escape_json`).
pub(crate) fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `text` quoted as a JSON string.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_string(&mut out, text);
    out
}

/// A JSON number as `numeric` prints it, as `jsonb` stores numbers: `1e3` is `1000`, `1.5e-3`
/// is `0.0015`, `1.50` stays `1.50`.
pub(crate) fn numeric_text(number: &str) -> String {
    let (negative, unsigned) = match number.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, number),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if exponent == 0 {
        let whole = whole.trim_start_matches('0');
        let whole = if whole.is_empty() { "0" } else { whole };
        let zero = whole == "0" && fraction.bytes().all(|b| b == b'0');
        let sign = if negative && !zero { "-" } else { "" };
        return if fraction.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{fraction}")
        };
    }
    let digits: String = format!("{whole}{fraction}");
    let scale = (fraction.len() as i64 - exponent).max(0) as usize;
    // The position of the decimal point within `digits`.
    let point = whole.len() as i64 + exponent;
    let mut int_part = String::new();
    let mut frac_part = String::new();
    if point <= 0 {
        frac_part.extend(std::iter::repeat_n('0', (-point) as usize));
        frac_part.push_str(&digits);
    } else if point as usize >= digits.len() {
        int_part.push_str(&digits);
        int_part.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        int_part.push_str(&digits[..point as usize]);
        frac_part.push_str(&digits[point as usize..]);
    }
    frac_part.truncate(scale);
    while frac_part.len() < scale {
        frac_part.push('0');
    }
    let int_part = int_part.trim_start_matches('0');
    let text = match (int_part.is_empty(), frac_part.is_empty()) {
        (true, true) => "0".to_string(),
        (true, false) => format!("0.{frac_part}"),
        (false, true) => int_part.to_string(),
        (false, false) => format!("{int_part}.{frac_part}"),
    };
    let zero = text.bytes().all(|b| b == b'0' || b == b'.');
    if negative && !zero {
        format!("-{text}")
    } else {
        text
    }
}

/// A number's value as text, whatever its scale: `1.0` and `1` are both `1`.
fn numeric_value(number: &str) -> String {
    let text = numeric_text(number);
    match text.split_once('.') {
        Some((whole, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                if whole == "-0" { "0" } else { whole }.to_string()
            } else {
                format!("{whole}.{fraction}")
            }
        }
        None => text,
    }
}

/// How deep arrays and objects may nest, as Postgres' stack depth limit bounds them.
const MAX_DEPTH: usize = 6400;

/// A recursive-descent reader of JSON as Postgres' parser reads it (RFC 8259).
struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Parser<'a> {
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// The token at the parser's position, as Postgres names it in its detail line.
    fn unexpected(&self) -> SyntaxError {
        let rest = &self.text[self.at..];
        if rest.is_empty() {
            return SyntaxError("The input string ended unexpectedly.".into());
        }
        let token: String = match rest.chars().next() {
            Some(c) if c.is_alphanumeric() || c == '_' || c == '-' => rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '.')
                .collect(),
            Some(c) => c.to_string(),
            None => String::new(),
        };
        SyntaxError(format!("Token \"{token}\" is invalid."))
    }

    fn value(&mut self, depth: usize) -> Result<Json<'a>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(SyntaxError("JSON nested too deep.".into()));
        }
        let start = self.at;
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            Some(_) => self.literal()?,
            None => return Err(self.unexpected()),
        };
        Ok(Json {
            raw: &self.text[start..self.at],
            value,
        })
    }

    fn literal(&mut self) -> Result<Value<'a>, SyntaxError> {
        let rest = &self.text[self.at..];
        let word: &str = &rest[..rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len())];
        let value = match word {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            _ => return Err(self.unexpected()),
        };
        self.at += word.len();
        Ok(value)
    }

    fn number(&mut self) -> Result<String, SyntaxError> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at - from
        };
        let mut at = self.at;
        if bytes[at] == b'-' {
            at += 1;
        }
        let first = at;
        let whole = digits(&mut at);
        let mut valid = whole > 0 && !(whole > 1 && bytes[first] == b'0');
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            valid &= digits(&mut at) > 0;
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            valid &= digits(&mut at) > 0;
        }
        if !valid || bytes.get(at).is_some_and(|b| b.is_ascii_alphanumeric()) {
            return Err(self.unexpected());
        }
        self.at = at;
        Ok(self.text[start..at].to_string())
    }

    fn string(&mut self) -> Result<String, SyntaxError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let rest = &self.text[self.at..];
            let Some(c) = rest.chars().next() else {
                self.at = self.text.len();
                return Err(self.unexpected());
            };
            match c {
                '"' => {
                    self.at += 1;
                    return Ok(out);
                }
                '\\' => {
                    let escape = rest.as_bytes().get(1).copied();
                    self.at += 2;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape()?),
                        _ => {
                            return Err(SyntaxError(format!(
                                "Escape sequence \"\\{}\" is invalid.",
                                rest[1..]
                                    .chars()
                                    .next()
                                    .map(String::from)
                                    .unwrap_or_default()
                            )));
                        }
                    }
                }
                c if c < ' ' => {
                    return Err(SyntaxError(format!(
                        "Character with value 0x{:02x} must be escaped.",
                        c as u32
                    )));
                }
                c => {
                    out.push(c);
                    self.at += c.len_utf8();
                }
            }
        }
    }

    /// The character of a `\uXXXX` escape (the parser just past `\u`), a surrogate pair's two.
    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let invalid = || SyntaxError("\"\\u\" must be followed by four hexadecimal digits.".into());
        let hex = |parser: &mut Self| -> Result<u32, SyntaxError> {
            let digits = parser
                .text
                .get(parser.at..parser.at + 4)
                .ok_or_else(invalid)?;
            let code = u32::from_str_radix(digits, 16).map_err(|_| invalid())?;
            parser.at += 4;
            Ok(code)
        };
        let first = hex(self)?;
        if first == 0 {
            return Err(SyntaxError("\\u0000 cannot be converted to text.".into()));
        }
        if (0xD800..0xDC00).contains(&first) {
            if self.text[self.at..].starts_with("\\u") {
                self.at += 2;
                let second = hex(self)?;
                if (0xDC00..0xE000).contains(&second) {
                    let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                    return char::from_u32(code).ok_or_else(invalid);
                }
            }
            return Err(SyntaxError(
                "Unicode high surrogate must not follow a high surrogate.".into(),
            ));
        }
        char::from_u32(first).ok_or_else(|| {
            SyntaxError("Unicode low surrogate must follow a high surrogate.".into())
        })
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_space();
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected()),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        self.at += 1;
        let mut members = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected());
            }
            let key = self.string()?;
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.unexpected());
            }
            self.at += 1;
            self.skip_space();
            members.push((key, self.value(depth + 1)?));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.unexpected()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonb_prints_canonically() {
        let value =
            Json::parse(r#" {"b": 1,   "aa": [1,  2.50], "a": "\u00e9", "b": 2} "#).unwrap();
        assert_eq!(value.jsonb_text(), r#"{"a": "é", "b": 2, "aa": [1, 2.50]}"#);
        assert_eq!(
            value.raw,
            r#"{"b": 1,   "aa": [1,  2.50], "a": "\u00e9", "b": 2}"#
        );
        assert_eq!(
            value.compact_text(),
            r#"{"b":1,"aa":[1,2.50],"a":"é","b":2}"#
        );
    }

    #[test]
    fn numbers_print_as_numeric() {
        for (written, printed) in [
            ("1e3", "1000"),
            ("1.5e-3", "0.0015"),
            ("1.50", "1.50"),
            ("2.50e1", "25.0"),
            ("-0", "0"),
            ("-0.00", "0.00"),
            ("1E+2", "100"),
            ("0.1e-1", "0.01"),
            ("-12.5e0", "-12.5"),
            ("123e-2", "1.23"),
        ] {
            assert_eq!(numeric_text(written), printed, "{written}");
        }
    }

    #[test]
    fn pretty_indents_by_four() {
        let value = Json::parse(r#"{"a": {"b": [1, "x"]}, "c": {}, "d": []}"#).unwrap();
        assert_eq!(
            value.pretty_text(),
            "{\n    \"a\": {\n        \"b\": [\n            1,\n            \"x\"\n        ]\n    },\n    \"c\": {\n    },\n    \"d\": [\n    ]\n}"
        );
    }

    #[test]
    fn refuses_what_postgres_refuses() {
        for (text, detail) in [
            ("{a:1}", "Token \"a\" is invalid."),
            ("{\"a\": 1", "The input string ended unexpectedly."),
            ("01", "Token \"01\" is invalid."),
            ("[1,]", "Token \"]\" is invalid."),
            ("tru", "Token \"tru\" is invalid."),
            ("", "The input string ended unexpectedly."),
        ] {
            assert_eq!(Json::parse(text).unwrap_err().0, detail, "{text}");
        }
    }

    #[test]
    fn containment_follows_jsonb() {
        let j = |t| Json::parse(t).unwrap();
        assert!(j(r#"{"a":1, "b":2}"#).contains(&j(r#"{"b":2}"#), true));
        assert!(j("[1, 2, [3]]").contains(&j("[[3]]"), true));
        assert!(j("[1, 2]").contains(&j("1"), true));
        assert!(!j("[1, 2]").contains(&j("[[1]]"), true));
        assert!(j(r#"{"a": 1.0}"#).contains(&j(r#"{"a": 1}"#), true));
    }
}
