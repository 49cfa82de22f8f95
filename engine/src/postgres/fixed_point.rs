//! Decimal arithmetic at any precision, for the `numeric` functions Postgres computes to as many
//! digits as their result scale asks ([`super::numeric_math`]): square roots, natural logarithms
//! and exponentials of decimals, each rounded half away from zero at the scale asked for.
//!
//! A decimal is an integer and a scale, `value × 10^-scale`. Square roots are exact before
//! rounding; logarithms and exponentials are computed with [`GUARD`] digits more than asked
//! (series after reducing the argument near 1 or 0), so that rounding them gives the digits of the
//! exact value's rounding.

use num_bigint::{BigInt, Sign};

/// The digits computed past those asked for, which absorb the error of a logarithm's or an
/// exponential's series and reductions.
const GUARD: u32 = 20;

/// 10 to the power `n`.
pub(crate) fn ten_to(n: u32) -> BigInt {
    BigInt::from(10u8).pow(n)
}

/// `value`, a decimal of scale `from`, at scale `to`, rounded half away from zero.
pub(crate) fn rescale(value: &BigInt, from: u32, to: u32) -> BigInt {
    if to >= from {
        return value * ten_to(to - from);
    }
    divide_rounded(value, &ten_to(from - to))
}

/// `n / d`, rounded half away from zero; `d` is not zero.
pub(crate) fn divide_rounded(n: &BigInt, d: &BigInt) -> BigInt {
    let quotient = n / d;
    let remainder = n % d;
    if remainder.magnitude() * 2u8 >= *d.magnitude() {
        let away = if (n.sign() == Sign::Minus) == (d.sign() == Sign::Minus) {
            1
        } else {
            -1
        };
        quotient + away
    } else {
        quotient
    }
}

/// The square root of `value` (scale `scale`, not negative) at scale `to`.
pub(crate) fn sqrt(value: &BigInt, scale: u32, to: u32) -> BigInt {
    // The root's digits to one place past `to` (floor(√(v·10^-s)·10^(to+1)) is the integer
    // root of v·10^(2(to+1)-s)), then rounded at that place: truncated digits below a half
    // are below a half exactly.
    let shift = 2 * (i64::from(to) + 1) - i64::from(scale);
    let n = shifted(value, shift);
    (n.sqrt() + 5u8) / 10u8
}

/// `value × 10^shift`, truncated when `shift` is negative.
fn shifted(value: &BigInt, shift: i64) -> BigInt {
    if shift >= 0 {
        value * ten_to(shift as u32)
    } else {
        value / ten_to((-shift) as u32)
    }
}

/// The natural logarithm of `value` (scale `scale`, above zero) at scale `to`.
pub(crate) fn ln(value: &BigInt, scale: u32, to: u32) -> BigInt {
    let w = to + GUARD;
    // value = m · 10^e with 1 ≤ m < 10, so ln(value) = ln(m) + e·ln(10).
    let e = value.to_string().len() as i64 - 1 - i64::from(scale);
    let m = shifted(value, i64::from(w) - i64::from(scale) - e);
    let ln_value = ln_of_reduced(m, w) + BigInt::from(e) * ln_of_reduced(ten_to(w + 1), w);
    rescale(&ln_value, w, to)
}

/// The natural logarithm of `m` (scale `w`, from 1 to 10) at scale `w`, to within a few units
/// of its last three places: `m`'s square root taken until it is within 1% of 1, where
/// ln(y) = 2·atanh((y − 1)/(y + 1)) is a series of quickly falling terms, and the result doubled
/// as often.
fn ln_of_reduced(m: BigInt, w: u32) -> BigInt {
    let one = ten_to(w);
    let near = &one + &one / 100u8;
    let mut y = m;
    let mut halvings = 0u32;
    while y > near {
        y = (y * &one).sqrt();
        halvings += 1;
    }
    let z = (&y - &one) * &one / (&y + &one);
    let z2 = &z * &z / &one;
    let mut power = z.clone();
    let mut sum = z;
    let mut n = 1u32;
    loop {
        power = power * &z2 / &one;
        n += 2;
        let term = &power / n;
        if term.sign() == Sign::NoSign {
            break;
        }
        sum += term;
    }
    sum << (halvings + 1)
}

