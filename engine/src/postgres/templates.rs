//! PostgreSQL 15 data type formatting templates (manual section 9.8): `to_char` for
//! date/times, intervals and numbers, `to_timestamp`/`to_date`, and `to_number`. Written for
//! Hangar from the documentation and checked against PostgreSQL 15.18 (the tests below, whose
//! expected values psql printed, and `tests/postgres/formatting.sql`); the functions over
//! Arrow values are [`super::formatting`]'s.
//!
//! The behaviour follows PostgreSQL's `formatting.c` in the C locale: English month and
//! day names (so `TM` changes nothing but the padding), `.` as decimal point, `,` as group
//! separator, `-`/`+` as signs and a blank as currency symbol (`L`).
//!
//! Errors PostgreSQL raises while formatting (a bad numeric template such as `99.9.9`, a
//! date-only field such as `Day` applied to an interval) cannot be returned through the
//! `String` results of [`format_datetime`], [`format_interval`] and [`format_number`]:
//! those functions return an empty string instead.  [`parse_datetime`] and
//! [`parse_number`] return PostgreSQL's error message (its primary text, without the
//! `ERROR:` prefix, DETAIL or HINT).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};

// ======================================================================================
// Public API
// ======================================================================================

/// A value's text under a Postgres `to_char` template for dates and times: `local` is the
/// timestamp in the session's time zone, `offset_seconds` its UTC offset (None for `timestamp`
/// without time zone), `zone` the time zone's abbreviation for `TZ`/`tz` (e.g. "UTC", "EST").
///
/// With `offset_seconds` None, `OF`/`TZH`/`TZM` print a zero offset and `TZ` prints nothing,
/// as for PostgreSQL's `timestamp`.  An empty template gives "" (PostgreSQL returns NULL).
pub(crate) fn format_datetime(
    local: NaiveDateTime,
    offset_seconds: Option<i32>,
    zone: Option<&str>,
    template: &str,
) -> String {
    let tm = FmtTm::from_timestamp(local, offset_seconds, zone);
    dch_to_char(&parse_dch_template(template), &tm).unwrap_or_default()
}

/// An interval's text under a `to_char` template: months, days, microseconds as Postgres stores them.
///
/// Patterns PostgreSQL rejects for intervals (day and month names, `D`, `ID`, `AD`/`BC`,
/// time zone fields) make the result "" (PostgreSQL: "invalid format specification for an
/// interval value").  An empty template gives "" (PostgreSQL returns NULL).
pub(crate) fn format_interval(months: i32, days: i32, micros: i64, template: &str) -> String {
    let tm = FmtTm::from_interval(months, days, micros);
    dch_to_char(&parse_dch_template(template), &tm).unwrap_or_default()
}

/// A number's text under a `to_char` numeric template. The number is given as its exact decimal text
/// (e.g. "-1234.5678", "0.5", "1e+20" never: always plain digits with optional sign and point).
///
/// The value is treated as `numeric`: it is rounded half away from zero to the template's
/// digits.  (PostgreSQL formats `real`/`double precision` through C's `printf`, which can
/// round a binary value differently, e.g. `to_char(2.5::float8, '9')` is " 2".)  A template
/// PostgreSQL rejects, `RN` of a value outside `int4`, or text that is not a plain decimal
/// gives "".
pub(crate) fn format_number(decimal: &str, template: &str) -> String {
    num_to_char(decimal, template).unwrap_or_default()
}

/// `to_timestamp(text, template)` / `to_date(text, template)`: the timestamp the text means, or Postgres' error message.
///
/// When the text carries a `TZH`/`TZM` offset the result is the UTC time it denotes;
/// otherwise it is the wall-clock time as written (which `to_timestamp` reads in the session
/// time zone).  `to_date` is the date part of the result; where a date is out of range,
/// `to_date` words its error `date out of range: "<text>"` instead of this function's
/// `timestamp out of range`, and dates past the `timestamp` range (year 294276), which
/// `to_date` still accepts, are rejected here.
pub(crate) fn parse_datetime(text: &str, template: &str) -> Result<NaiveDateTime, String> {
    let nodes = parse_dch_template(template);
    let input = until_nul(text);
    let mut parser = FromCharParser::new(&nodes, input);
    parser.run()?;
    let fields = parser.out;
    fields_to_timestamp(&fields, text)
}

/// `to_number(text, template)`: the decimal text the input means (e.g. "-12454.8"), or Postgres' error message.
///
/// An empty template makes Postgres return NULL; this returns `Err` with an empty message.
pub(crate) fn parse_number(text: &str, template: &str) -> Result<String, String> {
    if template.is_empty() {
        return Err(String::new());
    }
    let (nodes, mut desc) = parse_num_template(template)?;
    if desc.eeee {
        return Err("\"EEEE\" not supported for input".to_string());
    }
    if desc.roman {
        return Err("\"RN\" not supported for input".to_string());
    }
    let numstr = NumFromChar::new(&desc, until_nul(text)).run(&nodes);
    desc.post = numstr.read_post;
    let precision = desc
        .pre
        .saturating_add(desc.multi)
        .saturating_add(desc.post);
    let value = numeric_in_with_typmod(&numstr.text, precision, desc.post)?;
    let value = if desc.multi_flag {
        value.times_power_of_ten_inverse(desc.multi)
    } else {
        value
    };
    Ok(value.to_plain_string())
}

// ======================================================================================
// Small C-like helpers
// ======================================================================================

/// C `isspace()` in the C locale.
fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// C `isspace()` on one byte of input text.
fn is_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// PostgreSQL's `scanner_isspace()` (used to cut error messages at whitespace).
fn is_scanner_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

/// Byte length of the UTF-8 character that starts with `b` (`pg_mblen`).
fn mblen(b: u8) -> usize {
    match b.leading_ones() {
        n @ 2..=4 => n as usize,
        _ => 1,
    }
}

/// The bytes of `text` up to its first NUL (SQL text never holds one; C strings end there).
fn until_nul(text: &str) -> &[u8] {
    let bytes = text.as_bytes();
    &bytes[..bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len())]
}

/// An ASCII printable character that is neither letter nor digit (`is_separator_char`).
fn is_separator_char(c: char) -> bool {
    c.is_ascii_graphic() && !c.is_ascii_alphanumeric()
}

/// C's `printf("%0*d", width, value)`: zero padded to `width` characters, sign included.
fn pad_int(value: i64, width: usize) -> String {
    let digits = value.unsigned_abs().to_string();
    if value < 0 {
        format!("-{:0>w$}", digits, w = width.saturating_sub(1))
    } else {
        format!("{:0>width$}", digits)
    }
}

/// The ordinal suffix (`st`, `nd`, `rd`, `th`) for a number's text, as `get_th()` computes it.
fn ordinal_suffix(num: &str, upper: bool) -> Result<&'static str, String> {
    let bytes = num.as_bytes();
    let last = match bytes.last() {
        Some(b) if b.is_ascii_digit() => *b,
        _ => return Err(format!("\"{}\" is not a number", num)),
    };
    let teen = bytes.len() > 1 && bytes[bytes.len() - 2] == b'1';
    let suffix = match (teen, last) {
        (false, b'1') => ["ST", "st"],
        (false, b'2') => ["ND", "nd"],
        (false, b'3') => ["RD", "rd"],
        _ => ["TH", "th"],
    };
    Ok(if upper { suffix[0] } else { suffix[1] })
}

// ======================================================================================
// Calendar arithmetic (PostgreSQL's int-based Julian day routines, with -fwrapv semantics)
// ======================================================================================

/// Julian day number of a (proleptic Gregorian, astronomical-year) date: `date2j()`.
fn date2j(year: i32, month: i32, day: i32) -> i32 {
    let (mut y, mut m) = (year, month);
    if m > 2 {
        m = m.wrapping_add(1);
        y = y.wrapping_add(4800);
    } else {
        m = m.wrapping_add(13);
        y = y.wrapping_add(4799);
    }
    let century = y / 100;
    let mut julian = y.wrapping_mul(365).wrapping_sub(32167);
    julian = julian.wrapping_add(y / 4 - century + century / 4);
    julian
        .wrapping_add(m.wrapping_mul(7834) / 256)
        .wrapping_add(day)
}

/// Year, month and day of a Julian day number: `j2date()` (unsigned arithmetic as in C).
fn j2date(jd: i32) -> (i32, i32, i32) {
    let mut julian = (jd as u32).wrapping_add(32044);
    let mut quad = julian / 146_097;
    let extra = julian
        .wrapping_sub(quad.wrapping_mul(146_097))
        .wrapping_mul(4)
        .wrapping_add(3);
    julian = julian
        .wrapping_add(60)
        .wrapping_add(quad.wrapping_mul(3))
        .wrapping_add(extra / 146_097);
    quad = julian / 1461;
    julian = julian.wrapping_sub(quad.wrapping_mul(1461));
    let mut y = (julian.wrapping_mul(4) / 1461) as i32;
    julian = if y != 0 {
        julian.wrapping_add(305) % 365
    } else {
        julian.wrapping_add(306) % 366
    }
    .wrapping_add(123);
    y = y.wrapping_add(quad.wrapping_mul(4) as i32);
    let year = y.wrapping_sub(4800);
    quad = julian.wrapping_mul(2141) / 65536;
    let day = julian.wrapping_sub(quad.wrapping_mul(7834) / 256) as i32;
    let month = ((quad.wrapping_add(10)) % 12 + 1) as i32;
    (year, month, day)
}

/// Day of week of a Julian day number, 0 = Sunday: `j2day()`.
fn j2day(jd: i32) -> i32 {
    jd.wrapping_add(1).rem_euclid(7)
}

/// Julian day of the Monday of ISO week `week` of ISO year `year`: `isoweek2j()`.
fn isoweek2j(year: i32, week: i32) -> i32 {
    let day4 = date2j(year, 1, 4);
    let day0 = j2day(day4.wrapping_sub(1));
    week.wrapping_sub(1)
        .wrapping_mul(7)
        .wrapping_add(day4.wrapping_sub(day0))
}

/// The Julian day that starts the ISO year containing `dayn`, and that ISO year.
fn iso_year_start(year: i32, dayn: i32) -> (i32, i32) {
    let start = |y: i32| {
        let day4 = date2j(y, 1, 4);
        day4.wrapping_sub(j2day(day4.wrapping_sub(1)))
    };
    let mut iso_year = year;
    let mut first = start(year);
    if dayn < first {
        iso_year = year.wrapping_sub(1);
        first = start(iso_year);
    }
    if dayn.wrapping_sub(first) / 7 + 1 >= 52 {
        let next = start(iso_year.wrapping_add(1));
        if dayn >= next {
            return (next, iso_year.wrapping_add(1));
        }
    }
    (first, iso_year)
}

/// ISO 8601 week number of a date: `date2isoweek()`.
fn date2isoweek(year: i32, month: i32, day: i32) -> i32 {
    let dayn = date2j(year, month, day);
    let (first, _) = iso_year_start(year, dayn);
    dayn.wrapping_sub(first) / 7 + 1
}

/// ISO 8601 week-numbering year of a date: `date2isoyear()`.
fn date2isoyear(year: i32, month: i32, day: i32) -> i32 {
    iso_year_start(year, date2j(year, month, day)).1
}

/// Day of the ISO week-numbering year: `date2isoyearday()`.
fn date2isoyearday(year: i32, month: i32, day: i32) -> i32 {
    let iso_year = date2isoyear(year, month, day);
    date2j(year, month, day)
        .wrapping_sub(isoweek2j(iso_year, 1))
        .wrapping_add(1)
}

/// Whether an astronomical year is a leap year.
fn is_leap(year: i32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

// ======================================================================================
// Date/time template keywords and template parsing
// ======================================================================================

/// Upper, capitalised or lower case of a name pattern (`MONTH`, `Month`, `month`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Case {
    Upper,
    Capital,
    Lower,
}

/// The date convention a pattern belongs to, for `to_timestamp`'s consistency check.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
enum DateMode {
    #[default]
    None,
    Gregorian,
    IsoWeek,
}

/// What a date/time template pattern stands for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum DchField {
    Era { dots: bool, upper: bool },
    Meridian { dots: bool, upper: bool },
    Century,
    DayName(Case),
    DayAbbrev(Case),
    DayOfYear,
    DayOfMonth,
    DayOfWeek,
    Fraction(u8),
    FixedFormat,
    Hour24,
    Hour12,
    IsoDayOfYear,
    IsoDayOfWeek,
    IsoWeek,
    IsoYear(u8),
    Julian,
    Minute,
    Month,
    MonthName(Case),
    MonthAbbrev(Case),
    Millisecond,
    Offset,
    Quarter,
    RomanMonth { upper: bool },
    SecondsOfDay,
    Second,
    TzHour,
    TzMinute,
    TzName { upper: bool },
    Microsecond,
    WeekOfYear,
    WeekOfMonth,
    YearComma,
    Year(u8),
}

/// One date/time template pattern: its spelling, meaning, whether its value is numeric,
/// and its date convention.
#[derive(Debug)]
struct DchKeyword {
    name: &'static str,
    field: DchField,
    is_digit: bool,
    mode: DateMode,
}

/// Builds a [`DchKeyword`].
const fn kw(name: &'static str, field: DchField, is_digit: bool, mode: DateMode) -> DchKeyword {
    DchKeyword {
        name,
        field,
        is_digit,
        mode,
    }
}

const G: DateMode = DateMode::Gregorian;
const ISO: DateMode = DateMode::IsoWeek;
const NONE: DateMode = DateMode::None;

/// The date/time patterns, in PostgreSQL's search order (longer spellings first).
static DCH_KEYWORDS: &[DchKeyword] = {
    use Case::*;
    use DchField::*;
    &[
        kw(
            "A.D.",
            Era {
                dots: true,
                upper: true,
            },
            false,
            NONE,
        ),
        kw(
            "A.M.",
            Meridian {
                dots: true,
                upper: true,
            },
            false,
            NONE,
        ),
        kw(
            "AD",
            Era {
                dots: false,
                upper: true,
            },
            false,
            NONE,
        ),
        kw(
            "AM",
            Meridian {
                dots: false,
                upper: true,
            },
            false,
            NONE,
        ),
        kw(
            "B.C.",
            Era {
                dots: true,
                upper: true,
            },
            false,
            NONE,
        ),
        kw(
            "BC",
            Era {
                dots: false,
                upper: true,
            },
            false,
            NONE,
        ),
        kw("CC", Century, true, NONE),
        kw("DAY", DayName(Upper), false, NONE),
        kw("DDD", DayOfYear, true, G),
        kw("DD", DayOfMonth, true, G),
        kw("DY", DayAbbrev(Upper), false, NONE),
        kw("Day", DayName(Capital), false, NONE),
        kw("Dy", DayAbbrev(Capital), false, NONE),
        kw("D", DayOfWeek, true, G),
        kw("FF1", Fraction(1), true, NONE),
        kw("FF2", Fraction(2), true, NONE),
        kw("FF3", Fraction(3), true, NONE),
        kw("FF4", Fraction(4), true, NONE),
        kw("FF5", Fraction(5), true, NONE),
        kw("FF6", Fraction(6), true, NONE),
        kw("FX", FixedFormat, false, NONE),
        kw("HH24", Hour24, true, NONE),
        kw("HH12", Hour12, true, NONE),
        kw("HH", Hour12, true, NONE),
        kw("IDDD", IsoDayOfYear, true, ISO),
        kw("ID", IsoDayOfWeek, true, ISO),
        kw("IW", IsoWeek, true, ISO),
        kw("IYYY", IsoYear(4), true, ISO),
        kw("IYY", IsoYear(3), true, ISO),
        kw("IY", IsoYear(2), true, ISO),
        kw("I", IsoYear(1), true, ISO),
        kw("J", Julian, true, NONE),
        kw("MI", Minute, true, NONE),
        kw("MM", Month, true, G),
        kw("MONTH", MonthName(Upper), false, G),
        kw("MON", MonthAbbrev(Upper), false, G),
        kw("MS", Millisecond, true, NONE),
        kw("Month", MonthName(Capital), false, G),
        kw("Mon", MonthAbbrev(Capital), false, G),
        kw("OF", Offset, false, NONE),
        kw(
            "P.M.",
            Meridian {
                dots: true,
                upper: true,
            },
            false,
            NONE,
        ),
        kw(
            "PM",
            Meridian {
                dots: false,
                upper: true,
            },
            false,
            NONE,
        ),
        kw("Q", Quarter, true, NONE),
        kw("RM", RomanMonth { upper: true }, false, G),
        kw("SSSSS", SecondsOfDay, true, NONE),
        kw("SSSS", SecondsOfDay, true, NONE),
        kw("SS", Second, true, NONE),
        kw("TZH", TzHour, false, NONE),
        kw("TZM", TzMinute, true, NONE),
        kw("TZ", TzName { upper: true }, false, NONE),
        kw("US", Microsecond, true, NONE),
        kw("WW", WeekOfYear, true, G),
        kw("W", WeekOfMonth, true, G),
        kw("Y,YYY", YearComma, true, G),
        kw("YYYY", Year(4), true, G),
        kw("YYY", Year(3), true, G),
        kw("YY", Year(2), true, G),
        kw("Y", Year(1), true, G),
        kw(
            "a.d.",
            Era {
                dots: true,
                upper: false,
            },
            false,
            NONE,
        ),
        kw(
            "a.m.",
            Meridian {
                dots: true,
                upper: false,
            },
            false,
            NONE,
        ),
        kw(
            "ad",
            Era {
                dots: false,
                upper: false,
            },
            false,
            NONE,
        ),
        kw(
            "am",
            Meridian {
                dots: false,
                upper: false,
            },
            false,
            NONE,
        ),
        kw(
            "b.c.",
            Era {
                dots: true,
                upper: false,
            },
            false,
            NONE,
        ),
        kw(
            "bc",
            Era {
                dots: false,
                upper: false,
            },
            false,
            NONE,
        ),
        kw("cc", Century, true, NONE),
        kw("day", DayName(Lower), false, NONE),
        kw("ddd", DayOfYear, true, G),
        kw("dd", DayOfMonth, true, G),
        kw("dy", DayAbbrev(Lower), false, NONE),
        kw("d", DayOfWeek, true, G),
        kw("ff1", Fraction(1), true, NONE),
        kw("ff2", Fraction(2), true, NONE),
        kw("ff3", Fraction(3), true, NONE),
        kw("ff4", Fraction(4), true, NONE),
        kw("ff5", Fraction(5), true, NONE),
        kw("ff6", Fraction(6), true, NONE),
        kw("fx", FixedFormat, false, NONE),
        kw("hh24", Hour24, true, NONE),
        kw("hh12", Hour12, true, NONE),
        kw("hh", Hour12, true, NONE),
        kw("iddd", IsoDayOfYear, true, ISO),
        kw("id", IsoDayOfWeek, true, ISO),
        kw("iw", IsoWeek, true, ISO),
        kw("iyyy", IsoYear(4), true, ISO),
        kw("iyy", IsoYear(3), true, ISO),
        kw("iy", IsoYear(2), true, ISO),
        kw("i", IsoYear(1), true, ISO),
        kw("j", Julian, true, NONE),
        kw("mi", Minute, true, NONE),
        kw("mm", Month, true, G),
        kw("month", MonthName(Lower), false, G),
        kw("mon", MonthAbbrev(Lower), false, G),
        kw("ms", Millisecond, true, NONE),
        kw("of", Offset, false, NONE),
        kw(
            "p.m.",
            Meridian {
                dots: true,
                upper: false,
            },
            false,
            NONE,
        ),
        kw(
            "pm",
            Meridian {
                dots: false,
                upper: false,
            },
            false,
            NONE,
        ),
        kw("q", Quarter, true, NONE),
        kw("rm", RomanMonth { upper: false }, false, G),
        kw("sssss", SecondsOfDay, true, NONE),
        kw("ssss", SecondsOfDay, true, NONE),
        kw("ss", Second, true, NONE),
        kw("tzh", TzHour, false, NONE),
        kw("tzm", TzMinute, true, NONE),
        kw("tz", TzName { upper: false }, false, NONE),
        kw("us", Microsecond, true, NONE),
        kw("ww", WeekOfYear, true, G),
        kw("w", WeekOfMonth, true, G),
        kw("y,yyy", YearComma, true, G),
        kw("yyyy", Year(4), true, G),
        kw("yyy", Year(3), true, G),
        kw("yy", Year(2), true, G),
        kw("y", Year(1), true, G),
    ]
};

