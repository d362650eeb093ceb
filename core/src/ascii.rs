//! Searching and splitting text at ASCII bytes, without panic paths: `str`'s own searchers
//! (`split`, `find` with a `&str` or `char` pattern, `split_once`, ...) slice with bounds the
//! compiler cannot prove, so firmware embedding the core would link their panics. Every
//! pattern here is ASCII, so every position found is a character boundary and `str::get`
//! never fails; where it would, the empty string stands in.

/// A number's decimal digits, written without `core::fmt`: the one place the core turns a
/// number into digits for its writers.
pub(crate) struct Decimal {
    digits: [u8; 20],
    start: usize,
}

impl Decimal {
    /// The digits of `n` (no sign, no leading zeros; `0` for zero).
    pub(crate) fn new(n: u64) -> Self {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        let mut n = n;
        loop {
            i -= 1;
            if let Some(d) = digits.get_mut(i) {
                *d = b'0' + u8::try_from(n % 10).unwrap_or(0);
            }
            n /= 10;
            if n == 0 || i == 0 {
                break;
            }
        }
        Decimal { digits, start: i }
    }

    /// The digits.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.digits.get(self.start..).unwrap_or_default()
    }
}

/// Position of the first `b`.
pub(crate) fn find(s: &str, b: u8) -> Option<usize> {
    s.as_bytes().iter().position(|c| *c == b)
}

/// Position of the last `b`.
pub(crate) fn rfind(s: &str, b: u8) -> Option<usize> {
    s.as_bytes().iter().rposition(|c| *c == b)
}

/// Position of the first byte of `set`.
pub(crate) fn find_any(s: &str, set: &[u8]) -> Option<usize> {
    s.as_bytes().iter().position(|c| set.contains(c))
}

/// Position of the first occurrence of `pattern` (not empty).
pub(crate) fn find_seq(s: &str, pattern: &[u8]) -> Option<usize> {
    let n = pattern.len().max(1);
    s.as_bytes().windows(n).position(|w| w == pattern)
}

/// `true` when `s` holds `b`.
pub(crate) fn contains(s: &str, b: u8) -> bool {
    find(s, b).is_some()
}

/// `true` when `s` holds `pattern`.
pub(crate) fn contains_seq(s: &str, pattern: &[u8]) -> bool {
    find_seq(s, pattern).is_some()
}

/// `s` before and after the byte range `at..at + len`.
fn around(s: &str, at: usize, len: usize) -> (&str, &str) {
    (
        s.get(..at).unwrap_or_default(),
        s.get(at + len..).unwrap_or_default(),
    )
}

/// `s` split at the first `b`.
pub(crate) fn split_once(s: &str, b: u8) -> Option<(&str, &str)> {
    find(s, b).map(|at| around(s, at, 1))
}

/// `s` split at the last `b`.
pub(crate) fn rsplit_once(s: &str, b: u8) -> Option<(&str, &str)> {
    rfind(s, b).map(|at| around(s, at, 1))
}

/// `s` split at the first `pattern`.
pub(crate) fn split_once_seq<'a>(s: &'a str, pattern: &[u8]) -> Option<(&'a str, &'a str)> {
    find_seq(s, pattern).map(|at| around(s, at, pattern.len()))
}

/// `s` before the first `b`, or all of it.
pub(crate) fn before(s: &str, b: u8) -> &str {
    split_once(s, b).map_or(s, |(head, _)| head)
}

/// The pieces of `s` between the `b`s (as `str::split` gives them).
pub(crate) fn split(s: &str, b: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    core::iter::from_fn(move || {
        let current = rest?;
        match split_once(current, b) {
            Some((head, tail)) => {
                rest = Some(tail);
                Some(head)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// `s` without the `b`s at its end.
pub(crate) fn trim_end(s: &str, b: u8) -> &str {
    let keep = s.len() - s.as_bytes().iter().rev().take_while(|c| **c == b).count();
    s.get(..keep).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_digits() {
        for (n, want) in [
            (0u64, &b"0"[..]),
            (7, b"7"),
            (60000, b"60000"),
            (u64::MAX, b"18446744073709551615"),
        ] {
            assert_eq!(Decimal::new(n).as_bytes(), want);
        }
    }

    #[test]
    fn agrees_with_str() {
        let samples = [
            "",
            "a",
            "a b",
            " a  b ",
            "http://x/y?z",
            "::",
            "é/é",
            "a@b@c",
        ];
        for s in samples {
            for b in [b' ', b'/', b':', b'@', b'?'] {
                let c = char::from(b);
                assert_eq!(find(s, b), s.find(c));
                assert_eq!(rfind(s, b), s.rfind(c));
                assert_eq!(split_once(s, b), s.split_once(c));
                assert_eq!(rsplit_once(s, b), s.rsplit_once(c));
                assert!(split(s, b).eq(s.split(c)), "{s:?} {c:?}");
                assert_eq!(trim_end(s, b), s.trim_end_matches(c));
            }
            assert_eq!(find_seq(s, b"://"), s.find("://"));
            assert_eq!(split_once_seq(s, b"://"), s.split_once("://"));
            assert_eq!(find_any(s, b"/?"), s.find(['/', '?']));
        }
    }
}
