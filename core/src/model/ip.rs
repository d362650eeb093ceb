//! IPv4 and IPv6 addresses: reading and writing them without `core::net`'s parser and
//! `Display`, which both carry panic paths the compiler cannot remove (checked slicing inside
//! their buffers), so that firmware embedding the core links with no panic at all.
//!
//! The rules are `core::net`'s, byte for byte (a test compares both on every form and on
//! random input): IPv4 is four decimal octets without leading zeros; IPv6 is up to eight
//! groups of one to four hex digits, at most one `::`, an IPv4 address allowed in place of
//! the last two groups; IPv6 is written as RFC 5952 says (lower case, the longest run of two
//! or more zero groups as `::`, the first of equal runs), and an IPv4-mapped address as
//! `::ffff:a.b.c.d`.

use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

/// The value of a decimal digit.
fn decimal(b: u8) -> Option<u16> {
    b.is_ascii_digit().then(|| u16::from(b - b'0'))
}

/// Reads an IPv4 address from the start of `b`; gives it and the bytes read.
fn read_ipv4(b: &[u8]) -> Option<(Ipv4Addr, usize)> {
    let mut octets = [0u8; 4];
    let mut at = 0usize;
    for (i, octet) in octets.iter_mut().enumerate() {
        if i > 0 {
            if b.get(at) != Some(&b'.') {
                return None;
            }
            at += 1;
        }
        let start = at;
        let mut value = 0u16;
        while let Some(d) = b.get(at).copied().and_then(decimal) {
            if at - start == 3 {
                return None;
            }
            value = value * 10 + d;
            at += 1;
        }
        let digits = at - start;
        let leading_zero = digits > 1 && b.get(start) == Some(&b'0');
        if digits == 0 || leading_zero {
            return None;
        }
        *octet = u8::try_from(value).ok()?;
    }
    Some((Ipv4Addr::from(octets), at))
}

/// Parses a whole IPv4 address (`192.0.2.1`).
pub fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    let (addr, used) = read_ipv4(s.as_bytes())?;
    (used == s.len()).then_some(addr)
}

/// Reads up to `limit` groups separated by `:`, the last of which may be an IPv4 address
/// (two groups); gives how many groups and the bytes read.
fn read_groups(b: &[u8], groups: &mut [u16], allow_ipv4: bool) -> (usize, usize) {
    let mut count = 0usize;
    let mut at = 0usize;
    while count < groups.len() {
        let start = at;
        if count > 0 {
            if b.get(at) != Some(&b':') {
                break;
            }
            at += 1;
        }
        // An IPv4 address in place of the last two groups.
        if allow_ipv4
            && count + 2 <= groups.len()
            && let Some((v4, used)) = read_ipv4(b.get(at..).unwrap_or_default())
        {
            let [a, bb, c, d] = v4.octets();
            if let Some(slot) = groups.get_mut(count) {
                *slot = u16::from_be_bytes([a, bb]);
            }
            if let Some(slot) = groups.get_mut(count + 1) {
                *slot = u16::from_be_bytes([c, d]);
            }
            return (count + 2, at + used);
        }
        let digits_start = at;
        let mut value = 0u16;
        while let Some(d) = b.get(at).copied().and_then(crate::hex::value) {
            if at - digits_start == 4 {
                break;
            }
            value = (value << 4) | u16::from(d);
            at += 1;
        }
        if at == digits_start {
            // No group here: give back the `:` read before it.
            return (count, start);
        }
        if let Some(slot) = groups.get_mut(count) {
            *slot = value;
        }
        count += 1;
    }
    (count, at)
}

/// Parses a whole IPv6 address (`2001:db8::1`, `::ffff:192.0.2.1`).
pub fn parse_ipv6(s: &str) -> Option<Ipv6Addr> {
    let b = s.as_bytes();
    let mut head = [0u16; 8];
    let (head_len, mut at) = read_groups(b, &mut head, true);
    if head_len == 8 {
        return (at == b.len()).then(|| Ipv6Addr::from(head));
    }
    // Fewer than eight: `::` must follow, then the tail (at most 7 - head groups).
    if b.get(at..at + 2) != Some(b"::") {
        return None;
    }
    at += 2;
    let mut tail = [0u16; 7];
    let limit = 7 - head_len;
    let tail_slots = tail.get_mut(..limit).unwrap_or_default();
    let (tail_len, used) = read_groups(b.get(at..).unwrap_or_default(), tail_slots, true);
    at += used;
    if at != b.len() {
        return None;
    }
    let mut groups = [0u16; 8];
    for (slot, group) in groups.iter_mut().zip(head.iter().take(head_len)) {
        *slot = *group;
    }
    for (slot, group) in groups
        .iter_mut()
        .skip(8 - tail_len)
        .zip(tail.iter().take(tail_len))
    {
        *slot = *group;
    }
    Some(Ipv6Addr::from(groups))
}