/// The modifiers attached to one date/time pattern.
#[derive(Clone, Copy, Debug, Default)]
struct Suffix {
    /// `FM` prefix: fill mode (no padding).
    fm: bool,
    /// `TM` prefix: translation mode (names are not blank-padded).
    tm: bool,
    /// `TH` (Some(true)) or `th` (Some(false)) ordinal suffix.
    th: Option<bool>,
}

/// How a literal template character is matched by `to_timestamp`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum LiteralKind {
    /// Ordinary or double-quoted text: skips one input character.
    Text,
    /// ASCII punctuation: matches a separator (or nothing) loosely.
    Separator,
    /// White space: matches white space (or nothing) loosely.
    Space,
}

/// One element of a parsed date/time template.
#[derive(Clone, Copy, Debug)]
enum DchNode {
    Field {
        key: &'static DchKeyword,
        suffix: Suffix,
    },
    Literal {
        ch: char,
        kind: LiteralKind,
    },
}

/// Whether `chars` starts with the ASCII text `word`.
fn starts_with_ascii(chars: &[char], word: &str) -> bool {
    word.len() <= chars.len() && word.chars().zip(chars).all(|(a, &b)| a == b)
}

/// The first date/time pattern spelled at the start of `chars`.
fn find_dch_keyword(chars: &[char]) -> Option<&'static DchKeyword> {
    DCH_KEYWORDS
        .iter()
        .find(|k| starts_with_ascii(chars, k.name))
}

/// Reads a literal at `chars[i]` (a double-quoted string, an escaped quote or one character);
/// returns the characters with a flag telling whether they were quoted, and the next index.
fn read_literal(chars: &[char], mut i: usize) -> (Vec<(char, bool)>, usize) {
    let mut out = Vec::new();
    if chars[i] == '"' {
        i += 1;
        while i < chars.len() {
            if chars[i] == '"' {
                i += 1;
                break;
            }
            if chars[i] == '\\' && i + 1 < chars.len() {
                i += 1;
            }
            out.push((chars[i], true));
            i += 1;
        }
    } else {
        if chars[i] == '\\' && chars.get(i + 1) == Some(&'"') {
            i += 1;
        }
        out.push((chars[i], false));
        i += 1;
    }
    (out, i)
}

/// Parses a date/time template into patterns and literal characters (`parse_format`).
fn parse_dch_template(template: &str) -> Vec<DchNode> {
    let chars: Vec<char> = template.chars().collect();
    let mut nodes = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut suffix = Suffix::default();
        let rest = &chars[i..];
        if starts_with_ascii(rest, "FM") || starts_with_ascii(rest, "fm") {
            suffix.fm = true;
            i += 2;
        } else if starts_with_ascii(rest, "TM") || starts_with_ascii(rest, "tm") {
            suffix.tm = true;
            i += 2;
        }
        if i >= chars.len() {
            break;
        }
        if let Some(key) = find_dch_keyword(&chars[i..]) {
            i += key.name.len();
            let rest = &chars[i..];
            if starts_with_ascii(rest, "TH") {
                suffix.th = Some(true);
                i += 2;
            } else if starts_with_ascii(rest, "th") {
                suffix.th = Some(false);
                i += 2;
            } else if starts_with_ascii(rest, "SP") {
                i += 2;
            }
            nodes.push(DchNode::Field { key, suffix });
            continue;
        }
        let (literal, next) = read_literal(&chars, i);
        i = next;
        nodes.extend(literal.into_iter().map(|(ch, quoted)| {
            let kind = if quoted {
                LiteralKind::Text
            } else if is_separator_char(ch) {
                LiteralKind::Separator
            } else if is_c_space(ch) {
                LiteralKind::Space
            } else {
                LiteralKind::Text
            };
            DchNode::Literal { ch, kind }
        }));
    }
    nodes
}

// ======================================================================================
// to_char for timestamps and intervals
// ======================================================================================

const MONTHS_FULL: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_ABBREV: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS_FULL: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const DAYS_ABBREV: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/// Roman month numerals, December first (the order `to_timestamp` searches them in).
const ROMAN_MONTHS: [&str; 12] = [
    "XII", "XI", "X", "IX", "VIII", "VII", "VI", "V", "IV", "III", "II", "I",
];
const AMPM: [&str; 4] = ["am", "pm", "AM", "PM"];
const AMPM_DOTS: [&str; 4] = ["a.m.", "p.m.", "A.M.", "P.M."];
const ADBC: [&str; 4] = ["ad", "bc", "AD", "BC"];
const ADBC_DOTS: [&str; 4] = ["a.d.", "b.c.", "A.D.", "B.C."];

const INTERVAL_ERROR: &str = "invalid format specification for an interval value";

/// The broken-down value `to_char` formats (PostgreSQL's `fmt_tm` plus fraction and zone).
#[derive(Debug)]
struct FmtTm {
    year: i32,
    mon: i32,
    mday: i32,
    hour: i64,
    min: i32,
    sec: i32,
    fsec: i32,
    wday: i32,
    yday: i32,
    gmtoff: i32,
    zone: Option<String>,
    is_interval: bool,
}

impl FmtTm {
    /// Breaks a local timestamp down, computing day of week and day of year.
    fn from_timestamp(local: NaiveDateTime, offset: Option<i32>, zone: Option<&str>) -> Self {
        let (year, mon, mday) = (local.year(), local.month() as i32, local.day() as i32);
        let thisdate = date2j(year, mon, mday);
        FmtTm {
            year,
            mon,
            mday,
            hour: i64::from(local.hour()),
            min: local.minute() as i32,
            sec: local.second() as i32,
            fsec: (local.nanosecond() % 1_000_000_000 / 1000) as i32,
            wday: j2day(thisdate),
            yday: thisdate.wrapping_sub(date2j(year, 1, 1)).wrapping_add(1),
            gmtoff: offset.unwrap_or(0),
            zone: zone.map(str::to_string),
            is_interval: false,
        }
    }

    /// Breaks an interval down the way `interval2itm()` does (fields keep their sign).
    fn from_interval(months: i32, days: i32, micros: i64) -> Self {
        const USECS_PER_HOUR: i64 = 3_600_000_000;
        let hour = micros / USECS_PER_HOUR;
        let rest = micros % USECS_PER_HOUR;
        let (year, mon) = (months / 12, months % 12);
        let yday = (i64::from(year) * 12 + i64::from(mon)) * 30 + i64::from(days);
        FmtTm {
            year,
            mon,
            mday: days,
            hour,
            min: (rest / 60_000_000) as i32,
            sec: (rest % 60_000_000 / 1_000_000) as i32,
            fsec: (rest % 1_000_000) as i32,
            wday: 0,
            yday: yday as i32,
            gmtoff: 0,
            zone: None,
            is_interval: true,
        }
    }

    /// The year as printed: BC years counted from 1 for timestamps, raw for intervals.
    fn adjusted_year(&self, year: i32) -> i64 {
        let y = i64::from(year);
        if self.is_interval || y > 0 { y } else { 1 - y }
    }

    /// Fails for patterns that make no sense for an interval.
    fn require_date(&self) -> Result<(), String> {
        if self.is_interval {
            Err(INTERVAL_ERROR.to_string())
        } else {
            Ok(())
        }
    }
}

/// Formats a value under parsed template nodes (`DCH_to_char`).
fn dch_to_char(nodes: &[DchNode], tm: &FmtTm) -> Result<String, String> {
    let mut out = String::new();
    for node in nodes {
        match node {
            DchNode::Literal { ch, .. } => out.push(*ch),
            DchNode::Field { key, suffix } => out.push_str(&format_field(key.field, *suffix, tm)?),
        }
    }
    Ok(out)
}

/// Appends the ordinal suffix to a number's text when the pattern asks for it.
fn with_th(text: String, suffix: Suffix) -> Result<String, String> {
    match suffix.th {
        Some(upper) => {
            let th = ordinal_suffix(&text, upper)?;
            Ok(text + th)
        }
        None => Ok(text),
    }
}

/// A number zero-padded to `width` (or `width + 1` when negative) unless `FM`.
fn padded(value: i64, width: usize, suffix: Suffix) -> String {
    padded_by(value, value, width, suffix)
}

/// Like [`padded`], but the extra width for a sign depends on `sign_source` (as in
/// PostgreSQL, where e.g. `YYY` pads by the sign of the whole year).
fn padded_by(value: i64, sign_source: i64, width: usize, suffix: Suffix) -> String {
    if suffix.fm {
        value.to_string()
    } else if sign_source < 0 {
        pad_int(value, width + 1)
    } else {
        pad_int(value, width)
    }
}

/// Formats one pattern of a date/time template.
fn format_field(field: DchField, suffix: Suffix, tm: &FmtTm) -> Result<String, String> {
    use DchField::*;
    match field {
        Era { .. } | Meridian { .. } | TzName { .. } | TzHour | TzMinute | Offset => {
            format_marker_field(field, suffix, tm)
        }
        DayName(_) | DayAbbrev(_) | MonthName(_) | MonthAbbrev(_) | RomanMonth { .. } => {
            format_name_field(field, suffix, tm)
        }
        Hour24 | Hour12 | Minute | Second | SecondsOfDay | Millisecond | Microsecond
        | Fraction(_) => format_time_field(field, suffix, tm),
        FixedFormat => Ok(String::new()),
        _ => format_date_field(field, suffix, tm),
    }
}

/// Era, meridian and time zone patterns.
fn format_marker_field(field: DchField, suffix: Suffix, tm: &FmtTm) -> Result<String, String> {
    let (word, upper) = match field {
        DchField::Meridian { dots, upper } => {
            let pm = tm.hour % 24 >= 12;
            let word = match (dots, pm) {
                (true, true) => "P.M.",
                (true, false) => "A.M.",
                (false, true) => "PM",
                (false, false) => "AM",
            };
            (word, upper)
        }
        DchField::Era { dots, upper } => {
            tm.require_date()?;
            let word = match (dots, tm.year <= 0) {
                (true, true) => "B.C.",
                (true, false) => "A.D.",
                (false, true) => "BC",
                (false, false) => "AD",
            };
            (word, upper)
        }
        _ => return format_zone_field(field, suffix, tm),
    };
    Ok(if upper {
        word.to_string()
    } else {
        word.to_ascii_lowercase()
    })
}

/// `TZ`, `tz`, `TZH`, `TZM` and `OF`.
fn format_zone_field(field: DchField, suffix: Suffix, tm: &FmtTm) -> Result<String, String> {
    tm.require_date()?;
    let abs_off = tm.gmtoff.unsigned_abs();
    let sign = if tm.gmtoff >= 0 { '+' } else { '-' };
    let text = match field {
        DchField::TzName { upper: true } => tm.zone.clone().unwrap_or_default(),
        DchField::TzName { upper: false } => tm.zone.as_deref().unwrap_or("").to_ascii_lowercase(),
        DchField::TzHour => format!("{}{:02}", sign, abs_off / 3600),
        DchField::TzMinute => format!("{:02}", abs_off % 3600 / 60),
        _ => {
            let width = if suffix.fm { 0 } else { 2 };
            let mut text = format!("{}{}", sign, pad_int(i64::from(abs_off / 3600), width));
            if !abs_off.is_multiple_of(3600) {
                text.push_str(&format!(":{:02}", abs_off % 3600 / 60));
            }
            text
        }
    };
    Ok(text)
}

/// Applies a name pattern's letter case to an English name.
fn apply_case(name: &str, case: Case) -> String {
    match case {
        Case::Upper => name.to_ascii_uppercase(),
        Case::Lower => name.to_ascii_lowercase(),
        Case::Capital => name.to_string(),
    }
}

/// Blank-pads a name to `width` characters unless `FM` or `TM` is given.
fn pad_name(name: String, width: usize, suffix: Suffix) -> String {
    if suffix.fm || suffix.tm {
        name
    } else {
        format!("{:<width$}", name)
    }
}

/// Month and day names and the Roman-numeral month.
fn format_name_field(field: DchField, suffix: Suffix, tm: &FmtTm) -> Result<String, String> {
    let month = usize::try_from(tm.mon - 1)
        .ok()
        .and_then(|m| MONTHS_FULL.get(m).map(|_| m));
    let wday = usize::try_from(tm.wday).unwrap_or(0) % 7;
    let text = match field {
        DchField::MonthName(case) => {
            tm.require_date()?;
            month.map_or_else(String::new, |m| {
                pad_name(apply_case(MONTHS_FULL[m], case), 9, suffix)
            })
        }
        DchField::MonthAbbrev(case) => {
            tm.require_date()?;
            month.map_or_else(String::new, |m| apply_case(MONTHS_ABBREV[m], case))
        }
        DchField::DayName(case) => {
            tm.require_date()?;
            pad_name(apply_case(DAYS_FULL[wday], case), 9, suffix)
        }
        DchField::DayAbbrev(case) => {
            tm.require_date()?;
            apply_case(DAYS_ABBREV[wday], case)
        }
        DchField::RomanMonth { upper } => format_roman_month(upper, suffix, tm),
        _ => String::new(),
    };
    Ok(text)
}

/// The `RM`/`rm` pattern, including PostgreSQL's handling of interval months.
fn format_roman_month(upper: bool, suffix: Suffix, tm: &FmtTm) -> String {
    if tm.mon == 0 && tm.year == 0 {
        return String::new();
    }
    let index = if tm.mon == 0 {
        if tm.year >= 0 { 0 } else { 11 }
    } else if tm.mon < 0 {
        -(tm.mon + 1)
    } else {
        12 - tm.mon
    };
    let numeral = usize::try_from(index)
        .ok()
        .and_then(|i| ROMAN_MONTHS.get(i))
        .copied()
        .unwrap_or("");
    let numeral = if upper {
        numeral.to_string()
    } else {
        numeral.to_ascii_lowercase()
    };
    if suffix.fm {
        numeral
    } else {
        format!("{:<4}", numeral)
    }
}

/// Hours, minutes, seconds and fractions of a second.
fn format_time_field(field: DchField, suffix: Suffix, tm: &FmtTm) -> Result<String, String> {
    let fsec = i64::from(tm.fsec);
    let text = match field {
        DchField::Hour24 => padded(tm.hour, 2, suffix),
        DchField::Hour12 => {
            let h = tm.hour % 12;
            padded_by(if h == 0 { 12 } else { h }, tm.hour, 2, suffix)
        }
        DchField::Minute => padded(i64::from(tm.min), 2, suffix),
        DchField::Second => padded(i64::from(tm.sec), 2, suffix),
        DchField::SecondsOfDay => {
            (tm.hour * 3600 + i64::from(tm.min) * 60 + i64::from(tm.sec)).to_string()
        }
        DchField::Millisecond => pad_int(fsec / 1000, 3),
        DchField::Microsecond => pad_int(fsec, 6),
        DchField::Fraction(n) => {
            let divisor = 10_i64.pow(6 - u32::from(n.min(6)));
            pad_int(fsec / divisor, usize::from(n))
        }
        _ => String::new(),
    };
    with_th(text, suffix)
}

/// Numeric date patterns: years, months, days, weeks, quarter, century, Julian day.
fn format_date_field(field: DchField, suffix: Suffix, tm: &FmtTm) -> Result<String, String> {
    let text = match field {
        DchField::Year(n) => {
            let year = tm.adjusted_year(tm.year);
            format_year(year, year, n, suffix)
        }
        DchField::IsoYear(n) => {
            let iso = date2isoyear(tm.year, tm.mon, tm.mday);
            format_year(tm.adjusted_year(iso), tm.adjusted_year(tm.year), n, suffix)
        }
        DchField::YearComma => {
            let y = tm.adjusted_year(tm.year);
            let thousands = y / 1000;
            format!("{},{}", thousands, pad_int(y - thousands * 1000, 3))
        }
        DchField::Century => format_century(tm, suffix),
        DchField::Month => padded(i64::from(tm.mon), 2, suffix),
        DchField::DayOfMonth => pad_or_fm(i64::from(tm.mday), 2, suffix),
        DchField::DayOfYear => pad_or_fm(i64::from(tm.yday), 3, suffix),
        DchField::IsoDayOfYear => pad_or_fm(
            i64::from(date2isoyearday(tm.year, tm.mon, tm.mday)),
            3,
            suffix,
        ),
        DchField::DayOfWeek => {
            tm.require_date()?;
            (tm.wday + 1).to_string()
        }
        DchField::IsoDayOfWeek => {
            tm.require_date()?;
            (if tm.wday == 0 { 7 } else { tm.wday }).to_string()
        }
        DchField::WeekOfYear => pad_or_fm(i64::from(tm.yday.wrapping_sub(1) / 7 + 1), 2, suffix),
        DchField::IsoWeek => {
            pad_or_fm(i64::from(date2isoweek(tm.year, tm.mon, tm.mday)), 2, suffix)
        }
        DchField::WeekOfMonth => (tm.mday.wrapping_sub(1) / 7 + 1).to_string(),
        DchField::Quarter => {
            if tm.mon == 0 {
                return Ok(String::new());
            }
            ((tm.mon - 1) / 3 + 1).to_string()
        }
        DchField::Julian => date2j(tm.year, tm.mon, tm.mday).to_string(),
        _ => String::new(),
    };
    with_th(text, suffix)
}

/// `printf("%0*d", FM ? 0 : width, value)`.
fn pad_or_fm(value: i64, width: usize, suffix: Suffix) -> String {
    pad_int(value, if suffix.fm { 0 } else { width })
}

/// `YYYY`, `YYY`, `YY`, `Y` (and their ISO forms) from an already adjusted year; the
/// padding allows for a sign when `sign_source` (the calendar year) is negative.
fn format_year(year: i64, sign_source: i64, digits: u8, suffix: Suffix) -> String {
    match digits {
        4 => padded_by(year, sign_source, 4, suffix),
        3 => padded_by(year % 1000, sign_source, 3, suffix),
        2 => padded_by(year % 100, sign_source, 2, suffix),
        _ => (year % 10).to_string(),
    }
}

/// The `CC` pattern: centuries start in years ending in 01 (straight division for intervals).
fn format_century(tm: &FmtTm, suffix: Suffix) -> String {
    let year = i64::from(tm.year);
    let century = if tm.is_interval {
        year / 100
    } else if year > 0 {
        (year - 1) / 100 + 1
    } else {
        year / 100 - 1
    };
    if (-99..=99).contains(&century) {
        padded(century, 2, suffix)
    } else {
        century.to_string()
    }
}

// ======================================================================================
// to_timestamp / to_date
// ======================================================================================

/// Fields read from the input text (PostgreSQL's `TmFromChar`); zero means "not given".
#[derive(Debug, Default)]
struct TmFromChar {
    mode: DateMode,
    hh: i32,
    pm: i32,
    mi: i32,
    ss: i32,
    ssss: i32,
    d: i32,
    dd: i32,
    ddd: i32,
    mm: i32,
    ms: i32,
    year: i32,
    bc: i32,
    ww: i32,
    w: i32,
    cc: i32,
    j: i32,
    us: i32,
    yysz: i32,
    clock12: bool,
    tzsign: i32,
    tzh: i32,
    tzm: i32,
    ff: i32,
}

/// Stores a field value, complaining when the field was already given another value.
fn set_int(dest: &mut i32, value: i32, name: &str) -> Result<(), String> {
    if *dest != 0 && *dest != value {
        return Err(format!(
            "conflicting values for \"{}\" field in formatting string",
            name
        ));
    }
    *dest = value;
    Ok(())
}

/// Moves two-digit (and three-digit) years toward 2020, as `YY`/`YYY`/`Y` input does.
fn adjust_partial_year_to_2020(year: i32) -> i32 {
    if year < 70 {
        year.wrapping_add(2000)
    } else if year < 100 {
        year + 1900
    } else if year < 520 {
        year + 2000
    } else if year < 1000 {
        year + 1000
    } else {
        year
    }
}

/// Result of C's `strtol` on a byte slice.
struct StrtolResult {
    value: i64,
    /// Index just after the digits, or the start index when no digits were found.
    end: usize,
    overflow: bool,
}