/// e to the power `value` (scale `scale`) at scale `to`; `magnitude`, the number of digits
/// before the result's point, sets the precision the result needs.
pub(crate) fn exp(value: &BigInt, scale: u32, to: u32, magnitude: u32) -> BigInt {
    let w = to + GUARD + magnitude;
    let one = ten_to(w);
    let x = rescale(value, scale, w);
    let negative = x.sign() == Sign::Minus;
    let x = BigInt::from_biguint(Sign::Plus, x.magnitude().clone());
    // exp(x) = exp(x / 2^k)^(2^k), with x / 2^k below 0.01, where Taylor's series falls quickly.
    let small = &one / 100u8;
    let mut halvings = 0u32;
    while (&x >> halvings) > small {
        halvings += 1;
    }
    let r = &x >> halvings;
    let mut sum = one.clone();
    let mut term = one.clone();
    let mut n = 1u32;
    loop {
        term = term * &r / (&one * n);
        if term.sign() == Sign::NoSign {
            break;
        }
        sum += &term;
        n += 1;
    }
    for _ in 0..halvings {
        sum = &sum * &sum / &one;
    }
    let result = if negative {
        divide_rounded(&(&one * &one), &sum)
    } else {
        sum
    };
    rescale(&result, w, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A decimal's text at `scale`.
    fn text(value: BigInt, scale: u32) -> String {
        let digits = value.magnitude().to_string();
        let digits = format!("{digits:0>width$}", width = scale as usize + 1);
        let (int, frac) = digits.split_at(digits.len() - scale as usize);
        let sign = if value.sign() == Sign::Minus { "-" } else { "" };
        match scale {
            0 => format!("{sign}{int}"),
            _ => format!("{sign}{int}.{frac}"),
        }
    }

    fn big(v: i64) -> BigInt {
        BigInt::from(v)
    }

    #[test]
    fn roots_and_logarithms_have_the_exact_values_digits() {
        assert_eq!(text(sqrt(&big(20), 1, 15), 15), "1.414213562373095");
        assert_eq!(text(sqrt(&big(25), 2, 17), 17), "0.50000000000000000");
        assert_eq!(text(ln(&big(20), 1, 16), 16), "0.6931471805599453");
        assert_eq!(text(ln(&big(1), 0, 16), 16), "0.0000000000000000");
        assert_eq!(text(ln(&big(1), 3, 20), 20), "-6.90775527898213705205");
        assert_eq!(
            text(ln(&big(12_345_678_901), 2, 30), 30),
            "18.631401766249018033927752854611"
        );
    }

    #[test]
    fn exponentials_have_the_exact_values_digits() {
        assert_eq!(text(exp(&big(10), 1, 16, 1), 16), "2.7182818284590452");
        assert_eq!(text(exp(&big(20), 1, 16, 1), 16), "7.3890560989306502");
        assert_eq!(text(exp(&big(-10), 1, 20, 1), 20), "0.36787944117144232160");
        assert_eq!(
            text(exp(&big(50), 0, 10, 22), 10),
            "5184705528587072464087.4533229335"
        );
        assert_eq!(text(exp(&big(0), 0, 4, 1), 4), "1.0000");
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(rescale(&big(25), 1, 0), big(3));
        assert_eq!(rescale(&big(-25), 1, 0), big(-3));
        assert_eq!(rescale(&big(-24), 1, 0), big(-2));
        assert_eq!(divide_rounded(&big(-1), &big(3)), big(0));
        assert_eq!(divide_rounded(&big(2), &big(-3)), big(-1));
    }
}