/// Writes `n` in decimal.
fn write_decimal(f: &mut fmt::Formatter<'_>, n: u8) -> fmt::Result {
    let digits = [n / 100, n / 10 % 10, n % 10].map(|d| b'0' + d);
    let skip = match n {
        0..=9 => 2,
        10..=99 => 1,
        _ => 0,
    };
    for &d in digits.iter().skip(skip) {
        fmt::Write::write_char(f, char::from(d))?;
    }
    Ok(())
}

fn write_v4(f: &mut fmt::Formatter<'_>, addr: Ipv4Addr) -> fmt::Result {
    for (i, octet) in addr.octets().into_iter().enumerate() {
        if i > 0 {
            f.write_str(".")?;
        }
        write_decimal(f, octet)?;
    }
    Ok(())
}

/// An IPv4 address written as `core::net` writes it, through its own code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShowV4(pub Ipv4Addr);

impl fmt::Display for ShowV4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_v4(f, self.0)
    }
}

/// Writes one group in lower-case hex without leading zeros.
fn write_group(f: &mut fmt::Formatter<'_>, g: u16) -> fmt::Result {
    let [hi, lo] = g.to_be_bytes();
    let [a, b] = crate::hex::pair(hi);
    let [c, d] = crate::hex::pair(lo);
    let digits = [a, b, c, d];
    let skip = digits.iter().take(3).take_while(|d| **d == b'0').count();
    for &d in digits.iter().skip(skip) {
        fmt::Write::write_char(f, char::from(d))?;
    }
    Ok(())
}

/// An IPv6 address written as `core::net` writes it (RFC 5952), through its own code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShowV6(pub Ipv6Addr);

impl fmt::Display for ShowV6 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups = self.0.segments();
        if let [0, 0, 0, 0, 0, 0xffff, ab, cd] = groups {
            let [a, b] = ab.to_be_bytes();
            let [c, d] = cd.to_be_bytes();
            f.write_str("::ffff:")?;
            return write_v4(f, Ipv4Addr::new(a, b, c, d));
        }
        // The longest run of zero groups, at least two long (the first of equal runs).
        let (mut best_start, mut best_len) = (0usize, 0usize);
        let (mut run_start, mut run_len) = (0usize, 0usize);
        for (i, g) in groups.iter().enumerate() {
            if *g == 0 {
                if run_len == 0 {
                    run_start = i;
                }
                run_len += 1;
                if run_len > best_len {
                    (best_start, best_len) = (run_start, run_len);
                }
            } else {
                run_len = 0;
            }
        }
        let compress = best_len >= 2;
        let write_groups = |f: &mut fmt::Formatter<'_>, part: &[u16]| -> fmt::Result {
            for (i, g) in part.iter().enumerate() {
                if i > 0 {
                    f.write_str(":")?;
                }
                write_group(f, *g)?;
            }
            Ok(())
        };
        if compress {
            write_groups(f, groups.get(..best_start).unwrap_or_default())?;
            f.write_str("::")?;
            write_groups(f, groups.get(best_start + best_len..).unwrap_or_default())
        } else {
            write_groups(f, &groups)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write as _;

    fn shown(value: impl fmt::Display) -> heapless::String<64> {
        let mut s = heapless::String::new();
        write!(s, "{value}").unwrap();
        s
    }

    #[test]
    fn ipv4_forms() {
        assert_eq!(parse_ipv4("192.0.2.1"), Some(Ipv4Addr::new(192, 0, 2, 1)));
        assert_eq!(parse_ipv4("0.0.0.0"), Some(Ipv4Addr::UNSPECIFIED));
        for bad in [
            "",
            "1.2.3",
            "1.2.3.4.5",
            "256.1.1.1",
            "01.2.3.4",
            "1..2.3",
            "1.2.3.4 ",
            "a.b.c.d",
        ] {
            assert_eq!(parse_ipv4(bad), None, "{bad}");
        }
        assert_eq!(shown(ShowV4(Ipv4Addr::new(192, 0, 2, 10))), "192.0.2.10");
    }

    #[test]
    fn ipv6_forms() {
        let cases = [
            ("::", "::"),
            ("::1", "::1"),
            ("2001:db8::1", "2001:db8::1"),
            ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
            ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
            ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
            ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
            ("1::8", "1::8"),
            ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
            ("::192.0.2.1", "::c000:201"),
            ("fe80::1:2", "fe80::1:2"),
            ("1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0"),
        ];
        for (text, display) in cases {
            let addr = parse_ipv6(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(shown(ShowV6(addr)), display, "{text}");
        }
        for bad in [
            "",
            ":",
            ":::",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "12345::",
            "g::",
            "1:2",
            "::1 ",
        ] {
            assert_eq!(parse_ipv6(bad), None, "{bad}");
        }
    }
}