/// C's `strtol(s, &end, 10)`: optional white space, optional sign, decimal digits.
fn strtol(chars: &[u8], start: usize) -> StrtolResult {
    let mut i = start;
    while i < chars.len() && is_space_byte(chars[i]) {
        i += 1;
    }
    let negative = match chars.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let digits_start = i;
    let mut value: i64 = 0;
    let mut overflow = false;
    while let Some(d) = chars
        .get(i)
        .filter(|c| c.is_ascii_digit())
        .map(|c| c - b'0')
    {
        let next = value.checked_mul(10).and_then(|v| {
            if negative {
                v.checked_sub(i64::from(d))
            } else {
                v.checked_add(i64::from(d))
            }
        });
        match next {
            Some(v) => value = v,
            None => {
                overflow = true;
                value = if negative { i64::MIN } else { i64::MAX };
            }
        }
        i += 1;
    }
    if i == digits_start {
        return StrtolResult {
            value: 0,
            end: start,
            overflow: false,
        };
    }
    StrtolResult {
        value,
        end: i,
        overflow,
    }
}

/// Reads `to_timestamp` input according to a parsed template (`DCH_from_char`).
struct FromCharParser<'a> {
    nodes: &'a [DchNode],
    input: &'a [u8],
    pos: usize,
    out: TmFromChar,
}

impl<'a> FromCharParser<'a> {
    /// A parser positioned at the start of the input.
    fn new(nodes: &'a [DchNode], input: &'a [u8]) -> Self {
        FromCharParser {
            nodes,
            input,
            pos: 0,
            out: TmFromChar::default(),
        }
    }

    /// The current input byte, or NUL at the end (as in C).
    fn cur(&self) -> u8 {
        self.input.get(self.pos).copied().unwrap_or(0)
    }

    /// Whether the whole input has been consumed.
    fn at_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    /// Skips one (possibly multibyte) input character, never past the end.
    fn skip_char(&mut self) {
        self.pos = (self.pos + mblen(self.cur())).min(self.input.len());
    }

    /// Skips white space, returning how many characters were skipped.
    fn skip_spaces(&mut self) -> i32 {
        let mut skipped = 0;
        while !self.at_end() && is_space_byte(self.cur()) {
            self.pos += 1;
            skipped += 1;
        }
        skipped
    }

    /// Walks the template, consuming input and filling `self.out`.
    fn run(&mut self) -> Result<(), String> {
        let mut fx_mode = false;
        let mut extra_skip: i32 = 0;
        for (idx, node) in self.nodes.iter().enumerate() {
            if self.at_end() {
                break;
            }
            let is_field = matches!(node, DchNode::Field { .. });
            let is_fx =
                matches!(node, DchNode::Field { key, .. } if key.field == DchField::FixedFormat);
            if !fx_mode && !is_fx && (is_field || idx == 0) {
                extra_skip += self.skip_spaces();
            }
            match *node {
                DchNode::Literal { kind, .. } if kind != LiteralKind::Text => {
                    if fx_mode {
                        self.skip_char();
                    } else {
                        extra_skip -= 1;
                        let c = self.cur();
                        if is_space_byte(c) || is_separator_char(char::from(c)) {
                            self.pos += 1;
                            extra_skip += 1;
                        }
                    }
                }
                DchNode::Literal { .. } => {
                    if !fx_mode && extra_skip > 0 {
                        extra_skip -= 1;
                    } else {
                        self.skip_char();
                    }
                }
                DchNode::Field { key, suffix } => {
                    self.set_mode(key.mode)?;
                    if key.field == DchField::FixedFormat {
                        fx_mode = true;
                    } else {
                        self.read_field(idx, key, suffix, extra_skip)?;
                    }
                    if !fx_mode {
                        extra_skip = self.skip_spaces();
                    }
                }
            }
        }
        Ok(())
    }

    /// Records the template's date convention, rejecting a mix of Gregorian and ISO fields.
    fn set_mode(&mut self, mode: DateMode) -> Result<(), String> {
        if mode != DateMode::None {
            if self.out.mode == DateMode::None {
                self.out.mode = mode;
            } else if self.out.mode != mode {
                return Err("invalid combination of date conventions".to_string());
            }
        }
        Ok(())
    }

    /// Whether the pattern at `idx` is followed by something that cannot be a digit
    /// (`is_next_separator`), so its number may be read greedily.
    fn next_is_separator(&self, idx: usize) -> bool {
        if let Some(DchNode::Field { suffix, .. }) = self.nodes.get(idx)
            && suffix.th.is_some()
        {
            return true;
        }
        match self.nodes.get(idx + 1) {
            None => true,
            Some(DchNode::Field { key, .. }) => !key.is_digit,
            Some(DchNode::Literal { ch, .. }) => !ch.is_ascii_digit(),
        }
    }

    /// Reads an integer of `len` characters, or greedily under `FM` or before a separator
    /// (`from_char_parse_int_len`); returns its value and the characters consumed.
    fn parse_int_len(
        &mut self,
        idx: usize,
        len: usize,
        key: &DchKeyword,
        fm: bool,
    ) -> Result<(i32, usize), String> {
        let init = self.pos;
        self.skip_spaces();
        let remaining = self.input.len() - self.pos;
        let field = &self.input[self.pos..self.pos + len.min(remaining)];
        let copy = String::from_utf8_lossy(field).into_owned();
        let result = if fm || self.next_is_separator(idx) {
            let r = strtol(self.input, init);
            self.pos = r.end;
            r
        } else {
            if remaining < len {
                return Err(format!(
                    "source string too short for \"{}\" formatting field",
                    key.name
                ));
            }
            let r = strtol(field, 0);
            if r.end > 0 && r.end < len {
                return Err(format!("invalid value \"{}\" for \"{}\"", copy, key.name));
            }
            self.pos += r.end;
            r
        };
        if self.pos == init {
            return Err(format!("invalid value \"{}\" for \"{}\"", copy, key.name));
        }
        let value = i32::try_from(result.value)
            .ok()
            .filter(|_| !result.overflow);
        match value {
            Some(v) => Ok((v, self.pos - init)),
            None => Err(format!(
                "value for \"{}\" in source string is out of range",
                key.name
            )),
        }
    }

    /// Case-insensitive search of `words` at the current position (`from_char_seq_search`);
    /// returns the index of the first word that matches.
    fn seq_search(&mut self, words: &[&str], key: &DchKeyword) -> Result<usize, String> {
        let rest = &self.input[self.pos..];
        for (i, word) in words.iter().enumerate() {
            if rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word.as_bytes())
            {
                self.pos += word.len();
                return Ok(i);
            }
        }
        let end = rest
            .iter()
            .position(|&b| is_scanner_space(b))
            .unwrap_or(rest.len());
        let shown = String::from_utf8_lossy(&rest[..end]);
        Err(format!("invalid value \"{}\" for \"{}\"", shown, key.name))
    }

    /// Skips an ordinal suffix (`st`, `nd`, ...) after a number when the pattern has `TH`.
    fn skip_th(&mut self, suffix: Suffix) {
        if suffix.th.is_some() {
            self.skip_char();
            self.skip_char();
        }
    }

    /// Reads one pattern's value from the input.
    fn read_field(
        &mut self,
        idx: usize,
        key: &DchKeyword,
        suffix: Suffix,
        extra_skip: i32,
    ) -> Result<(), String> {
        use DchField::*;
        match key.field {
            Meridian { dots, .. } => {
                let v = self.seq_search(if dots { &AMPM_DOTS } else { &AMPM }, key)?;
                set_int(&mut self.out.pm, (v % 2) as i32, key.name)?;
                self.out.clock12 = true;
            }
            Era { dots, .. } => {
                let v = self.seq_search(if dots { &ADBC_DOTS } else { &ADBC }, key)?;
                set_int(&mut self.out.bc, (v % 2) as i32, key.name)?;
            }
            MonthName(_) => {
                let v = self.seq_search(&MONTHS_FULL, key)?;
                set_int(&mut self.out.mm, v as i32 + 1, key.name)?;
            }
            MonthAbbrev(_) => {
                let v = self.seq_search(&MONTHS_ABBREV, key)?;
                set_int(&mut self.out.mm, v as i32 + 1, key.name)?;
            }
            DayName(_) | DayAbbrev(_) => {
                let words: &[&str] = if matches!(key.field, DayName(_)) {
                    &DAYS_FULL
                } else {
                    &DAYS_ABBREV
                };
                let v = self.seq_search(words, key)?;
                set_int(&mut self.out.d, v as i32, key.name)?;
                self.out.d = self.out.d.wrapping_add(1);
            }
            RomanMonth { .. } => {
                let v = self.seq_search(&ROMAN_MONTHS, key)?;
                set_int(&mut self.out.mm, 12 - v as i32, key.name)?;
            }
            TzName { .. } | Offset => {
                return Err(format!(
                    "formatting field \"{}\" is only supported in to_char",
                    key.name
                ));
            }
            TzHour => self.read_tz_hour(idx, key, suffix, extra_skip)?,
            YearComma => self.read_year_comma(key, suffix)?,
            _ => self.read_numeric_field(idx, key, suffix)?,
        }
        Ok(())
    }

    /// Reads `TZH`: an optional sign (or a minus taken as the preceding separator) and hours.
    fn read_tz_hour(
        &mut self,
        idx: usize,
        key: &DchKeyword,
        suffix: Suffix,
        extra_skip: i32,
    ) -> Result<(), String> {
        let c = self.cur();
        if c == b'+' || c == b'-' || c == b' ' {
            self.out.tzsign = if c == b'-' { -1 } else { 1 };
            self.pos += 1;
        } else if extra_skip > 0 && self.pos > 0 && self.input[self.pos - 1] == b'-' {
            self.out.tzsign = -1;
        } else {
            self.out.tzsign = 1;
        }
        let (v, _) = self.parse_int_len(idx, 2, key, suffix.fm)?;
        set_int(&mut self.out.tzh, v, key.name)
    }

    /// Reads `Y,YYY` the way `sscanf("%d,%03d")` does.
    fn read_year_comma(&mut self, key: &DchKeyword, suffix: Suffix) -> Result<(), String> {
        let bad = || "invalid input string for \"Y,YYY\"".to_string();
        let first = strtol(self.input, self.pos);
        if first.end == self.pos {
            return Err(bad());
        }
        if self.input.get(first.end) != Some(&b',') {
            return Err(bad());
        }
        let mut i = first.end + 1;
        while i < self.input.len() && is_space_byte(self.input[i]) {
            i += 1;
        }
        let limit = (i + 3).min(self.input.len());
        let second = strtol(&self.input[..limit], i);
        if second.end == i {
            return Err(bad());
        }
        // PostgreSQL 15 computes this in wrapping `int` arithmetic, without an overflow check.
        let millennia = first.value as i32;
        let years = (second.value as i32).wrapping_add(millennia.wrapping_mul(1000));
        set_int(&mut self.out.year, years, key.name)?;
        self.out.yysz = 4;
        self.pos = second.end;
        self.skip_th(suffix);
        Ok(())
    }

    /// Reads a purely numeric pattern (hours, days, years, ...).
    fn read_numeric_field(
        &mut self,
        idx: usize,
        key: &DchKeyword,
        suffix: Suffix,
    ) -> Result<(), String> {
        let (value, len) = self.parse_int_len(idx, input_width(key), key, suffix.fm)?;
        if key.field == DchField::TzMinute {
            if self.out.tzsign == 0 {
                self.out.tzsign = 1;
            }
            return set_int(&mut self.out.tzm, value, key.name);
        }
        if !self.out.store_time(key, value, len)? {
            self.out.store_date(key, value, len)?;
        }
        self.skip_th(suffix);
        Ok(())
    }
}

/// How many characters a numeric pattern reads when it is not read greedily.
fn input_width(key: &DchKeyword) -> usize {
    match key.field {
        DchField::Hour24 | DchField::Hour12 | DchField::TzMinute => 2,
        DchField::Millisecond | DchField::IsoDayOfYear => 3,
        DchField::Microsecond => 6,
        DchField::Fraction(n) => usize::from(n),
        DchField::IsoDayOfWeek => 1,
        _ => key.name.len(),
    }
}

/// The factor that turns a fraction read as `len` characters into units of
/// `10^-digits` seconds: "5" means 500 milliseconds, "05" 50 (`MS`, `US`, `FFn`).
fn fraction_scale(len: usize, digits: u32) -> i32 {
    let len = u32::try_from(len).unwrap_or(u32::MAX).min(digits);
    10_i32.pow(digits - len)
}

impl TmFromChar {
    /// Stores the value of a time-of-day pattern; false when `key` is not one.
    fn store_time(&mut self, key: &DchKeyword, value: i32, len: usize) -> Result<bool, String> {
        let name = key.name;
        match key.field {
            DchField::Hour24 => set_int(&mut self.hh, value, name)?,
            DchField::Hour12 => {
                set_int(&mut self.hh, value, name)?;
                self.clock12 = true;
            }
            DchField::Minute => set_int(&mut self.mi, value, name)?,
            DchField::Second => set_int(&mut self.ss, value, name)?,
            DchField::SecondsOfDay => set_int(&mut self.ssss, value, name)?,
            DchField::Millisecond => {
                set_int(&mut self.ms, value, name)?;
                self.ms = self.ms.wrapping_mul(fraction_scale(len, 3));
            }
            DchField::Fraction(_) | DchField::Microsecond => {
                if let DchField::Fraction(n) = key.field {
                    self.ff = i32::from(n);
                }
                set_int(&mut self.us, value, name)?;
                self.us = self.us.wrapping_mul(fraction_scale(len, 6));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Stores the value of a numeric date pattern (`Q` is read but ignored).
    fn store_date(&mut self, key: &DchKeyword, value: i32, len: usize) -> Result<(), String> {
        let name = key.name;
        match key.field {
            DchField::Month => set_int(&mut self.mm, value, name),
            DchField::DayOfYear | DchField::IsoDayOfYear => set_int(&mut self.ddd, value, name),
            DchField::DayOfMonth => set_int(&mut self.dd, value, name),
            DchField::DayOfWeek => set_int(&mut self.d, value, name),
            DchField::IsoDayOfWeek => {
                set_int(&mut self.d, value, name)?;
                // ISO numbers Monday 1 .. Sunday 7; store Sunday = 1 like `D`.
                self.d = self.d.wrapping_add(1);
                if self.d > 7 {
                    self.d = 1;
                }
                Ok(())
            }
            DchField::WeekOfYear | DchField::IsoWeek => set_int(&mut self.ww, value, name),
            DchField::Century => set_int(&mut self.cc, value, name),
            DchField::Year(n) | DchField::IsoYear(n) => {
                set_int(&mut self.year, value, name)?;
                if n < 4 && len < 4 {
                    self.year = adjust_partial_year_to_2020(self.year);
                }
                self.yysz = i32::from(n);
                Ok(())
            }
            DchField::WeekOfMonth => set_int(&mut self.w, value, name),
            DchField::Julian => set_int(&mut self.j, value, name),
            _ => Ok(()),
        }
    }
}

/// A broken-down timestamp being assembled by `to_timestamp` (the parts of `pg_tm` it uses).
#[derive(Debug)]
struct PgTm {
    year: i32,
    mon: i32,
    mday: i32,
    hour: i32,
    min: i32,
    sec: i32,
}

const DTK_YEAR: u8 = 1;
const DTK_MONTH: u8 = 2;
const DTK_DAY: u8 = 4;
const DTK_DATE: u8 = DTK_YEAR | DTK_MONTH | DTK_DAY;

/// PostgreSQL's message for an impossible date or time field.
fn field_overflow(text: &str) -> String {
    format!("date/time field value out of range: \"{}\"", text)
}

/// Turns the fields read by `to_timestamp` into a timestamp (`do_to_timestamp` and
/// `tm2timestamp`).
fn fields_to_timestamp(f: &TmFromChar, text: &str) -> Result<NaiveDateTime, String> {
    let mut tm = PgTm {
        year: 0,
        mon: 1,
        mday: 1,
        hour: 0,
        min: 0,
        sec: 0,
    };
    apply_time_fields(f, &mut tm)?;
    let mut fmask = apply_year_fields(f, &mut tm);
    fmask |= apply_day_fields(f, &mut tm)?;
    let fsec = f.ms.wrapping_mul(1000).wrapping_add(f.us);
    validate_date(fmask, &tm).map_err(|_| field_overflow(text))?;
    if !(0..24).contains(&tm.hour)
        || !(0..60).contains(&tm.min)
        || !(0..60).contains(&tm.sec)
        || !(0..1_000_000).contains(&fsec)
    {
        return Err(field_overflow(text));
    }
    let gmtoffset = time_zone_offset(f, text)?;
    tm_to_timestamp(&tm, fsec, gmtoffset, f.ff)
}

/// Seconds-of-day, hour, minute, second and the 12-hour clock.
fn apply_time_fields(f: &TmFromChar, tm: &mut PgTm) -> Result<(), String> {
    if f.ssss != 0 {
        tm.hour = f.ssss / 3600;
        tm.min = f.ssss % 3600 / 60;
        tm.sec = f.ssss % 60;
    }
    if f.ss != 0 {
        tm.sec = f.ss;
    }
    if f.mi != 0 {
        tm.min = f.mi;
    }
    if f.hh != 0 {
        tm.hour = f.hh;
    }
    if f.clock12 {
        if tm.hour < 1 || tm.hour > 12 {
            return Err(format!(
                "hour \"{}\" is invalid for the 12-hour clock",
                tm.hour
            ));
        }
        if f.pm != 0 && tm.hour < 12 {
            tm.hour += 12;
        } else if f.pm == 0 && tm.hour == 12 {
            tm.hour = 0;
        }
    }
    Ok(())
}

/// Year, century and BC fields; returns the date-field mask they set.  PostgreSQL 15 does
/// this arithmetic in wrapping `int`s (an absurd century then fails the range check).
fn apply_year_fields(f: &TmFromChar, tm: &mut PgTm) -> u8 {
    let cc = if f.bc != 0 { f.cc.wrapping_neg() } else { f.cc };
    if f.year != 0 {
        if f.cc != 0 && f.yysz <= 2 {
            let yy = f.year % 100;
            tm.year = if yy == 0 {
                cc.wrapping_mul(100)
                    .wrapping_add(if cc >= 0 { 0 } else { 1 })
            } else if cc >= 0 {
                (cc - 1).wrapping_mul(100).wrapping_add(yy)
            } else {
                (cc + 1).wrapping_mul(100).wrapping_sub(yy).wrapping_add(1)
            };
        } else {
            tm.year = if f.bc != 0 {
                f.year.wrapping_neg()
            } else {
                f.year
            };
            if tm.year < 0 {
                tm.year += 1;
            }
        }
        return DTK_YEAR;
    }
    if f.cc != 0 {
        tm.year = if cc >= 0 { cc - 1 } else { cc }
            .wrapping_mul(100)
            .wrapping_add(1);
        return DTK_YEAR;
    }
    0
}

/// Julian day, weeks, day of month, month and day of year; returns the mask they set.
fn apply_day_fields(f: &TmFromChar, tm: &mut PgTm) -> Result<u8, String> {
    let mut fmask = 0;
    let mut ddd = f.ddd;
    let mut dd = f.dd;
    if f.j != 0 {
        (tm.year, tm.mon, tm.mday) = j2date(f.j);
        fmask |= DTK_DATE;
    }
    if f.ww != 0 {
        if f.mode == DateMode::IsoWeek {
            let mut jday = isoweek2j(tm.year, f.ww);
            if f.d != 0 {
                jday = jday.wrapping_add(if f.d > 1 { f.d - 2 } else { 6 });
            }
            (tm.year, tm.mon, tm.mday) = j2date(jday);
            fmask |= DTK_DATE;
        } else {
            ddd = f.ww.wrapping_sub(1).wrapping_mul(7).wrapping_add(1);
        }
    }
    if f.w != 0 {
        dd = f.w.wrapping_sub(1).wrapping_mul(7).wrapping_add(1);
    }
    if dd != 0 {
        tm.mday = dd;
        fmask |= DTK_DAY;
    }
    if f.mm != 0 {
        tm.mon = f.mm;
        fmask |= DTK_MONTH;
    }
    if ddd != 0 && (tm.mon <= 1 || tm.mday <= 1) {
        fmask |= apply_day_of_year(f, ddd, tm)?;
    }
    Ok(fmask)
}

/// Cumulative days before each month, for common and leap years.
const YEAR_DAY_SUMS: [[i32; 13]; 2] = [
    [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365],
    [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366],
];

/// Sets month and day from a (Gregorian or ISO) day of the year.
fn apply_day_of_year(f: &TmFromChar, ddd: i32, tm: &mut PgTm) -> Result<u8, String> {
    if tm.year == 0 && f.bc == 0 {
        return Err("cannot calculate day of year without year information".to_string());
    }
    if f.mode == DateMode::IsoWeek {
        let j0 = isoweek2j(tm.year, 1).wrapping_sub(1);
        (tm.year, tm.mon, tm.mday) = j2date(j0.wrapping_add(ddd));
        return Ok(DTK_DATE);
    }
    let sums = &YEAR_DAY_SUMS[usize::from(is_leap(tm.year))];
    let month = (1..=12).find(|&i| ddd <= sums[i]).unwrap_or(13);
    if tm.mon <= 1 {
        tm.mon = month as i32;
    }
    if tm.mday <= 1 {
        tm.mday = ddd.wrapping_sub(sums[month - 1]);
    }
    Ok(DTK_MONTH | DTK_DAY)
}

/// `ValidateDate()` for already-Julian years: plausible month and day of month.
fn validate_date(fmask: u8, tm: &PgTm) -> Result<(), ()> {
    if fmask & DTK_MONTH != 0 && !(1..=12).contains(&tm.mon) {
        return Err(());
    }
    if fmask & DTK_DAY != 0 && !(1..=31).contains(&tm.mday) {
        return Err(());
    }
    if fmask & DTK_DATE == DTK_DATE {
        const DAYS_IN_MONTH: [[i32; 12]; 2] = [
            [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
            [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31],
        ];
        let limit = usize::try_from(tm.mon - 1)
            .ok()
            .and_then(|m| DAYS_IN_MONTH[usize::from(is_leap(tm.year))].get(m))
            .copied()
            .unwrap_or(0);
        if tm.mday > limit {
            return Err(());
        }
    }
    Ok(())
}

/// The offset (seconds west of Greenwich, PostgreSQL's convention) given by `TZH`/`TZM`.
fn time_zone_offset(f: &TmFromChar, text: &str) -> Result<i32, String> {
    if f.tzsign == 0 {
        return Ok(0);
    }
    if !(0..=15).contains(&f.tzh) || !(0..60).contains(&f.tzm) {
        return Err(format!("time zone displacement out of range: \"{}\"", text));
    }
    let offset = (f.tzh * 60 + f.tzm) * 60;
    Ok(if f.tzsign > 0 { -offset } else { offset })
}

/// Microseconds from 4714-11-24 BC (the earliest timestamp) to 2000-01-01.
const MIN_TIMESTAMP: i64 = -211_813_488_000_000_000;
/// Microseconds from 2000-01-01 to 294277-01-01 (just past the latest timestamp).
const END_TIMESTAMP: i64 = 9_223_371_331_200_000_000;
const POSTGRES_EPOCH_JDATE: i64 = 2_451_545;
const USECS_PER_DAY: i64 = 86_400_000_000;

/// Whether a date is inside the range the Julian-day routines accept (`IS_VALID_JULIAN`).
fn is_valid_julian(year: i32, mon: i32) -> bool {
    (year > -4713 || (year == -4713 && mon >= 11))
        && (year < 5_874_898 || (year == 5_874_898 && mon < 6))
}

/// Builds the timestamp (`tm2timestamp`), shifting by the offset and rounding to `FFn`.
fn tm_to_timestamp(
    tm: &PgTm,
    fsec: i32,
    gmtoffset: i32,
    fprec: i32,
) -> Result<NaiveDateTime, String> {
    let out_of_range = || "timestamp out of range".to_string();
    if !is_valid_julian(tm.year, tm.mon) {
        return Err(out_of_range());
    }
    let date = i64::from(date2j(tm.year, tm.mon, tm.mday)) - POSTGRES_EPOCH_JDATE;
    let time = ((i64::from(tm.hour) * 60 + i64::from(tm.min)) * 60 + i64::from(tm.sec)) * 1_000_000
        + i64::from(fsec);
    let local = date
        .checked_mul(USECS_PER_DAY)
        .and_then(|d| d.checked_add(time))
        .ok_or_else(out_of_range)?;
    let mut result = local
        .checked_add(i64::from(gmtoffset) * 1_000_000)
        .ok_or_else(out_of_range)?;
    if !(MIN_TIMESTAMP..END_TIMESTAMP).contains(&result) {
        return Err(out_of_range());
    }
    if (1..6).contains(&fprec) {
        result = round_to_precision(result, fprec);
    }
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .ok_or_else(out_of_range)?;
    epoch
        .checked_add_signed(Duration::microseconds(result))
        .ok_or_else(out_of_range)
}

/// Rounds microseconds to `precision` fractional digits, halves away from zero
/// (`AdjustTimestampForTypmod`).
fn round_to_precision(micros: i64, precision: i32) -> i64 {
    let scale = 10_i64.pow(6 - precision.clamp(0, 6) as u32);
    let offset = scale / 2;
    if micros >= 0 {
        (micros + offset) / scale * scale
    } else {
        -((-micros + offset) / scale * scale)
    }
}

// ======================================================================================
// Decimal numbers (the small part of `numeric` the number templates need)
// ======================================================================================

/// An exact decimal number: sign, all digits, and how many of them follow the point.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    scale: usize,
}

impl Decimal {
    /// Parses plain decimal text: optional white space and sign, digits, optional point.
    fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim_matches(is_c_space);
        let (negative, body) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part)
        {
            return None;
        }
        let digits = int_part
            .bytes()
            .chain(frac_part.bytes())
            .map(|b| b - b'0')
            .collect();
        Some(Decimal {
            negative,
            digits,
            scale: frac_part.len(),
        })
    }

    /// Number of digits before the point.
    fn int_len(&self) -> usize {
        self.digits.len() - self.scale
    }

    /// Whether every digit is zero.
    fn is_zero(&self) -> bool {
        self.digits.iter().all(|&d| d == 0)
    }

    /// Multiplies by `10^n`.
    fn shift_left(mut self, n: usize) -> Decimal {
        if n > self.scale {
            self.digits.resize(self.digits.len() + n - self.scale, 0);
            self.scale = 0;
        } else {
            self.scale -= n;
        }
        self
    }

    /// Rounds (halves away from zero) or zero-extends to exactly `scale` fractional digits.
    fn round(mut self, scale: usize) -> Decimal {
        if scale >= self.scale {
            self.digits
                .resize(self.digits.len() + scale - self.scale, 0);
            self.scale = scale;
            return self;
        }
        let keep = self.int_len() + scale;
        let round_up = self.digits[keep] >= 5;
        self.digits.truncate(keep);
        self.scale = scale;
        if round_up {
            let mut i = keep;
            loop {
                if i == 0 {
                    self.digits.insert(0, 1);
                    break;
                }
                i -= 1;
                if self.digits[i] == 9 {
                    self.digits[i] = 0;
                } else {
                    self.digits[i] += 1;
                    break;
                }
            }
        }
        self
    }

    /// The digits before the point without leading zeros (empty for zero).
    fn significant_int_digits(&self) -> &[u8] {
        let int = &self.digits[..self.int_len()];
        let first = int.iter().position(|&d| d != 0).unwrap_or(int.len());
        &int[first..]
    }

    /// The text `numeric_out` prints: no leading zeros, exactly `scale` decimals, and a
    /// minus sign only for non-zero values.
    fn to_plain_string(&self) -> String {
        let mut s = String::new();
        if self.negative && !self.is_zero() {
            s.push('-');
        }
        let int = self.significant_int_digits();
        if int.is_empty() {
            s.push('0');
        }
        s.extend(int.iter().map(|d| char::from(b'0' + d)));
        if self.scale > 0 {
            s.push('.');
            s.extend(
                self.digits[self.int_len()..]
                    .iter()
                    .map(|d| char::from(b'0' + d)),
            );
        }
        s
    }

    /// The text `numeric_out_sci` prints: one digit before the point (unless rounding
    /// carries to 10), `scale` decimals, then `e` and a signed two-digit exponent.
    fn to_sci_string(&self, scale: usize) -> String {
        let exponent = match self.digits.iter().position(|&d| d != 0) {
            Some(first) => self.int_len() as i64 - 1 - first as i64,
            None => 0,
        };
        let mut significand = self.clone();
        if exponent >= 0 {
            let e = exponent as usize;
            if e > significand.int_len() {
                let pad = e - significand.int_len();
                significand.digits.splice(0..0, std::iter::repeat_n(0, pad));
            }
            significand.scale += e;
        } else {
            significand = significand.shift_left(exponent.unsigned_abs() as usize);
        }
        let text = significand.round(scale).to_plain_string();
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{}{:02}", text, sign, exponent.unsigned_abs())
    }

    /// Rounds to an integer, or None when it does not fit an `int4`.
    fn to_i32_rounded(&self) -> Option<i32> {
        let rounded = self.clone().round(0);
        let int = rounded.significant_int_digits();
        if int.len() > 10 {
            return None;
        }
        let magnitude = int.iter().fold(0_i64, |acc, &d| acc * 10 + i64::from(d));
        i32::try_from(if rounded.negative {
            -magnitude
        } else {
            magnitude
        })
        .ok()
    }

    /// Multiplies by `power(10::numeric, -n)`, whose value PostgreSQL computes with 16
    /// decimals (so the product has 16 more decimals, and is zero beyond `n = 16`).
    fn times_power_of_ten_inverse(self, n: i32) -> Decimal {
        let target_scale = self.scale + 16;
        let shift = usize::try_from(n).unwrap_or(0);
        if shift > 16 {
            return Decimal {
                negative: false,
                digits: vec![0; target_scale + 1],
                scale: target_scale,
            };
        }
        let mut d = self;
        let extra = target_scale - d.scale;
        d.digits.resize(d.digits.len() + extra, 0);
        d.scale = target_scale;
        d.digits.truncate(d.digits.len() - shift);
        d.digits.splice(0..0, std::iter::repeat_n(0, shift));
        d
    }
}

/// `numeric_in` followed by the typmod check `to_number` applies (precision, scale).
fn numeric_in_with_typmod(text: &str, precision: i32, scale: i32) -> Result<Decimal, String> {
    let value = Decimal::parse(text)
        .ok_or_else(|| format!("invalid input syntax for type numeric: \"{}\"", text))?;
    let scale_digits = usize::try_from(scale).unwrap_or(0);
    let value = value.round(scale_digits);
    let max_digits = i64::from(precision) - i64::from(scale);
    if !value.is_zero() && value.significant_int_digits().len() as i64 > max_digits {
        return Err("numeric field overflow".to_string());
    }
    Ok(value)
}

// ======================================================================================
// Numeric template parsing
// ======================================================================================

/// A numeric template pattern.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum NumKey {
    Comma,
    Dec,
    Zero,
    Nine,
    B,
    C,
    D,
    Eeee,
    Fm,
    G,
    L,
    Mi,
    Pl,
    Pr,
    Rn { upper: bool },
    Sg,
    Sp,
    S,
    Th { upper: bool },
    V,
}

/// Numeric patterns in PostgreSQL's search order.
static NUM_KEYWORDS: &[(&str, NumKey)] = &[
    (",", NumKey::Comma),
    (".", NumKey::Dec),
    ("0", NumKey::Zero),
    ("9", NumKey::Nine),
    ("B", NumKey::B),
    ("C", NumKey::C),
    ("D", NumKey::D),
    ("EEEE", NumKey::Eeee),
    ("FM", NumKey::Fm),
    ("G", NumKey::G),
    ("L", NumKey::L),
    ("MI", NumKey::Mi),
    ("PL", NumKey::Pl),
    ("PR", NumKey::Pr),
    ("RN", NumKey::Rn { upper: true }),
    ("SG", NumKey::Sg),
    ("SP", NumKey::Sp),
    ("S", NumKey::S),
    ("TH", NumKey::Th { upper: true }),
    ("V", NumKey::V),
    ("b", NumKey::B),
    ("c", NumKey::C),
    ("d", NumKey::D),
    ("eeee", NumKey::Eeee),
    ("fm", NumKey::Fm),
    ("g", NumKey::G),
    ("l", NumKey::L),
    ("mi", NumKey::Mi),
    ("pl", NumKey::Pl),
    ("pr", NumKey::Pr),
    ("rn", NumKey::Rn { upper: false }),
    ("sg", NumKey::Sg),
    ("sp", NumKey::Sp),
    ("s", NumKey::S),
    ("th", NumKey::Th { upper: false }),
    ("v", NumKey::V),
];

/// One element of a parsed numeric template.
#[derive(Clone, Copy, Debug)]
enum NumNode {
    Key(NumKey),
    Literal(char),
}

/// Where the `S` pattern puts the sign.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
enum LSign {
    #[default]
    None,
    Pre,
    Post,
}

/// What a numeric template asks for (PostgreSQL's `NUMDesc`).
#[derive(Clone, Debug, Default)]
struct NumDesc {
    pre: i32,
    post: i32,
    lsign: LSign,
    pre_lsign_num: i32,
    multi: i32,
    zero_start: i32,
    zero_end: i32,
    decimal: bool,
    zero: bool,
    blank: bool,
    fillmode: bool,
    lsign_flag: bool,
    bracket: bool,
    minus: bool,
    plus: bool,
    roman: bool,
    multi_flag: bool,
    eeee: bool,
}

impl NumDesc {
    /// Accounts for one pattern, rejecting impossible combinations (`NUMDesc_prepare`).
    fn add(&mut self, key: NumKey) -> Result<(), String> {
        let err = |m: &str| Err(m.to_string());
        if self.eeee && key != NumKey::Eeee {
            return err("\"EEEE\" must be the last pattern used");
        }
        match key {
            NumKey::Nine | NumKey::Zero => self.add_digit(key)?,
            NumKey::D | NumKey::Dec => {
                if self.decimal {
                    return err("multiple decimal points");
                }
                if self.multi_flag {
                    return err("cannot use \"V\" and decimal point together");
                }
                self.decimal = true;
            }
            NumKey::Fm => self.fillmode = true,
            NumKey::B if self.pre == 0 && self.post == 0 && !self.zero => self.blank = true,
            NumKey::S => self.add_s()?,
            NumKey::Mi | NumKey::Pl | NumKey::Sg => {
                if self.lsign_flag {
                    let name = match key {
                        NumKey::Mi => "MI",
                        NumKey::Pl => "PL",
                        _ => "SG",
                    };
                    return Err(format!("cannot use \"S\" and \"{}\" together", name));
                }
                self.minus |= key != NumKey::Pl;
                self.plus |= key != NumKey::Mi;
            }
            NumKey::Pr => {
                if self.lsign_flag || self.plus || self.minus {
                    return err("cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together");
                }
                self.bracket = true;
            }
            NumKey::Rn { .. } => self.roman = true,
            NumKey::V => {
                if self.decimal {
                    return err("cannot use \"V\" and decimal point together");
                }
                self.multi_flag = true;
            }
            NumKey::Eeee => self.add_eeee()?,
            _ => {}
        }
        Ok(())
    }

    /// A `9` or `0` digit position.
    fn add_digit(&mut self, key: NumKey) -> Result<(), String> {
        if self.bracket {
            return Err(format!(
                "\"{}\" must be ahead of \"PR\"",
                if key == NumKey::Zero { "0" } else { "9" }
            ));
        }
        if key == NumKey::Nine && self.multi_flag {
            self.multi += 1;
            return Ok(());
        }
        if key == NumKey::Zero && !self.zero && !self.decimal {
            self.zero = true;
            self.zero_start = self.pre + 1;
        }
        if self.decimal {
            self.post += 1;
        } else {
            self.pre += 1;
        }
        if key == NumKey::Zero {
            self.zero_end = self.pre + self.post;
        }
        Ok(())
    }

    /// The `S` (anchored sign) pattern.
    fn add_s(&mut self) -> Result<(), String> {
        if self.lsign_flag {
            return Err("cannot use \"S\" twice".to_string());
        }
        if self.plus || self.minus || self.bracket {
            return Err("cannot use \"S\" and \"PL\"/\"MI\"/\"SG\"/\"PR\" together".to_string());
        }
        if !self.decimal {
            self.lsign = LSign::Pre;
            self.pre_lsign_num = self.pre;
            self.lsign_flag = true;
        } else if self.lsign == LSign::None {
            self.lsign = LSign::Post;
            self.lsign_flag = true;
        }
        Ok(())
    }

    /// The `EEEE` (scientific notation) pattern.
    fn add_eeee(&mut self) -> Result<(), String> {
        if self.eeee {
            return Err("cannot use \"EEEE\" twice".to_string());
        }
        if self.blank
            || self.fillmode
            || self.lsign_flag
            || self.bracket
            || self.minus
            || self.plus
            || self.roman
            || self.multi_flag
        {
            return Err("\"EEEE\" is incompatible with other formats".to_string());
        }
        self.eeee = true;
        Ok(())
    }
}

/// The first numeric pattern spelled at the start of `chars`.
fn find_num_keyword(chars: &[char]) -> Option<(&'static str, NumKey)> {
    NUM_KEYWORDS
        .iter()
        .find(|(name, _)| starts_with_ascii(chars, name))
        .copied()
}

/// Parses a numeric template into patterns and literals, and describes it.
fn parse_num_template(template: &str) -> Result<(Vec<NumNode>, NumDesc), String> {
    let chars: Vec<char> = template.chars().collect();
    let mut nodes = Vec::new();
    let mut desc = NumDesc::default();
    let mut i = 0;
    while i < chars.len() {
        if let Some((name, key)) = find_num_keyword(&chars[i..]) {
            desc.add(key)?;
            nodes.push(NumNode::Key(key));
            i += name.len();
        } else {
            let (literal, next) = read_literal(&chars, i);
            nodes.extend(literal.into_iter().map(|(c, _)| NumNode::Literal(c)));
            i = next;
        }
    }
    Ok((nodes, desc))
}

// ======================================================================================
// to_char for numbers
// ======================================================================================

/// Roman numerals for 1..=3999, or fifteen `#` otherwise (`int_to_roman`).
fn int_to_roman(number: i32) -> String {
    const ONES: [&str; 9] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    const TENS: [&str; 9] = ["X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"];
    const HUNDREDS: [&str; 9] = ["C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"];
    if !(1..=3999).contains(&number) {
        return "#".repeat(15);
    }
    let n = number as usize;
    let mut s = "M".repeat(n / 1000);
    for (digit, table) in [
        (n / 100 % 10, &HUNDREDS),
        (n / 10 % 10, &TENS),
        (n % 10, &ONES),
    ] {
        if digit > 0 {
            s.push_str(table[digit - 1]);
        }
    }
    s
}

/// `#` in every digit position, with the point after the integer positions.
fn overflow_mask(pre: i32, post: i32) -> Vec<u8> {
    let pre = usize::try_from(pre).unwrap_or(0);
    let post = usize::try_from(post).unwrap_or(0);
    let mut s = vec![b'#'; pre + post + 1];
    s[pre] = b'.';
    s
}

/// `to_char(numeric, template)`, or PostgreSQL's error for a bad template or number.
fn num_to_char(decimal: &str, template: &str) -> Result<String, String> {
    if template.is_empty() {
        return Ok(String::new());
    }
    let (nodes, mut desc) = parse_num_template(template)?;
    let value = Decimal::parse(decimal)
        .ok_or_else(|| format!("invalid input syntax for type numeric: \"{}\"", decimal))?;
    if desc.eeee {
        // The rest of an EEEE template is ignored: only the number is printed.
        let sci = value.to_sci_string(usize::try_from(desc.post).unwrap_or(0));
        return Ok(if sci.starts_with('-') {
            sci
        } else {
            format!(" {}", sci)
        });
    }
    let (number, out_pre_spaces, sign) = if desc.roman {
        let int = value
            .to_i32_rounded()
            .ok_or_else(|| "integer out of range".to_string())?;
        (int_to_roman(int).into_bytes(), 0, 0)
    } else {
        template_digits(value, &mut desc)
    };
    NumToChar::new(desc, number, out_pre_spaces, sign).run(&nodes)
}

/// The value scaled by `V` and rounded to the template's decimals, as digits without sign
/// (or `#` in every position when it has too many integer digits); also the number of
/// unused integer positions and the sign (`+` or `-`).
fn template_digits(value: Decimal, desc: &mut NumDesc) -> (Vec<u8>, i32, u8) {
    let mut value = value;
    if desc.multi_flag {
        value = value.shift_left(usize::try_from(desc.multi).unwrap_or(0));
        desc.pre += desc.multi;
    }
    let text = value
        .round(usize::try_from(desc.post).unwrap_or(0))
        .to_plain_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (b'-', rest),
        None => (b'+', text.as_str()),
    };
    let pre_len = i32::try_from(digits.find('.').unwrap_or(digits.len())).unwrap_or(i32::MAX);
    if pre_len > desc.pre {
        (overflow_mask(desc.pre, desc.post), 0, sign)
    } else {
        (digits.as_bytes().to_vec(), desc.pre - pre_len, sign)
    }
}

/// State of `NUM_processor` while writing a number (to_char direction).
struct NumToChar {
    desc: NumDesc,
    number: Vec<u8>,
    number_p: usize,
    last_relevant: Option<usize>,
    out: Vec<u8>,
    sign: u8,
    sign_wrote: bool,
    num_count: i32,
    num_in: bool,
    num_curr: i32,
    out_pre_spaces: i32,
}

impl NumToChar {
    /// Sets up the processor: sign handling, digit counts and fill-mode trimming.
    fn new(mut desc: NumDesc, number: Vec<u8>, out_pre_spaces: i32, sign: u8) -> Self {
        if desc.zero_start > 0 {
            desc.zero_start -= 1;
        }
        let mut sign = sign;
        let mut out_pre_spaces = out_pre_spaces;
        if desc.roman {
            let fm = desc.fillmode;
            desc = NumDesc {
                fillmode: fm,
                roman: true,
                zero_start: desc.zero_start,
                zero_end: desc.zero_end,
                multi: desc.multi,
                ..NumDesc::default()
            };
            out_pre_spaces = 0;
            sign = 0;
        }
        let sign_wrote = if desc.plus || desc.minus {
            !desc.plus || desc.minus
        } else {
            if sign != b'-' && desc.fillmode {
                desc.bracket = false;
            }
            if desc.lsign == LSign::Pre && desc.pre == desc.pre_lsign_num {
                desc.lsign = LSign::Post;
            }
            sign == b'+' && desc.fillmode && !desc.lsign_flag
        };
        let mut p = NumToChar {
            num_count: desc.post + desc.pre - 1,
            desc,
            number,
            number_p: 0,
            last_relevant: None,
            out: Vec::new(),
            sign,
            sign_wrote,
            num_in: false,
            num_curr: 0,
            out_pre_spaces,
        };
        p.find_last_relevant();
        if !p.sign_wrote && p.out_pre_spaces == 0 {
            p.num_count += 1;
        }
        p
    }

    /// In fill mode, the last fractional digit worth printing (`get_last_relevant_decnum`),
    /// never before a `0` pattern.
    fn find_last_relevant(&mut self) {
        if !(self.desc.fillmode && self.desc.decimal) {
            return;
        }
        let Some(point) = self.number.iter().position(|&c| c == b'.') else {
            return;
        };
        let mut last = point;
        for (i, &c) in self.number.iter().enumerate().skip(point + 1) {
            if c != b'0' {
                last = i;
            }
        }
        if self.desc.zero_end > self.out_pre_spaces {
            let last_zero = (self.number.len() as i64 - 1)
                .min(i64::from(self.desc.zero_end - self.out_pre_spaces));
            if let Ok(last_zero) = usize::try_from(last_zero) {
                last = last.max(last_zero);
            }
        }
        self.last_relevant = Some(last);
    }

    /// The number's character at `i`, NUL past its end.
    fn num_at(&self, i: usize) -> u8 {
        self.number.get(i).copied().unwrap_or(0)
    }

    /// Whether the last relevant character is the decimal point itself.
    fn last_relevant_is_point(&self) -> bool {
        self.last_relevant.is_some_and(|i| self.num_at(i) == b'.')
    }

    /// A leading `0` of a number below one that prints as a blank (`IS_PREDEC_SPACE`).
    fn is_predec_space(&self) -> bool {
        !self.desc.zero && self.number_p == 0 && self.num_at(0) == b'0' && self.desc.post != 0
    }

    /// Writes the output for the whole template.
    fn run(mut self, nodes: &[NumNode]) -> Result<String, String> {
        for node in nodes {
            match *node {
                NumNode::Key(key) => self.write_key(key)?,
                NumNode::Literal(c) => {
                    let mut buf = [0u8; 4];
                    self.out
                        .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        let end = self
            .out
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(self.out.len());
        self.out.truncate(end);
        Ok(String::from_utf8_lossy(&self.out).into_owned())
    }

    /// Writes one pattern.
    fn write_key(&mut self, key: NumKey) -> Result<(), String> {
        let fm = self.desc.fillmode;
        match key {
            NumKey::Nine | NumKey::Zero | NumKey::Dec | NumKey::D => self.write_numpart(key),
            NumKey::Comma | NumKey::G => {
                if self.num_in {
                    self.out.push(b',');
                } else if !fm {
                    self.out.push(b' ');
                }
            }
            NumKey::L => self.out.push(b' '),
            NumKey::Rn { upper } => {
                let rest: Vec<u8> = self.number[self.number_p.min(self.number.len())..]
                    .iter()
                    .take_while(|&&b| b != 0)
                    .map(|b| if upper { *b } else { b.to_ascii_lowercase() })
                    .collect();
                if !fm {
                    self.out.extend(std::iter::repeat_n(
                        b' ',
                        15_usize.saturating_sub(rest.len()),
                    ));
                }
                self.out.extend(rest);
            }
            NumKey::Th { upper }
                if !(self.desc.roman
                    || self.num_at(0) == b'#'
                    || self.sign == b'-'
                    || self.desc.decimal) =>
            {
                let text = String::from_utf8_lossy(&self.number).into_owned();
                self.out
                    .extend_from_slice(ordinal_suffix(&text, upper)?.as_bytes());
            }
            NumKey::Mi => self.write_sign_pattern(b'-'),
            NumKey::Pl => self.write_sign_pattern(b'+'),
            NumKey::Sg => self.out.push(self.sign),
            _ => {}
        }
        Ok(())
    }

    /// `MI`/`PL`: the sign when it is `wanted`, else a blank (nothing under `FM`).
    fn write_sign_pattern(&mut self, wanted: u8) {
        if self.sign == wanted {
            self.out.push(wanted);
        } else if !self.desc.fillmode {
            self.out.push(b' ');
        }
    }

    /// Writes the sign in front of the first digit when it is due.
    fn write_leading_sign(&mut self) {
        let due = self.num_curr >= self.out_pre_spaces
            || (self.desc.zero && self.desc.zero_start == self.num_curr);
        if self.sign_wrote || !due || (self.is_predec_space() && !self.last_relevant_is_point()) {
            return;
        }
        if self.desc.lsign_flag {
            if self.desc.lsign == LSign::Pre {
                self.out.push(if self.sign == b'-' { b'-' } else { b'+' });
                self.sign_wrote = true;
            }
        } else if self.desc.bracket {
            self.out.push(if self.sign == b'+' { b' ' } else { b'<' });
            self.sign_wrote = true;
        } else if self.sign == b'+' {
            if !self.desc.fillmode {
                self.out.push(b' ');
            }
            self.sign_wrote = true;
        } else if self.sign == b'-' {
            self.out.push(b'-');
            self.sign_wrote = true;
        }
    }

    /// A digit or decimal-point pattern (`NUM_numpart_to_char`).
    fn write_numpart(&mut self, key: NumKey) {
        if self.desc.roman {
            return;
        }
        self.num_in = false;
        self.write_leading_sign();
        let fm = self.desc.fillmode;
        let zero = self.desc.zero;
        if self.num_curr < self.out_pre_spaces && (self.desc.zero_start > self.num_curr || !zero) {
            if !fm {
                self.out.push(b' ');
            }
        } else if zero
            && self.num_curr < self.out_pre_spaces
            && self.desc.zero_start <= self.num_curr
        {
            self.out.push(b'0');
            self.num_in = true;
        } else {
            self.write_digit_or_point(key);
        }
        let mut end =
            self.num_count + i32::from(self.out_pre_spaces != 0) + i32::from(self.desc.decimal);
        if self.last_relevant == Some(self.number_p) {
            end = self.num_curr;
        }
        if self.num_curr + 1 == end {
            if self.sign_wrote && self.desc.bracket {
                self.out.push(if self.sign == b'+' { b' ' } else { b'>' });
            } else if self.desc.lsign_flag && self.desc.lsign == LSign::Post {
                self.out.push(if self.sign == b'-' { b'-' } else { b'+' });
            }
        }
        self.num_curr += 1;
    }

    /// Writes the number's next character (digit or point), honouring fill mode.
    fn write_digit_or_point(&mut self, key: NumKey) {
        let c = self.num_at(self.number_p);
        if c == b'.' {
            if !self.last_relevant_is_point() || self.desc.fillmode {
                self.out.push(b'.');
            }
        } else if self.last_relevant.is_some_and(|lr| self.number_p > lr) && key != NumKey::Zero {
            // trailing zero dropped by fill mode
        } else if self.is_predec_space() {
            if !self.desc.fillmode {
                self.out.push(b' ');
            } else if self.last_relevant_is_point() {
                self.out.push(b'0');
            }
        } else {
            self.out.push(c);
            self.num_in = true;
        }
        if c != 0 {
            self.number_p += 1;
        }
    }
}

// ======================================================================================
// to_number
// ======================================================================================

/// The number text `to_number` assembled, with its count of fractional digits.
struct NumString {
    text: String,
    read_post: i32,
}

/// State of `NUM_processor` while reading a number (to_number direction).
struct NumFromChar<'a> {
    desc: &'a NumDesc,
    input: &'a [u8],
    pos: usize,
    number: Vec<u8>,
    read_dec: bool,
    read_post: i32,
    read_pre: i32,
}

impl<'a> NumFromChar<'a> {
    /// A reader at the start of the input, with an empty sign slot.
    fn new(desc: &'a NumDesc, input: &'a [u8]) -> Self {
        NumFromChar {
            desc,
            input,
            pos: 0,
            number: vec![b' '],
            read_dec: false,
            read_post: 0,
            read_pre: 0,
        }
    }

    /// Whether the input is exhausted (`OVERLOAD_TEST`).
    fn overload(&self) -> bool {
        self.pos >= self.input.len()
    }

    /// The input byte at `i`, NUL past the end.
    fn at(&self, i: usize) -> u8 {
        self.input.get(i).copied().unwrap_or(0)
    }

    /// Walks the template over the input and returns the number text.
    fn run(mut self, nodes: &[NumNode]) -> NumString {
        for node in nodes {
            if self.overload() {
                break;
            }
            let consumed = match *node {
                NumNode::Key(key) => self.read_key(key),
                NumNode::Literal(_) => {
                    self.pos += mblen(self.at(self.pos));
                    false
                }
            };
            if consumed {
                self.pos += 1;
            }
        }
        if self.number.len() > 1 && self.number.last() == Some(&b'.') {
            self.number.pop();
        }
        NumString {
            text: String::from_utf8_lossy(&self.number).into_owned(),
            read_post: self.read_post,
        }
    }

    /// Handles one pattern; true when the pattern consumes the current character.
    fn read_key(&mut self, key: NumKey) -> bool {
        let c = self.at(self.pos);
        match key {
            NumKey::Nine | NumKey::Zero | NumKey::Dec | NumKey::D => {
                self.read_numpart(key);
                true
            }
            NumKey::Comma | NumKey::G => !self.desc.fillmode && c == b',',
            NumKey::L => {
                self.eat_non_data_chars(1);
                false
            }
            NumKey::Th { .. } => {
                if !(self.desc.roman || self.number[0] == b'#' || self.desc.decimal) {
                    self.eat_non_data_chars(2);
                }
                false
            }
            NumKey::Mi | NumKey::Pl | NumKey::Sg => {
                let accepts = match key {
                    NumKey::Mi => c == b'-',
                    NumKey::Pl => c == b'+',
                    _ => c == b'-' || c == b'+',
                };
                if accepts {
                    self.number[0] = c;
                    true
                } else {
                    self.eat_non_data_chars(1);
                    false
                }
            }
            _ => false,
        }
    }

    /// Skips up to `n` characters that cannot belong to the number.
    fn eat_non_data_chars(&mut self, n: usize) {
        for _ in 0..n {
            let c = self.at(self.pos);
            if self.overload() || b"0123456789.,+-".contains(&c) {
                break;
            }
            self.pos += mblen(c);
        }
    }

    /// Reads a sign, a digit or the decimal point for one digit pattern (`NUM_numpart_from_char`).
    fn read_numpart(&mut self, key: NumKey) {
        if self.overload() {
            return;
        }
        if self.at(self.pos) == b' ' {
            self.pos += 1;
        }
        if self.overload() {
            return;
        }
        let is_digit_key = matches!(key, NumKey::Nine | NumKey::Zero);
        if self.number[0] == b' ' && is_digit_key && self.read_pre + self.read_post == 0 {
            self.read_leading_sign();
        }
        if self.overload() {
            return;
        }
        let c = self.at(self.pos);
        let mut isread = false;
        if c.is_ascii_digit() {
            if self.read_dec && self.read_post == self.desc.post {
                return;
            }
            self.number.push(c);
            if self.read_dec {
                self.read_post += 1;
            } else {
                self.read_pre += 1;
            }
            isread = true;
        } else if self.desc.decimal && !self.read_dec && c == b'.' {
            self.number.push(b'.');
            self.read_dec = true;
            isread = true;
        }
        if self.overload() {
            return;
        }
        if self.number[0] == b' ' && self.read_pre + self.read_post > 0 {
            self.read_trailing_sign(isread);
        }
    }

    /// A sign in front of the first digit.
    fn read_leading_sign(&mut self) {
        let c = self.at(self.pos);
        if self.desc.lsign_flag && self.desc.lsign == LSign::Pre {
            if c == b'-' || c == b'+' {
                self.number[0] = c;
                self.pos += 1;
            }
        } else if c == b'-' || (self.desc.bracket && c == b'<') {
            self.number[0] = b'-';
            self.pos += 1;
        } else if c == b'+' {
            self.number[0] = b'+';
            self.pos += 1;
        }
    }

    /// A sign right after the last digit (`S`), or a loose `MI`/`PL` sign.
    fn read_trailing_sign(&mut self, isread: bool) {
        if self.desc.lsign_flag
            && isread
            && self.pos + 1 < self.input.len()
            && !self.at(self.pos + 1).is_ascii_digit()
        {
            let next = self.at(self.pos + 1);
            if next == b'-' || next == b'+' {
                self.pos += 1;
                self.number[0] = next;
            }
        } else if !isread && !self.desc.lsign_flag && (self.desc.plus || self.desc.minus) {
            let c = self.at(self.pos);
            if c == b'-' || c == b'+' {
                self.number[0] = c;
            }
        }
    }
}

// ======================================================================================
// Tests: the expected values in the `to_char_*`, `to_date_*`, `to_timestamp_*` and
// `to_number_*` tests were printed by PostgreSQL 15.18 (each case was run through psql);
// `format_*` expect "" where PostgreSQL raises an error.
// ======================================================================================

#[cfg(test)]
mod tests {
    use super::*;

    /// A timestamp from `YYYY-MM-DD HH:MM:SS[.ffffff][ BC]` text (test input only).
    fn ts(text: &str) -> NaiveDateTime {
        let bc = text.ends_with(" BC");
        let text = text.trim_end_matches(" BC");
        let (date, time) = text.split_once(' ').expect("date and time");
        let d: Vec<i32> = date
            .split('-')
            .map(|p| p.parse().expect("number"))
            .collect();
        let year = if bc { 1 - d[0] } else { d[0] };
        let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
        let t: Vec<u32> = hms.split(':').map(|p| p.parse().expect("number")).collect();
        let micros: u32 = format!("{:0<6}", frac).parse().expect("fraction");
        NaiveDate::from_ymd_opt(year, d[1] as u32, d[2] as u32)
            .and_then(|day| day.and_hms_micro_opt(t[0], t[1], t[2], micros))
            .expect("valid timestamp")
    }

    /// `Y-MM-DD HH:MM:SS.ffffff` with an astronomical year, independent of this module.
    fn show(t: NaiveDateTime) -> String {
        format!(
            "{}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.nanosecond() / 1000
        )
    }

    /// `to_timestamp`, shown as text.
    fn pts(text: &str, template: &str) -> Result<String, String> {
        parse_datetime(text, template).map(show)
    }

    /// `to_date`, shown as text.
    fn pdate(text: &str, template: &str) -> Result<String, String> {
        parse_datetime(text, template)
            .map(|t| format!("{}-{:02}-{:02}", t.year(), t.month(), t.day()))
    }

    #[test]
    fn no_panics_on_odd_input() {
        let templates = [
            "",
            "FM",
            "TM",
            "\"",
            "\\",
            "\"abc",
            "\\\"",
            "FMTH",
            "Y,YYY",
            "9.9.9",
            "EEEE",
            "RN",
            "rnth",
            "PR9",
            "99PRMI",
            "SSSSSSSSS",
            "HH24HH24",
            "IYYY-MM",
            "FX",
            "V9V9",
            "0000000000000000000000000",
            "9999999999999999999999999999999.99999999999999999999",
            "TZHTZMOF",
            "é9ü",
            "Dayth",
            "thth",
        ];
        let texts = [
            "",
            " ",
            "-",
            "+",
            ".",
            "9999999999999999999999",
            "-2147483648",
            "2147483648",
            "é",
            "1,",
            ",5",
            "<>",
            "PM",
            "bc",
            "2024-02-29 13:05:09 +99:99",
            "0000",
            "-5-5-5",
            "\t\n",
            "99999 99999 99999",
        ];
        let decimals = [
            "0",
            "-0",
            "1",
            "-1",
            "99999999999999999999.5",
            "0.0000000000001",
            "abc",
            "",
            "-",
            "1.",
            ".5",
        ];
        let stamp = ts("2024-02-29 13:05:09.5");
        for template in templates {
            let _ = format_datetime(stamp, Some(-12345), Some("X"), template);
            let _ = format_interval(i32::MIN, i32::MIN, i64::MIN, template);
            let _ = format_interval(i32::MAX, i32::MAX, i64::MAX, template);
            for decimal in decimals {
                let _ = format_number(decimal, template);
            }
            for text in texts {
                let _ = parse_datetime(text, template);
                let _ = parse_number(text, template);
            }
        }
        for extreme in [ts("262142-12-31 23:59:59"), ts("262143-01-01 00:00:00 BC")] {
            let _ = format_datetime(
                extreme,
                None,
                None,
                "YYYY IYYY J CC IW IDDD Y,YYY WW Day Q RM",
            );
        }
    }

    #[test]
    fn helpers_match_c_behaviour() {
        assert_eq!(pad_int(-5, 3), "-05");
        assert_eq!(pad_int(-5, 0), "-5");
        assert_eq!(pad_int(42, 4), "0042");
        assert_eq!(ordinal_suffix("11", false), Ok("th"));
        assert_eq!(ordinal_suffix("21", true), Ok("ST"));
        assert_eq!(
            ordinal_suffix("x", true),
            Err("\"x\" is not a number".to_string())
        );
        assert_eq!(date2j(2000, 1, 1), 2_451_545);
        assert_eq!(j2date(2_451_545), (2000, 1, 1));
        assert_eq!(int_to_roman(1994), "MCMXCIV");
        assert_eq!(
            Decimal::parse("-0012.50").map(|d| d.to_plain_string()),
            Some("-12.50".to_string())
        );
    }

    #[test]
    fn to_char_numbers_1() {
        assert_eq!(format_number("125", "999"), " 125");
        assert_eq!(format_number("-125", "999"), "-125");
        assert_eq!(format_number("0", "999"), "   0");
        assert_eq!(format_number("0", "990"), "   0");
        assert_eq!(format_number("7", "000"), " 007");
        assert_eq!(format_number("12345", "9999"), " ####");
        assert_eq!(format_number("485", "999"), " 485");
        assert_eq!(format_number("-485", "999"), "-485");
        assert_eq!(format_number("485", "9 9 9"), " 4 8 5");
        assert_eq!(format_number("1485", "9,999"), " 1,485");
        assert_eq!(format_number("1485", "9G999"), " 1,485");
        assert_eq!(format_number("1234567", "FM9,999,999"), "1,234,567");
        assert_eq!(format_number("-485", "999S"), "485-");
        assert_eq!(format_number("485", "S999"), "+485");
        assert_eq!(format_number("-485", "S999"), "-485");
        assert_eq!(format_number("-485", "999MI"), "485-");
        assert_eq!(format_number("485", "999MI"), "485 ");
        assert_eq!(format_number("485", "PL999"), "+ 485");
        assert_eq!(format_number("-485", "SG999"), "-485");
        assert_eq!(format_number("485", "SG999"), "+485");
        assert_eq!(format_number("-485", "999PR"), "<485>");
        assert_eq!(format_number("485", "999PR"), " 485 ");
        assert_eq!(format_number("-485", "FMPL999"), "-485");
        assert_eq!(format_number("485", "RN"), "        CDLXXXV");
        assert_eq!(format_number("485", "FMRN"), "CDLXXXV");
        assert_eq!(format_number("5", "FMrn"), "v");
        assert_eq!(format_number("3999", "FMRN"), "MMMCMXCIX");
        assert_eq!(format_number("1", "FMRN"), "I");
        assert_eq!(format_number("4", "FMRN"), "IV");
        assert_eq!(format_number("1994", "FMRN"), "MCMXCIV");
        assert_eq!(format_number("482", "999th"), " 482nd");
        assert_eq!(format_number("1", "FM9TH"), "1ST");
        assert_eq!(format_number("2", "FM9TH"), "2ND");
        assert_eq!(format_number("3", "FM9TH"), "3RD");
        assert_eq!(format_number("11", "FM99TH"), "11TH");
        assert_eq!(format_number("22", "FM99th"), "22nd");
        assert_eq!(format_number("12", "99V999"), " 12000");
        assert_eq!(format_number("123", "FM0000"), "0123");
        assert_eq!(format_number("2147483647", "9999999999"), " 2147483647");
        assert_eq!(
            format_number("9223372036854775807", "FM9999999999999999999"),
            "9223372036854775807"
        );
    }

    #[test]
    fn to_char_numbers_2() {
        assert_eq!(format_number("1234", "\"Total: \"9999"), "Total:  1234");
        assert_eq!(format_number("12", "99 \"items\""), " 12 items");
        assert_eq!(format_number("-0.1", "99.99"), "  -.10");
        assert_eq!(format_number("0.1", "0.9"), " 0.1");
        assert_eq!(format_number("-0.1", "FM9.99"), "-.1");
        assert_eq!(format_number("-0.1", "FM90.99"), "-0.1");
        assert_eq!(format_number("12", "9990999.9"), "    0012.0");
        assert_eq!(format_number("12", "FM9990999.9"), "0012.");
        assert_eq!(format_number("-12.8", "999D9"), " -12.8");
        assert_eq!(format_number("148.5", "999.999"), " 148.500");
        assert_eq!(format_number("148.5", "FM999.999"), "148.5");
        assert_eq!(format_number("148.5", "999.990"), " 148.500");
        assert_eq!(format_number("3148.5", "9G999D999"), " 3,148.500");
        assert_eq!(format_number("12.45", "99V9"), " 125");
        assert_eq!(format_number("0.0004859", "9.99EEEE"), " 4.86e-04");
        assert_eq!(format_number("12345.678", "9.999EEEE"), " 1.235e+04");
        assert_eq!(format_number("-12345.678", "9.99EEEE"), "-1.23e+04");
        assert_eq!(format_number("2.5", "9"), " 3");
        assert_eq!(format_number("3.5", "9"), " 4");
        assert_eq!(format_number("-2.5", "9"), "-3");
        assert_eq!(format_number("0.125", "0.99"), " 0.13");
        assert_eq!(format_number("1.005", "9.99"), " 1.01");
        assert_eq!(format_number("99.99", "99.9"), " ##.#");
        assert_eq!(format_number("999.9", "99"), " ##");
        assert_eq!(format_number("12.5", "FM999999990.00"), "12.50");
        assert_eq!(format_number("1234.5", "9999.99"), " 1234.50");
        assert_eq!(format_number("0.5", "FM0.00"), "0.50");
        assert_eq!(format_number("-1234.5678", "FM9999.99"), "-1234.57");
        assert_eq!(format_number("15000000000", "9.99EEEE"), " 1.50e+10");
        assert_eq!(
            format_number("2127396830.02", "FM999,999,999,999.00"),
            "2,127,396,830.02"
        );
        assert_eq!(
            format_number("35765.513260822601", "999G999D99"),
            "  35,765.51"
        );
        assert_eq!(
            format_number("1374136.54", "FM999,999,990.00PR"),
            "1,374,136.54"
        );
        assert_eq!(
            format_number("1264568.92", "FM999,999,990.00PR"),
            "1,264,568.92"
        );
        assert_eq!(
            format_number("1499764.89", "FM999,999,990.00PR"),
            "1,499,764.89"
        );
        assert_eq!(
            format_number("1106210.34", "FM999,999,990.00PR"),
            "1,106,210.34"
        );
        assert_eq!(
            format_number("1437184.90", "FM999,999,990.00PR"),
            "1,437,184.90"
        );
        assert_eq!(format_number("5755.94", "S99990.00"), " +5755.94");
        assert_eq!(format_number("4032.68", "S99990.00"), " +4032.68");
        assert_eq!(format_number("4192.40", "S99990.00"), " +4192.40");
        assert_eq!(format_number("4641.08", "S99990.00"), " +4641.08");
    }

    #[test]
    fn to_char_numbers_3() {
        assert_eq!(format_number("-283.84", "S99990.00"), "  -283.84");
        assert_eq!(format_number("1365.79", "S99990.00"), " +1365.79");
        assert_eq!(format_number("0.00", "0.00"), " 0.00");
        assert_eq!(format_number("0.10", "0.00"), " 0.10");
        assert_eq!(format_number("0", "9.99EEEE"), " 0.00e+00");
        assert_eq!(format_number("9.999", "9.99EEEE"), " 10.00e+00");
        assert_eq!(format_number("-0.000123", "0.9EEEE"), "-1.2e-04");
        assert_eq!(format_number("5", "9EEEE"), " 5e+00");
        assert_eq!(format_number("0.5", ".99"), " .##");
        assert_eq!(format_number("-0.4", "9"), " 0");
        assert_eq!(format_number("1234.5", "99"), " ##");
        assert_eq!(format_number("-1234.5", "99.9"), "-##.#");
        assert_eq!(format_number("-485", "FM999PR"), "<485>");
        assert_eq!(format_number("485", "FM999PR"), "485");
        assert_eq!(format_number("0.5", "FM9.99"), ".5");
        assert_eq!(format_number("0", "FM9.99"), "0.");
        assert_eq!(format_number("0", "FM0.99"), "0.");
        assert_eq!(format_number("-12", "RN"), "###############");
        assert_eq!(format_number("5", "SGRN"), "");
        assert_eq!(format_number("12", "99V"), " 12");
        assert_eq!(format_number("485", "L999"), "  485");
        assert_eq!(format_number("-485", "L999"), " -485");
        assert_eq!(format_number("1234.5", "FM9,999.90"), "1,234.50");
        assert_eq!(format_number("0.001", "9.999"), "  .001");
        assert_eq!(format_number("-0.001", "9.999"), " -.001");
        assert_eq!(format_number("100", "FM999th"), "100th");
        assert_eq!(format_number("111", "999TH"), " 111TH");
        assert_eq!(format_number("-5", "999th"), "  -5");
        assert_eq!(format_number("5.5", "99.9th"), "  5.5");
        assert_eq!(
            format_number("1234567.891", "9,999,999.99"),
            " 1,234,567.89"
        );
        assert_eq!(format_number("1234567.891", "999,999.99"), " ###,###.##");
        assert_eq!(format_number("-7", "0000"), "-0007");
        assert_eq!(format_number("-7", "S0000"), "-0007");
        assert_eq!(format_number("7", "0000S"), "0007+");
        assert_eq!(format_number("-7", "0000MI"), "0007-");
        assert_eq!(format_number("7", "0000PL"), " 0007+");
        assert_eq!(format_number("-7", "0000PL"), "-0007 ");
        assert_eq!(format_number("3", "9.9S"), "3.0+");
        assert_eq!(format_number("-3", "9.9S"), "3.0-");
        assert_eq!(format_number("-3", "S9.9"), "-3.0");
    }

    #[test]
    fn to_char_numbers_4() {
        assert_eq!(format_number("0", "S9.9"), " +.0");
        assert_eq!(format_number("12", "FMS999"), "+12");
        assert_eq!(format_number("-12", "FM999MI"), "12-");
        assert_eq!(format_number("-12", "FM999PR"), "<12>");
        assert_eq!(format_number("12", "9,9,9"), "   1,2");
        assert_eq!(format_number("1", "9,9,9"), "     1");
        assert_eq!(format_number("0.25", "FM0.9"), "0.3");
        assert_eq!(format_number("0.35", "0.9"), " 0.4");
        assert_eq!(format_number("-0.05", "0.9"), "-0.1");
        assert_eq!(format_number("123.456", "999.9999"), " 123.4560");
        assert_eq!(format_number("-123.456", "FM999.0000"), "-123.4560");
        assert_eq!(format_number("12", "SG99"), "+12");
        assert_eq!(format_number("-12", "MI99"), "-12");
        assert_eq!(format_number("12", "PL99"), "+ 12");
        assert_eq!(format_number("-12", "99SG"), "12-");
        assert_eq!(format_number("1000", "9G999G999"), "     1,000");
        assert_eq!(format_number("1000000", "9G999G999"), " 1,000,000");
        assert_eq!(format_number("3999", "RN"), "      MMMCMXCIX");
        assert_eq!(format_number("4000", "RN"), "###############");
        assert_eq!(format_number("2024", "rn"), "         mmxxiv");
        assert_eq!(format_number("2.5", "FMRN"), "III");
        assert_eq!(format_number("0.1234", "FM0.0000"), "0.1234");
        assert_eq!(format_number("1.1", "FM9999.000"), "1.100");
        assert_eq!(format_number("42", "\"a\\\"b\"99"), "a\"b 42");
        assert_eq!(format_number("42", "\\\"99"), "\" 42");
        assert_eq!(format_number("42", "99 abc"), " 42 a");
        assert_eq!(format_number("99.5", "99"), " ##");
        assert_eq!(format_number("-99.5", "99"), "-##");
        assert_eq!(format_number("0.99", ".9"), " .#");
        assert_eq!(format_number("5", "B9"), " 5");
        assert_eq!(format_number("7", "FM0009"), "0007");
        assert_eq!(format_number("7", "0099"), " 0007");
        assert_eq!(format_number("7", "9909"), "   07");
        assert_eq!(format_number("12", "9.99V9"), ""); // ERROR: cannot use "V" and decimal point together
        assert_eq!(format_number("12", "9.9.9"), ""); // ERROR: multiple decimal points
        assert_eq!(format_number("12", "PR99"), ""); // ERROR: "9" must be ahead of "PR"
        assert_eq!(format_number("1", "EEEE9"), ""); // ERROR: "EEEE" must be the last pattern used
        assert_eq!(format_number("1", "FM9.9EEEE"), ""); // ERROR: "EEEE" is incompatible with other formats
        assert_eq!(format_number("12", "S9S"), ""); // ERROR: cannot use "S" twice
        assert_eq!(format_number("12", "S99MI"), ""); // ERROR: cannot use "S" and "MI" together
    }

    #[test]
    fn to_char_numbers_5() {
        assert_eq!(format_number("12", "MI99PR"), ""); // ERROR: cannot use "PR" and "S"/"PL"/"MI"/"SG" together
        assert_eq!(format_number("9999999999", "RN"), ""); // ERROR: integer out of range
        assert_eq!(format_number("2147483647.4", "RN"), "###############");
        assert_eq!(format_number("-2147483648.5", "FMRN"), ""); // ERROR: integer out of range
        assert_eq!(format_number("0.5", "RN"), "              I");
        assert_eq!(format_number("-0.5", "FMRN"), "###############");
        assert_eq!(format_number("12", "é99\"ü\""), "é 12ü");
        assert_eq!(format_number("-0.00001", "FM9.99"), "0.");
        assert_eq!(format_number("99999.995", "FM99999.99"), "#####.##");
        assert_eq!(format_number("0.995", "0.99"), " 1.00");
        assert_eq!(format_number("-0.995", "FM.99"), "-.##");
    }

    #[test]
    fn to_char_timestamps_1() {
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "YYYY-MM-DD"),
            "2024-02-29"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "DD/MM/YY"),
            "29/02/24"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "Month DD, YYYY"),
            "February  29, 2024"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "FMMonth DD, YYYY"),
            "February 29, 2024"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "FMMonth FMDD, YYYY"),
            "February 29, 2024"
        );
        assert_eq!(
            format_datetime(ts("2024-03-05 00:00:00"), None, None, "Mon DD YYYY"),
            "Mar 05 2024"
        );
        assert_eq!(
            format_datetime(ts("2024-03-05 00:00:00"), None, None, "MON mon Mon"),
            "MAR mar Mar"
        );
        assert_eq!(
            format_datetime(ts("2024-03-05 00:00:00"), None, None, "MONTH|month|Month"),
            "MARCH    |march    |March    "
        );
        assert_eq!(
            format_datetime(ts("2024-03-05 00:00:00"), None, None, "Day Dy DAY dy"),
            "Tuesday   Tue TUESDAY   tue"
        );
        assert_eq!(
            format_datetime(
                ts("2024-03-05 00:00:00"),
                None,
                None,
                "FMDay, FMDD FMMonth YYYY"
            ),
            "Tuesday, 5 March 2024"
        );
        assert_eq!(
            format_datetime(ts("2024-12-31 00:00:00"), None, None, "DDD"),
            "366"
        );
        assert_eq!(
            format_datetime(ts("2024-01-07 00:00:00"), None, None, "D ID"),
            "1 7"
        );
        assert_eq!(
            format_datetime(ts("2024-01-01 00:00:00"), None, None, "IYYY-IW-ID"),
            "2024-01-1"
        );
        assert_eq!(
            format_datetime(ts("2021-01-03 00:00:00"), None, None, "IYYY-IW"),
            "2020-53"
        );
        assert_eq!(
            format_datetime(ts("2021-01-03 00:00:00"), None, None, "YYYY-WW"),
            "2021-01"
        );
        assert_eq!(
            format_datetime(ts("2024-12-30 00:00:00"), None, None, "IYYY IW IDDD"),
            "2025 01 001"
        );
        assert_eq!(
            format_datetime(ts("2024-08-15 00:00:00"), None, None, "Q"),
            "3"
        );
        assert_eq!(
            format_datetime(ts("2024-08-15 00:00:00"), None, None, "YYYY\"Q\"Q"),
            "2024Q3"
        );
        assert_eq!(
            format_datetime(ts("2024-08-15 00:00:00"), None, None, "WW W"),
            "33 3"
        );
        assert_eq!(
            format_datetime(ts("2024-08-15 00:00:00"), None, None, "J"),
            "2460538"
        );
        assert_eq!(
            format_datetime(ts("2000-01-01 00:00:00"), None, None, "J"),
            "2451545"
        );
        assert_eq!(
            format_datetime(ts("2024-08-15 00:00:00"), None, None, "CC"),
            "21"
        );
        assert_eq!(
            format_datetime(ts("2024-08-15 00:00:00"), None, None, "Y,YYY YYY YY Y"),
            "2,024 024 24 4"
        );
        assert_eq!(
            format_datetime(ts("2024-03-01 00:00:00"), None, None, "DDth \"of\" Month"),
            "01st of March    "
        );
        assert_eq!(
            format_datetime(ts("2024-03-02 00:00:00"), None, None, "FMDDth"),
            "2nd"
        );
        assert_eq!(
            format_datetime(ts("2024-03-03 00:00:00"), None, None, "FMDDTH"),
            "3RD"
        );
        assert_eq!(
            format_datetime(ts("2024-03-11 00:00:00"), None, None, "FMDDth"),
            "11th"
        );
        assert_eq!(
            format_datetime(ts("2024-03-22 00:00:00"), None, None, "FMDDth"),
            "22nd"
        );
        assert_eq!(
            format_datetime(
                ts("2024-08-15 00:00:00"),
                None,
                None,
                "\"Year:\" YYYY, \"day\" DDD"
            ),
            "Year: 2024, day 228"
        );
        assert_eq!(
            format_datetime(ts("2024-08-15 00:00:00"), None, None, "AD A.D."),
            "AD A.D."
        );
        assert_eq!(
            format_datetime(ts("1996-01-02 00:00:00"), None, None, "YYYY-Q"),
            "1996-1"
        );
        assert_eq!(
            format_datetime(ts("1992-03-15 00:00:00"), None, None, "Mon"),
            "Mar"
        );
        assert_eq!(
            format_datetime(ts("1992-03-15 00:00:00"), None, None, "MM"),
            "03"
        );
        assert_eq!(
            format_datetime(ts("1995-10-11 00:00:00"), None, None, "FMDay"),
            "Wednesday"
        );
        assert_eq!(
            format_datetime(ts("1995-10-11 00:00:00"), None, None, "ID"),
            "3"
        );
        assert_eq!(
            format_datetime(ts("1996-01-02 00:00:00"), None, None, "DD Mon YYYY"),
            "02 Jan 1996"
        );
        assert_eq!(
            format_datetime(ts("1996-01-02 00:00:00"), None, None, "IYYY-\"W\"IW"),
            "1996-W01"
        );
        assert_eq!(
            format_datetime(ts("1996-12-01 00:00:00"), None, None, "DD Mon YYYY"),
            "01 Dec 1996"
        );
        assert_eq!(
            format_datetime(ts("1996-12-01 00:00:00"), None, None, "IYYY-\"W\"IW"),
            "1996-W48"
        );
        assert_eq!(
            format_datetime(ts("1993-10-14 00:00:00"), None, None, "DD Mon YYYY"),
            "14 Oct 1993"
        );
    }

    #[test]
    fn to_char_timestamps_2() {
        assert_eq!(
            format_datetime(ts("1993-10-14 00:00:00"), None, None, "IYYY-\"W\"IW"),
            "1993-W41"
        );
        assert_eq!(
            format_datetime(ts("1994-07-30 00:00:00"), None, None, "IYYY-\"W\"IW"),
            "1994-W30"
        );
        assert_eq!(
            format_datetime(ts("1998-08-02 00:00:00"), None, None, "YYYY-Q"),
            "1998-3"
        );
        assert_eq!(
            format_datetime(
                ts("2024-05-05 00:00:00"),
                None,
                None,
                "TMMonth|TMDay|TMMON|TMmon"
            ),
            "May|Sunday|MAY|may"
        );
        assert_eq!(
            format_datetime(
                ts("2024-05-05 00:00:00"),
                None,
                None,
                "FMMONTH FMDAY FMmonth"
            ),
            "MAY SUNDAY may"
        );
        assert_eq!(
            format_datetime(ts("2024-09-09 00:00:00"), None, None, "RM rm FMRM|"),
            "IX   ix   IX|"
        );
        assert_eq!(
            format_datetime(ts("2024-12-31 00:00:00"), None, None, "RM|FMrm"),
            "XII |xii"
        );
        assert_eq!(
            format_datetime(ts("2024-01-01 00:00:00"), None, None, "DDDth IDDD"),
            "001st 001"
        );
        assert_eq!(
            format_datetime(
                ts("2023-01-01 00:00:00"),
                None,
                None,
                "IYYY IYY IY I IW ID IDDD"
            ),
            "2022 022 22 2 52 7 364"
        );
        assert_eq!(
            format_datetime(ts("2020-12-31 00:00:00"), None, None, "IYYY IW WW"),
            "2020 53 53"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "ddd dd d"),
            "060 29 5"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "yyyy mm dd"),
            "2024 02 29"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "Y,YYYth"),
            "2,024th"
        );
        assert_eq!(
            format_datetime(
                ts("2024-02-29 00:00:00"),
                None,
                None,
                "CCth Qth Wth WWth Jth"
            ),
            "21st 1st 5th 09th 2460370th"
        );
        assert_eq!(
            format_datetime(ts("2001-01-01 00:00:00"), None, None, "CC"),
            "21"
        );
        assert_eq!(
            format_datetime(ts("2000-12-31 00:00:00"), None, None, "CC"),
            "20"
        );
        assert_eq!(
            format_datetime(
                ts("2024-02-29 00:00:00"),
                None,
                None,
                "\"quoted \\\"text\\\" DD\""
            ),
            "quoted \"text\" DD"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "\\\"YYYY\\\""),
            "\"2024\""
        );
        assert_eq!(
            format_datetime(
                ts("2024-02-29 00:00:00"),
                None,
                None,
                "FMDD FMMM FMYYYY FMWW FMIW FMDDD FMCC"
            ),
            "29 2 2024 9 9 60 21"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "Dy, DD Mon YYYY"),
            "Thu, 29 Feb 2024"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "FXYYYY-MM-DD"),
            "2024-02-29"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "YYYYMMDD"),
            "20240229"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "MM/DD/YYYY bc"),
            "02/29/2024 ad"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:00:00"), None, None, "DAYth"),
            "THURSDAY "
        );
        assert_eq!(
            format_datetime(ts("0044-03-15 00:00:00 BC"), None, None, "YYYY BC"),
            "0044 BC"
        );
        assert_eq!(
            format_datetime(
                ts("0001-01-01 00:00:00 BC"),
                None,
                None,
                "YYYY Y,YYY CC B.C. a.d. bc AD"
            ),
            "0001 0,001 -01 B.C. b.c. bc BC"
        );
        assert_eq!(
            format_datetime(
                ts("0501-06-01 00:00:00 BC"),
                None,
                None,
                "CC YYY IYYY FMYYYY"
            ),
            "-06 501 0501 501"
        );
        assert_eq!(
            format_datetime(ts("4713-11-24 00:00:00 BC"), None, None, "J YYYY-MM-DD Day"),
            "366 4713-11-24 Wednesday"
        );
        assert_eq!(
            format_datetime(ts("12345-06-07 00:00:00"), None, None, "YYYY Y,YYY CC J"),
            "12345 12,345 124 6230136"
        );
        assert_eq!(
            format_datetime(
                ts("2024-02-29 13:05:09"),
                None,
                None,
                "YYYY-MM-DD HH24:MI:SS"
            ),
            "2024-02-29 13:05:09"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "HH12:MI:SS AM"),
            "01:05:09 PM"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "HH:MI pm"),
            "01:05 pm"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 00:05:09"), None, None, "HH12 AM HH24"),
            "12 AM 00"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 12:00:00"), None, None, "HH12 a.m. HH24"),
            "12 p.m. 12"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09.123456"), None, None, "SS.MS"),
            "09.123"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09.123456"), None, None, "SS.US"),
            "09.123456"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09.123456"), None, None, "FF1 FF3 FF6"),
            "1 123 123456"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "SSSS"),
            "47109"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "FMHH12:MI"),
            "1:05"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "Day, DD HH12:MI:SS"),
            "Thursday , 29 01:05:09"
        );
    }

    #[test]
    fn to_char_timestamps_3() {
        assert_eq!(
            format_datetime(
                ts("2024-02-29 13:05:09"),
                None,
                None,
                "\"Quarter\" Q, \"week\" WW"
            ),
            "Quarter 1, week 09"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "FXYYYY-MM-DD"),
            "2024-02-29"
        );
        assert_eq!(
            format_datetime(
                ts("2024-02-29 13:05:09.123456"),
                None,
                None,
                "FMDay, FMDDth FMMonth YYYY HH12:MI:SS.US AM"
            ),
            "Thursday, 29th February 2024 01:05:09.123456 PM"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "TZ|tz|OF|TZH:TZM"),
            "||+00|+00:00"
        );
        assert_eq!(
            format_datetime(
                ts("2024-02-29 13:05:09.5"),
                None,
                None,
                "FF2 FF4 FF5 ff1 us ms"
            ),
            "50 5000 50000 5 500000 500"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "SSSSS sssss SSSSth"),
            "47109 47109 47109th"
        );
        assert_eq!(
            format_datetime(
                ts("2024-02-29 23:59:59.999999"),
                None,
                None,
                "HH24th MIth SSth USth"
            ),
            "23rd 59th 59th 999999th"
        );
        assert_eq!(
            format_datetime(
                ts("2024-02-29 00:00:00"),
                None,
                None,
                "HH HH12 HH24 FMHH24 AM P.M. pm"
            ),
            "12 12 00 0 AM A.M. am"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 12:30:00"), None, None, "A.M. a.m. PM"),
            "P.M. p.m. PM"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "hh24:mi:ss am"),
            "13:05:09 pm"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "HH24MISS"),
            "130509"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 07:08:09"), None, None, "FMHH24:FMMI:FMSS"),
            "7:8:9"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "FMSSSS"),
            "47109"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09.000001"), None, None, "US FF6 MS"),
            "000001 000001 000"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "HH12th"),
            "01st"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "FX HH24 SP"),
            " 13 SP"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "tzh:tzm of"),
            "+00:00 +00"
        );
        assert_eq!(
            format_datetime(ts("2024-02-29 13:05:09"), None, None, "<HH24>~{MI}"),
            "<13>~{05}"
        );
        assert_eq!(
            format_datetime(
                ts("2024-02-29 13:05:09"),
                Some(0),
                Some("UTC"),
                "YYYY-MM-DD HH24:MI:SS TZ"
            ),
            "2024-02-29 13:05:09 UTC"
        );
        assert_eq!(
            format_datetime(
                ts("2024-02-29 13:05:09"),
                Some(0),
                Some("UTC"),
                "YYYY-MM-DD HH24:MI:SS tz OF"
            ),
            "2024-02-29 13:05:09 utc +00"
        );
        assert_eq!(
            format_datetime(
                ts("2024-07-01 10:00:00"),
                Some(0),
                Some("UTC"),
                "YYYY-MM-DD HH24:MI TZH:TZM"
            ),
            "2024-07-01 10:00 +00:00"
        );
        assert_eq!(
            format_datetime(
                ts("2024-07-01 08:00:00"),
                Some(-14400),
                Some("EDT"),
                "YYYY-MM-DD HH24:MI TZ OF"
            ),
            "2024-07-01 08:00 EDT -04"
        );
        assert_eq!(
            format_datetime(
                ts("2024-01-15 07:00:00"),
                Some(-18000),
                Some("EST"),
                "YYYY-MM-DD HH24:MI TZ OF"
            ),
            "2024-01-15 07:00 EST -05"
        );
        assert_eq!(
            format_datetime(
                ts("2024-01-15 17:30:00"),
                Some(19800),
                Some("IST"),
                "TZ tz OF FMOF TZH TZM"
            ),
            "IST ist +05:30 +5:30 +05 30"
        );
        assert_eq!(
            format_datetime(
                ts("2024-01-15 08:30:00"),
                Some(-12600),
                Some("-0330"),
                "OF TZH:TZM"
            ),
            "-03:30 -03:30"
        );
        assert_eq!(
            format_datetime(ts("2024-01-15 08:30:00"), Some(-12600), Some("NST"), "TZ"),
            "NST"
        );
        assert_eq!(
            format_datetime(ts("0044-03-15 00:00:00"), None, None, "YYYY BC"),
            "0044 AD"
        );
    }

    #[test]
    fn to_char_intervals_1() {
        assert_eq!(format_interval(0, 0, 54132000000, "HH24:MI:SS"), "15:02:12"); // interval '15h 2m 12s'
        assert_eq!(format_interval(0, 0, 54132000000, "HH12:MI:SS"), "03:02:12"); // interval '15h 2m 12s'
        assert_eq!(
            format_interval(0, 3, 14706000000, "DD \"days\" HH24:MI:SS"),
            "03 days 04:05:06"
        ); // interval '3 days 04:05:06'
        assert_eq!(format_interval(14, 0, 0, "YYYY-MM"), "0001-02"); // interval '1 year 2 months'
        assert_eq!(format_interval(0, 0, 360000000000, "HH24"), "100"); // interval '100 hours'
        assert_eq!(format_interval(0, 0, -9000000000, "HH24:MI"), "-02:-30"); // interval '-2 hours -30 minutes'
        assert_eq!(format_interval(0, 0, 1500000, "SS.MS"), "01.500"); // interval '1.5 seconds'
        assert_eq!(format_interval(-3, 0, 0, "RM"), "X   "); // interval '-3 months'
        assert_eq!(format_interval(3000, 0, 0, "CC"), "02"); // interval '250 years'
        assert_eq!(
            format_interval(14, 3, 0, "Y,YYY YYY YY Y MM DD DDD WW W Q"),
            "0,001 001 01 1 02 03 423 61 1 1"
        ); // interval '14 months 3 days'
        assert_eq!(
            format_interval(-14, -3, 0, "YYYY MM DD Q RM"),
            "-0001 -02 -3 0 XI  "
        ); // interval '-14 months -3 days'
        assert_eq!(format_interval(0, 0, 43200000000, "HH HH12 AM"), "12 12 PM"); // interval '12 hours'
        assert_eq!(
            format_interval(0, 0, -43200000000, "HH HH12 HH24 AM"),
            "012 012 -12 AM"
        ); // interval '-12 hours'
        assert_eq!(format_interval(0, 0, 0, "HH:MI:SS Q RM|"), "12:00:00  |"); // interval '0'
        assert_eq!(format_interval(12, 0, 0, "RM|rm|Q|MM"), "XII |xii ||00"); // interval '1 year'
        assert_eq!(format_interval(-12, 0, 0, "RM"), "I   "); // interval '-1 year'
        assert_eq!(
            format_interval(0, 0, -1250000, "SS MS US"),
            "-01 -250 -250000"
        ); // interval '-1.25 seconds'
        assert_eq!(
            format_interval(0, 3, 14400000000, "SSSS J"),
            "14400 1721031"
        ); // interval '3 days 4 hours'
        assert_eq!(
            format_interval(29, 12, 0, "IYYY IW IDDD J"),
            "0002 19 133 1721922"
        ); // interval '2 years 5 months 12 days'
        assert_eq!(format_interval(0, 1, 0, "Day"), ""); // ERROR: invalid format specification for an interval value // interval '1 day'
        assert_eq!(format_interval(0, 1, 0, "TZ"), ""); // ERROR: invalid format specification for an interval value // interval '1 day'
        assert_eq!(format_interval(0, 1, 0, "D"), ""); // ERROR: invalid format specification for an interval value // interval '1 day'
        assert_eq!(format_interval(1, 0, 0, "Mon"), ""); // ERROR: invalid format specification for an interval value // interval '1 month'
        assert_eq!(format_interval(0, 1, 0, "AD"), ""); // ERROR: invalid format specification for an interval value // interval '1 day'
        assert_eq!(format_interval(0, 5, 0, "DDth Wth"), "05th 1st"); // interval '5 days'
        assert_eq!(format_interval(1200, 0, 0, "Y,YYY"), "0,100"); // interval '100 years'
        assert_eq!(format_interval(-13, 0, 0, "RM|rm|Q"), "XII |xii |1"); // interval '-1 year -1 month'
        assert_eq!(
            format_interval(0, -3, -14400000000, "DD HH HH12 HH24 am A.M."),
            "-3 -04 -04 -04 am A.M."
        ); // interval '-3 days -4 hours'
        assert_eq!(
            format_interval(0, 0, -4611686019133123456, "HH24 SSSS US"),
            "-1281023894 -4611686019133 -123456"
        ); // interval '-1281023894:12:13.123456'
        assert_eq!(
            format_interval(12000, 0, 0, "IYYY IY J CC"),
            "0999 99 2086271 10"
        ); // interval '1000 years'
    }

    #[test]
    fn to_timestamp_cases_1() {
        assert_eq!(
            pts("05 Dec 2000", "DD Mon YYYY"),
            Ok("2000-12-05 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09", "YYYY-MM-DD HH24:MI:SS"),
            Ok("2024-02-29 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 01:05:09 PM", "YYYY-MM-DD HH12:MI:SS AM"),
            Ok("2024-02-29 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 01:05:09 AM", "YYYY-MM-DD HH:MI:SS AM"),
            Ok("2024-02-29 01:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09.123", "YYYY-MM-DD HH24:MI:SS.MS"),
            Ok("2024-02-29 13:05:09.123000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09.123456", "YYYY-MM-DD HH24:MI:SS.US"),
            Ok("2024-02-29 13:05:09.123456".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09 +02", "YYYY-MM-DD HH24:MI:SS TZH"),
            Ok("2024-02-29 11:05:09.000000".to_string())
        );
        assert_eq!(
            pts(
                "2024-02-29 13:05:09 -05:30",
                "YYYY-MM-DD HH24:MI:SS TZH:TZM"
            ),
            Ok("2024-02-29 18:35:09.000000".to_string())
        );
        assert_eq!(
            pts("2000JUN", "YYYYMON"),
            Ok("2000-06-01 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("97/2/16 8:14:30", "FMYYYY/FMMM/FMDD FMHH:FMMI:FMSS"),
            Ok("97-02-16 08:14:30.000000".to_string())
        );
        assert_eq!(
            pts("2011-12-18 11:38 PM", "YYYY-MM-DD HH12:MI PM"),
            Ok("2011-12-18 23:38:00.000000".to_string())
        );
        assert_eq!(
            pts("15:12:02.020.001230", "HH24:MI:SS.MS.US"),
            Ok("0-01-01 15:12:02.021230".to_string())
        );
        assert_eq!(
            pts("1,582nd VIII 21", "Y,YYYth FMRM DD"),
            Ok("1582-08-21 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-01-01", "YYYY-MM-DD"),
            Ok("2024-01-01 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("12:00", "HH24:MI"),
            Ok("0-01-01 12:00:00.000000".to_string())
        );
        assert_eq!(pts("", ""), Ok("0-01-01 00:00:00.000000".to_string()));
        assert_eq!(
            pts("2024-02-29 12:00 AM", "YYYY-MM-DD HH12:MI AM"),
            Ok("2024-02-29 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 12:00 PM", "YYYY-MM-DD HH12:MI AM"),
            Ok("2024-02-29 12:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:00 PM", "YYYY-MM-DD HH12:MI AM"),
            Err("hour \"13\" is invalid for the 12-hour clock".to_string())
        );
        assert_eq!(
            pts("2024-02-29 00:00", "YYYY-MM-DD HH12:MI"),
            Err("hour \"0\" is invalid for the 12-hour clock".to_string())
        );
        assert_eq!(
            pts("2024-02-29 PM", "YYYY-MM-DD AM"),
            Err("hour \"0\" is invalid for the 12-hour clock".to_string())
        );
        assert_eq!(
            pts("2024-02-29 24:00", "YYYY-MM-DD HH24:MI"),
            Err("date/time field value out of range: \"2024-02-29 24:00\"".to_string())
        );
        assert_eq!(
            pts("2024-02-29 23:60", "YYYY-MM-DD HH24:MI"),
            Err("date/time field value out of range: \"2024-02-29 23:60\"".to_string())
        );
        assert_eq!(
            pts("2024-02-29 23:59:60", "YYYY-MM-DD HH24:MI:SS"),
            Err("date/time field value out of range: \"2024-02-29 23:59:60\"".to_string())
        );
        assert_eq!(
            pts("2024-02-29 5:7:9", "YYYY-MM-DD HH24:MI:SS"),
            Ok("2024-02-29 05:07:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 1:2:3 p.m.", "YYYY-MM-DD HH:MI:SS a.m."),
            Ok("2024-02-29 13:02:03.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09.5", "YYYY-MM-DD HH24:MI:SS.MS"),
            Ok("2024-02-29 13:05:09.500000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09.05", "YYYY-MM-DD HH24:MI:SS.US"),
            Ok("2024-02-29 13:05:09.050000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09.123456", "YYYY-MM-DD HH24:MI:SS.FF3"),
            Ok("2024-02-29 13:05:09.123000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09.987654", "YYYY-MM-DD HH24:MI:SS.FF2"),
            Ok("2024-02-29 13:05:09.990000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09.12", "YYYY-MM-DD HH24:MI:SS.FF1"),
            Ok("2024-02-29 13:05:09.100000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09.1234567", "YYYY-MM-DD HH24:MI:SS.US"),
            Err("date/time field value out of range: \"2024-02-29 13:05:09.1234567\"".to_string())
        );
        assert_eq!(
            pts("47109", "SSSS"),
            Ok("0-01-01 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 47109", "YYYY-MM-DD SSSSS"),
            Ok("2024-02-29 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 86400", "YYYY-MM-DD SSSS"),
            Err("date/time field value out of range: \"2024-02-29 86400\"".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09+0530", "YYYY-MM-DD HH24:MI:SSTZHTZM"),
            Ok("2024-02-29 07:35:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09 +16", "YYYY-MM-DD HH24:MI:SS TZH"),
            Err("time zone displacement out of range: \"2024-02-29 13:05:09 +16\"".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09 EST", "YYYY-MM-DD HH24:MI:SS TZ"),
            Err("formatting field \"TZ\" is only supported in to_char".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09 +02", "YYYY-MM-DD HH24:MI:SS OF"),
            Err("formatting field \"OF\" is only supported in to_char".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09 30", "YYYY-MM-DD HH24:MI:SS TZM"),
            Ok("2024-02-29 12:35:09.000000".to_string())
        );
    }

    #[test]
    fn to_timestamp_cases_2() {
        assert_eq!(
            pts("2024-02-29 13:05:09-03", "YYYY-MM-DD HH24:MI:SS-TZH"),
            Ok("2024-02-29 10:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09 -03", "YYYY-MM-DD HH24:MI:SS TZH"),
            Ok("2024-02-29 16:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29T13:05:09", "YYYY-MM-DD\"T\"HH24:MI:SS"),
            Ok("2024-02-29 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29T13:05:09", "YYYY-MM-DDTHH24:MI:SS"),
            Ok("2024-02-29 00:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05", "YYYY-MM-DD HH24:MI:SS"),
            Ok("2024-02-29 13:05:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 1305", "YYYY-MM-DD HH24MI"),
            Ok("2024-02-29 13:05:00.000000".to_string())
        );
        assert_eq!(
            pts("20240229130509", "YYYYMMDDHH24MISS"),
            Ok("2024-02-29 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09", "FXYYYY-MM-DD HH24:MI:SS"),
            Ok("2024-02-29 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29  13:05:09", "FXYYYY-MM-DD HH24:MI:SS"),
            Ok("2024-02-29 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09", "FXYYYY-MM-DD  HH24:MI:SS"),
            Ok("2024-02-29 03:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024/02/29 13.05.09", "YYYY-MM-DD HH24:MI:SS"),
            Ok("2024-02-29 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09", "YYYY-MM-DD HH24 MI SS"),
            Ok("2024-02-29 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09", "YYYY-MM-DD HH24MISS"),
            Err("invalid value \":0\" for \"MI\"".to_string())
        );
        assert_eq!(
            pts("2024  -02-  29", "YYYY-MM-DD"),
            Ok("2024-02-29 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13", "YYYY-MM-DD HH"),
            Err("hour \"13\" is invalid for the 12-hour clock".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09 AD", "YYYY-MM-DD HH24:MI:SS AD"),
            Ok("2024-02-29 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("0001-02-03 04:05:06 BC", "YYYY-MM-DD HH24:MI:SS BC"),
            Ok("0-02-03 04:05:06.000000".to_string())
        );
        assert_eq!(
            pts("4714-11-23 BC", "YYYY-MM-DD BC"),
            Err("timestamp out of range".to_string())
        );
        assert_eq!(
            pts("4714-11-24 BC", "YYYY-MM-DD BC"),
            Ok("-4713-11-24 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09 xyz", "YYYY-MM-DD HH24:MI:SS AM"),
            Err("invalid value \"xyz\" for \"AM\"".to_string())
        );
        assert_eq!(
            pts("13:05:09 2024 Thursday", "HH24:MI:SS YYYY Day"),
            Ok("2024-01-01 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024 Thursday 9 2", "IYYY Day IW D"),
            Err("invalid combination of date conventions".to_string())
        );
        assert_eq!(
            pts("2024 5 9", "IYYY ID IW"),
            Ok("2024-03-01 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 99", "YYYY-MM-DD MI"),
            Err("date/time field value out of range: \"2024-02-29 99\"".to_string())
        );
        assert_eq!(
            pts("9999999999", "YYYY"),
            Err("value for \"YYYY\" in source string is out of range".to_string())
        );
        assert_eq!(
            pts("2147483647", "J"),
            Err("timestamp out of range".to_string())
        );
        assert_eq!(pts("-1", "J"), Err("timestamp out of range".to_string()));
        assert_eq!(
            pts("2024 12 13 14 15", "YYYY MM DD HH MI"),
            Err("hour \"14\" is invalid for the 12-hour clock".to_string())
        );
        assert_eq!(
            pts("2024 12 13 01 15 XX", "YYYY MM DD HH MI AM"),
            Err("invalid value \"XX\" for \"AM\"".to_string())
        );
        assert_eq!(
            pts("2024-02-29 1 2", "YYYY-MM-DD HH24 D"),
            Ok("2024-02-29 01:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024 02 29 15", "YYYY MM DD HH24th"),
            Ok("2024-02-29 15:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024 02 29 15th", "YYYY MM DD HH24th"),
            Ok("2024-02-29 15:00:00.000000".to_string())
        );
        assert_eq!(
            pts("Q1 2024", "\"Q\"Q YYYY"),
            Ok("2024-01-01 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 13:05:09", "YYYY-MM-DD HH24:MI:SS.MS"),
            Ok("2024-02-29 13:05:09.000000".to_string())
        );
        assert_eq!(
            pts("2024 366 5", "YYYY DDD HH24"),
            Ok("2024-12-31 05:00:00.000000".to_string())
        );
        assert_eq!(
            pts("1999 0", "YYYY DDD"),
            Ok("1999-01-01 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("20 200", "CC YYY"),
            Ok("2200-01-01 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024 11 1 1", "YYYY MM W DD"),
            Ok("2024-11-01 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 12:00:00 a.m.", "YYYY-MM-DD HH12:MI:SS P.M."),
            Ok("2024-02-29 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 12:00:00 am", "YYYY-MM-DD HH12:MI:SS pm"),
            Ok("2024-02-29 00:00:00.000000".to_string())
        );
    }

    #[test]
    fn to_timestamp_cases_3() {
        assert_eq!(
            pts("1 2", "MI SS"),
            Ok("0-01-01 00:01:02.000000".to_string())
        );
        assert_eq!(
            pts("2024 -02 -29", "YYYY MM DD"),
            Ok("2024-02-29 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024é02-29", "YYYY\"x\"MM-DD"),
            Ok("2024-02-29 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-é-02-29", "YYYY-FXMM-DD"),
            Err("invalid value \"é\" for \"MM\"".to_string())
        );
        assert_eq!(
            pts("é2024", "YYYY"),
            Err("invalid value \"é20\" for \"YYYY\"".to_string())
        );
        assert_eq!(
            pts("2024 Ménday", "YYYY Day"),
            Err("invalid value \"Ménday\" for \"Day\"".to_string())
        );
        assert_eq!(
            pts("217308010,0510051", "QJTMY,YYYSPTMYYYY"),
            Err("conflicting values for \"YYYY\" field in formatting string".to_string())
        );
        assert_eq!(
            pts("229951716", "JCC"),
            Ok("-4713-11-26 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("30000000", "CC"),
            Err("timestamp out of range".to_string())
        );
        assert_eq!(
            pts("2024 400000000", "YYYY WW"),
            Err("date/time field value out of range: \"2024 400000000\"".to_string())
        );
        assert_eq!(
            pts("5000000", "MS"),
            Err("date/time field value out of range: \"5000000\"".to_string())
        );
        assert_eq!(
            pts("2024 5", "YYYY MMth"),
            Ok("2024-05-01 00:00:00.000000".to_string())
        );
        assert_eq!(
            pts("2024-02-29 15 PM", "YYYY-MM-DD HH24 PM"),
            Err("hour \"15\" is invalid for the 12-hour clock".to_string())
        );
    }

    #[test]
    fn to_date_cases_1() {
        assert_eq!(
            pdate("05 Dec 2000", "DD Mon YYYY"),
            Ok("2000-12-05".to_string())
        );
        assert_eq!(
            pdate("2024-02-29", "YYYY-MM-DD"),
            Ok("2024-02-29".to_string())
        );
        assert_eq!(pdate("20240229", "YYYYMMDD"), Ok("2024-02-29".to_string()));
        assert_eq!(
            pdate("29/02/2024", "DD/MM/YYYY"),
            Ok("2024-02-29".to_string())
        );
        assert_eq!(
            pdate("December 25, 2023", "Month DD, YYYY"),
            Ok("2023-12-25".to_string())
        );
        assert_eq!(
            pdate("2000   JUN", "YYYY MON"),
            Ok("2000-06-01".to_string())
        );
        assert_eq!(
            pdate("2000 JUN", "FXYYYY MON"),
            Ok("2000-06-01".to_string())
        );
        assert_eq!(
            pdate("2011 12  18", "YYYY MM DD"),
            Ok("2011-12-18".to_string())
        );
        assert_eq!(pdate("2024 060", "YYYY DDD"), Ok("2024-02-29".to_string()));
        assert_eq!(pdate("2024-10", "IYYY-IW"), Ok("2024-03-04".to_string()));
        assert_eq!(pdate("2451545", "J"), Ok("2000-01-01".to_string()));
        assert_eq!(pdate("99-01-15", "YY-MM-DD"), Ok("1999-01-15".to_string()));
        assert_eq!(pdate("70-01-15", "YY-MM-DD"), Ok("1970-01-15".to_string()));
        assert_eq!(
            pdate("1st March 2024", "DDth Month YYYY"),
            Ok("2024-03-01".to_string())
        );
        assert_eq!(
            pdate("2024-Q3", "YYYY-\"Q\"Q"),
            Ok("2024-01-01".to_string())
        );
        assert_eq!(
            pdate("1995-06-01", "YYYY-MM-DD"),
            Ok("1995-06-01".to_string())
        );
        assert_eq!(
            pdate("1995-07-01", "YYYY-MM-DD"),
            Ok("1995-07-01".to_string())
        );
        assert_eq!(
            pdate("2024-13-01", "YYYY-MM-DD"),
            Err("date/time field value out of range: \"2024-13-01\"".to_string())
        );
        assert_eq!(
            pdate("2023-02-29", "YYYY-MM-DD"),
            Err("date/time field value out of range: \"2023-02-29\"".to_string())
        );
        assert_eq!(
            pdate("2024-02-30", "YYYY-MM-DD"),
            Err("date/time field value out of range: \"2024-02-30\"".to_string())
        );
        assert_eq!(
            pdate("2024-00-10", "YYYY-MM-DD"),
            Ok("2024-01-10".to_string())
        );
        assert_eq!(
            pdate("2024-01-32", "YYYY-MM-DD"),
            Err("date/time field value out of range: \"2024-01-32\"".to_string())
        );
        assert_eq!(pdate("2024 366", "YYYY DDD"), Ok("2024-12-31".to_string()));
        assert_eq!(
            pdate("2023 366", "YYYY DDD"),
            Err("date/time field value out of range: \"2023 366\"".to_string())
        );
        assert_eq!(
            pdate("2024 Foo 01", "YYYY Mon DD"),
            Err("invalid value \"Foo\" for \"Mon\"".to_string())
        );
        assert_eq!(
            pdate("2024-W10-3", "IYYY-\"W\"IW-ID"),
            Ok("2024-03-06".to_string())
        );
        assert_eq!(
            pdate("2024 10 3", "YYYY IW D"),
            Err("invalid combination of date conventions".to_string())
        );
        assert_eq!(pdate("2024 10", "YYYY WW"), Ok("2024-03-04".to_string()));
        assert_eq!(
            pdate("2024-03 2", "YYYY-MM W"),
            Ok("2024-03-08".to_string())
        );
        assert_eq!(
            pdate("21 05 15", "CC YY MM"),
            Err("date/time field value out of range: \"21 05 15\"".to_string())
        );
        assert_eq!(pdate("20 01 01", "CC YY DD"), Ok("1901-01-01".to_string()));
        assert_eq!(pdate("21", "CC"), Ok("2001-01-01".to_string()));
        assert_eq!(pdate("5 BC", "YYYY BC"), Ok("-4-01-01".to_string()));
        assert_eq!(
            pdate("0044-03-15 BC", "YYYY-MM-DD BC"),
            Ok("-43-03-15".to_string())
        );
        assert_eq!(
            pdate("044 03 15", "YYY MM DD"),
            Ok("2044-03-15".to_string())
        );
        assert_eq!(pdate("9 03 15", "Y MM DD"), Ok("2009-03-15".to_string()));
        assert_eq!(
            pdate("520 01 01", "YYY MM DD"),
            Ok("1520-01-01".to_string())
        );
        assert_eq!(
            pdate("2024 MAR 05 TUE", "YYYY MON DD DY"),
            Ok("2024-03-05".to_string())
        );
        assert_eq!(
            pdate("TUESDAY 2024-03-05", "DAY YYYY-MM-DD"),
            Ok("2024-03-05".to_string())
        );
        assert_eq!(
            pdate("2024/3/5", "YYYY/MM/DD"),
            Ok("2024-03-05".to_string())
        );
    }

    #[test]
    fn to_date_cases_2() {
        assert_eq!(
            pdate("2024/3/5", "FMYYYY/FMMM/FMDD"),
            Ok("2024-03-05".to_string())
        );
        assert_eq!(
            pdate("2024 x 03", "YYYY MM"),
            Err("invalid value \"x \" for \"MM\"".to_string())
        );
        assert_eq!(
            pdate("abc", "YYYY"),
            Err("invalid value \"abc\" for \"YYYY\"".to_string())
        );
        assert_eq!(pdate("2024-02", "YYYY-MM-DD"), Ok("2024-02-01".to_string()));
        assert_eq!(
            pdate("2024-02-29 trailing", "YYYY-MM-DD"),
            Ok("2024-02-29".to_string())
        );
        assert_eq!(
            pdate("  2024-02-29", "YYYY-MM-DD"),
            Ok("2024-02-29".to_string())
        );
        assert_eq!(
            pdate("2024-02-29", "YYYY MM DD"),
            Ok("2024-02-29".to_string())
        );
        assert_eq!(
            pdate("2024 02 29", "YYYY-MM-DD"),
            Ok("2024-02-29".to_string())
        );
        assert_eq!(
            pdate("2024.02.29", "YYYY-MM-DD"),
            Ok("2024-02-29".to_string())
        );
        assert_eq!(
            pdate("2024-02-29", "YYYYMMDD"),
            Ok("2024-01-02".to_string())
        );
        assert_eq!(
            pdate("20240229", "YYYY-MM-DD"),
            Err("timestamp out of range".to_string())
        ); // to_date says: date out of range: "20240229"
        assert_eq!(pdate("2024", "YYYY-MM-DD"), Ok("2024-01-01".to_string()));
        assert_eq!(
            pdate("2024-2-9", "YYYY-MM-DD"),
            Ok("2024-02-09".to_string())
        );
        assert_eq!(
            pdate("2024-Feb-29", "YYYY-Mon-DD"),
            Ok("2024-02-29".to_string())
        );
        assert_eq!(
            pdate("2024-FEBRUARY-29", "YYYY-MONTH-DD"),
            Ok("2024-02-29".to_string())
        );
        assert_eq!(
            pdate("2024-february-29", "YYYY-Month-DD"),
            Ok("2024-02-29".to_string())
        );
        assert_eq!(
            pdate("2024-II-29", "YYYY-RM-DD"),
            Ok("2024-02-29".to_string())
        );
        assert_eq!(
            pdate("2024-xii-01", "YYYY-rm-DD"),
            Ok("2024-12-01".to_string())
        );
        assert_eq!(pdate("12/31/99", "MM/DD/YY"), Ok("1999-12-31".to_string()));
        assert_eq!(pdate("12/31/69", "MM/DD/YY"), Ok("2069-12-31".to_string()));
        assert_eq!(pdate("1/2/3", "MM/DD/Y"), Ok("2003-01-02".to_string()));
        assert_eq!(pdate("2024 60", "YYYY DDD"), Ok("2024-02-29".to_string()));
        assert_eq!(pdate("0000-01-01", "YYYY-MM-DD"), Ok("0-01-01".to_string()));
        assert_eq!(
            pdate("1582-10-10", "YYYY-MM-DD"),
            Ok("1582-10-10".to_string())
        );
        assert_eq!(
            pdate("31-12-2024", "DD-MM-YYYY"),
            Ok("2024-12-31".to_string())
        );
        assert_eq!(
            pdate("2024-12-31", "IYYY-MM-DD"),
            Err("invalid combination of date conventions".to_string())
        );
        assert_eq!(
            pdate("2024 2024", "YYYY YYYY"),
            Ok("2024-01-01".to_string())
        );
        assert_eq!(
            pdate("2024 2023", "YYYY YYYY"),
            Err("conflicting values for \"YYYY\" field in formatting string".to_string())
        );
        assert_eq!(
            pdate("2024-01-01 Mon", "YYYY-MM-DD Dy"),
            Ok("2024-01-01".to_string())
        );
        assert_eq!(
            pdate("2024-01-01 Tue", "YYYY-MM-DD Dy"),
            Ok("2024-01-01".to_string())
        );
        assert_eq!(
            pdate("01 01 2024", "MM DD IYYY"),
            Err("invalid combination of date conventions".to_string())
        );
        assert_eq!(pdate("2024 1 1", "YYYY Q DD"), Ok("2024-01-01".to_string()));
        assert_eq!(pdate("2024", "YYYYth"), Ok("2024-01-01".to_string()));
        assert_eq!(pdate("2024th", "YYYYth"), Ok("2024-01-01".to_string()));
        assert_eq!(pdate("1,234", "Y,YYY"), Ok("1234-01-01".to_string()));
        assert_eq!(
            pdate("12,345 06 07", "Y,YYY MM DD"),
            Ok("12345-06-07".to_string())
        );
        assert_eq!(
            pdate("x,234", "Y,YYY"),
            Err("invalid input string for \"Y,YYY\"".to_string())
        );
        assert_eq!(pdate("2024 -5", "YYYY DD"), Ok("2024-01-05".to_string()));
        assert_eq!(
            pdate("  ", "YYYY"),
            Err("invalid value \"\" for \"YYYY\"".to_string())
        );
        assert_eq!(pdate("", "YYYY"), Ok("0-01-01".to_string()));
    }

    #[test]
    fn to_date_cases_3() {
        assert_eq!(pdate("2024", ""), Ok("0-01-01".to_string()));
    }

    #[test]
    fn to_number_cases_1() {
        assert_eq!(
            parse_number("12,454.8-", "99G999D9S"),
            Ok("-12454.8".to_string())
        );
        assert_eq!(
            parse_number("12,454.8-", "99,999.9S"),
            Ok("-12454.8".to_string())
        );
        assert_eq!(
            parse_number("-12,454.8", "S99G999D9"),
            Ok("-12454.8".to_string())
        );
        assert_eq!(
            parse_number("$1,234.56", "L9,999.99"),
            Ok("1234.56".to_string())
        );
        assert_eq!(
            parse_number("1234.56", "9999.99"),
            Ok("1234.56".to_string())
        );
        assert_eq!(
            parse_number("1234.567", "9999.99"),
            Ok("1234.56".to_string())
        );
        assert_eq!(parse_number("  42", "9999"), Ok("42".to_string()));
        assert_eq!(parse_number("<123>", "999PR"), Ok("-123".to_string()));
        assert_eq!(parse_number("123-", "999MI"), Ok("-123".to_string()));
        assert_eq!(parse_number("0012", "0000"), Ok("12".to_string()));
        assert_eq!(parse_number("12345", "99999"), Ok("12345".to_string()));
        assert_eq!(
            parse_number("abc", "999"),
            Err("invalid input syntax for type numeric: \" \"".to_string())
        );
        assert_eq!(
            parse_number("12345", "99.999"),
            Err("numeric field overflow".to_string())
        );
        assert_eq!(
            parse_number("1234", "99V99"),
            Ok("12.3400000000000000".to_string())
        );
        assert_eq!(
            parse_number("12", "9V9"),
            Ok("1.2000000000000000".to_string())
        );
        assert_eq!(
            parse_number("12", "99V"),
            Ok("12.0000000000000000".to_string())
        );
        assert_eq!(
            parse_number("123", "999EEEE"),
            Err("\"EEEE\" not supported for input".to_string())
        );
        assert_eq!(
            parse_number("123", "RN"),
            Err("\"RN\" not supported for input".to_string())
        );
        assert_eq!(
            parse_number("1.5", "9.9.9"),
            Err("multiple decimal points".to_string())
        );
        assert_eq!(parse_number("-5", "S9"), Ok("-5".to_string()));
        assert_eq!(parse_number("+5", "S9"), Ok("5".to_string()));
        assert_eq!(parse_number("5+", "9S"), Ok("5".to_string()));
        assert_eq!(parse_number("5-", "9S"), Ok("-5".to_string()));
        assert_eq!(
            parse_number("- 5", "S9"),
            Err("invalid input syntax for type numeric: \"-\"".to_string())
        );
        assert_eq!(parse_number("1 234", "9 999"), Ok("1234".to_string()));
        assert_eq!(parse_number("12.34", "99D99"), Ok("12.34".to_string()));
        assert_eq!(parse_number("12.34", "FM99.99"), Ok("12.34".to_string()));
        assert_eq!(parse_number("1,234", "FM9,999"), Ok("123".to_string()));
        assert_eq!(parse_number("1,234", "9,999"), Ok("1234".to_string()));
        assert_eq!(parse_number("1234", "9,999"), Ok("1234".to_string()));
        assert_eq!(parse_number("12th", "99th"), Ok("12".to_string()));
        assert_eq!(parse_number("-12", "99"), Ok("-12".to_string()));
        assert_eq!(parse_number("12-", "99"), Ok("12".to_string()));
        assert_eq!(parse_number("12-", "99MI"), Ok("-12".to_string()));
        assert_eq!(parse_number("+12", "PL99"), Ok("12".to_string()));
        assert_eq!(parse_number("12+", "99PL"), Ok("12".to_string()));
        assert_eq!(parse_number("-12", "SG99"), Ok("-12".to_string()));
        assert_eq!(parse_number("12", "999999"), Ok("12".to_string()));
        assert_eq!(parse_number("123456", "999"), Ok("123".to_string()));
        assert_eq!(
            parse_number("3.14159", "9.99999"),
            Ok("3.14159".to_string())
        );
    }

    #[test]
    fn to_number_cases_2() {
        assert_eq!(parse_number("3.14159", "9.99"), Ok("3.14".to_string()));
        assert_eq!(parse_number(".5", ".9"), Ok("0.5".to_string()));
        assert_eq!(parse_number("0.5", "9.9"), Ok("0.5".to_string()));
        assert_eq!(parse_number("5.", "9."), Ok("5".to_string()));
        assert_eq!(
            parse_number("-.5", "S.9"),
            Err("invalid input syntax for type numeric: \" \"".to_string())
        );
        assert_eq!(parse_number("1e5", "9999"), Ok("15".to_string()));
        assert_eq!(parse_number("12 34", "9999"), Ok("1234".to_string()));
        assert_eq!(parse_number("12abc34", "99999"), Ok("12".to_string()));
        assert_eq!(parse_number("1,2,3", "9,9,9"), Ok("123".to_string()));
        assert_eq!(parse_number("12.5%", "99.9%"), Ok("12.5".to_string()));
        assert_eq!(parse_number("(12)", "(99)"), Ok("12".to_string()));
        assert_eq!(parse_number("<12", "99PR"), Ok("-12".to_string()));
        assert_eq!(parse_number("12>", "99PR"), Ok("12".to_string()));
        assert_eq!(parse_number("", ""), Err(String::new()));
        assert_eq!(
            parse_number("", "999"),
            Err("invalid input syntax for type numeric: \" \"".to_string())
        );
        assert_eq!(parse_number("5", "9"), Ok("5".to_string()));
        assert_eq!(
            parse_number("12,345,678.9", "99,999,999.9"),
            Ok("12345678.9".to_string())
        );
        assert_eq!(parse_number("-0", "9"), Ok("0".to_string()));
        assert_eq!(parse_number("000.000", "999.999"), Ok("0.000".to_string()));
        assert_eq!(
            parse_number("99999999999999999999", "99999999999999999999"),
            Ok("99999999999999999999".to_string())
        );
        assert_eq!(parse_number("123", "0009"), Ok("123".to_string()));
        assert_eq!(
            parse_number("42é3603h$-3b", "\"x\"MI9099"),
            Ok("23".to_string())
        );
        assert_eq!(parse_number("é22+", "00."), Ok("2".to_string()));
        assert_eq!(parse_number("1é2", "9\"x\"9"), Ok("12".to_string()));
        assert_eq!(parse_number("1é2", "999"), Ok("1".to_string()));
        assert_eq!(parse_number("25", "99"), Ok("25".to_string()));
        assert_eq!(parse_number("23", "99"), Ok("23".to_string()));
        assert_eq!(parse_number("11", "99"), Ok("11".to_string()));
        assert_eq!(parse_number("14", "99"), Ok("14".to_string()));
        assert_eq!(parse_number("13", "99"), Ok("13".to_string()));
        assert_eq!(parse_number("30", "99"), Ok("30".to_string()));
        assert_eq!(parse_number("28", "99"), Ok("28".to_string()));
        assert_eq!(parse_number("27", "99"), Ok("27".to_string()));
        assert_eq!(parse_number("18", "99"), Ok("18".to_string()));
        assert_eq!(parse_number("15", "99"), Ok("15".to_string()));
    }
}
