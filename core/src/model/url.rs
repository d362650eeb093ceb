//! Hosts, URLs and the HTTP base URL that every per-node URL is built on.
//!
//! A URL is accepted only if every byte reaches iPXE unchanged as one argument: RFC 3986
//! characters, `%` followed by two hex digits, and none of `$`, `{`, `}`, `\`, whitespace or
//! control bytes (percent-encode them: `%24`, `%7B`, `%7D`, `%5C`, `%20`). A fragment (`#`)
//! is refused: iPXE would drop it.

use crate::error::ErrorKind;
use crate::limits::{HOST_MAX, URL_MAX};
use crate::model::text::{Position, bounded, check_literal};
use core::net::{Ipv4Addr, Ipv6Addr};
use core::str::FromStr;

/// A URL scheme the core knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    /// `http://`
    Http,
    /// `https://` (absent from stock BIOS iPXE builds)
    Https,
    /// `tftp://`
    Tftp,
    /// `ftp://`
    Ftp,
}

impl Scheme {
    /// The scheme as written before `://`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
            Scheme::Tftp => "tftp",
            Scheme::Ftp => "ftp",
        }
    }

    fn from_str(s: &str) -> Option<Self> {
        [Scheme::Http, Scheme::Https, Scheme::Tftp, Scheme::Ftp]
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
    }
}

/// Schemes iPXE can fetch a kernel, ramdisk, ISO or script from.
pub const FETCH_SCHEMES: &[Scheme] = &[Scheme::Http, Scheme::Https, Scheme::Tftp, Scheme::Ftp];
/// Schemes of an HTTP server.
pub const HTTP_SCHEMES: &[Scheme] = &[Scheme::Http, Scheme::Https];

/// A host: an IPv4 address, an IPv6 address, or a DNS name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Host {
    /// An IPv4 address.
    V4(Ipv4Addr),
    /// An IPv6 address (written in brackets inside URLs).
    V6(Ipv6Addr),
    /// A DNS name: labels of `[A-Za-z0-9-]`, 1 to 63 bytes, not starting or ending with `-`.
    Name(heapless::String<HOST_MAX>),
}

impl Host {
    /// Parses a host as it stands in a URL: IPv6 only in brackets.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidHost`], or [`ErrorKind::TooLong`].
    pub fn parse_in_url(s: &str) -> Result<Self, ErrorKind> {
        if let Some(inner) = s.strip_prefix('[') {
            let inner = inner.strip_suffix(']').ok_or(ErrorKind::InvalidHost)?;
            return Ipv6Addr::from_str(inner)
                .map(Host::V6)
                .map_err(|_| ErrorKind::InvalidHost);
        }
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Ipv4Addr::from_str(s)
                .map(Host::V4)
                .map_err(|_| ErrorKind::InvalidHost);
        }
        if s.len() > 253 {
            return Err(ErrorKind::TooLong { max: 253 });
        }
        let labels_ok = s.split('.').all(|label| {
            let b = label.as_bytes();
            (1..=63).contains(&b.len())
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && b.first() != Some(&b'-')
                && b.last() != Some(&b'-')
        });
        if !labels_ok {
            return Err(ErrorKind::InvalidHost);
        }
        Ok(Host::Name(bounded(s)?))
    }

    /// Parses a host as a bare server address: IPv6 with or without brackets.
    pub fn parse_address(s: &str) -> Result<Self, ErrorKind> {
        if s.contains(':') && !s.starts_with('[') {
            return Ipv6Addr::from_str(s)
                .map(Host::V6)
                .map_err(|_| ErrorKind::InvalidHost);
        }
        Host::parse_in_url(s)
    }
}

/// Writes `host` as it stands in a URL (IPv6 in brackets) through `out`.
impl core::fmt::Display for Host {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Host::V4(a) => write!(f, "{a}"),
            Host::V6(a) => write!(f, "[{a}]"),
            Host::Name(n) => f.write_str(n),
        }
    }
}

/// A validated absolute URL, stored as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    text: heapless::String<URL_MAX>,
    scheme: Scheme,
    /// Byte offset where the path (after the authority) starts.
    path_start: usize,
}

fn is_url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'!'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'@'
                | b'/'
                | b'?'
                | b'%'
        )
}

fn check_percent_escapes(s: &str) -> Result<(), ErrorKind> {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'%' {
            let ok = matches!((b.get(i + 1), b.get(i + 2)), (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit());
            if !ok {
                return Err(ErrorKind::InvalidPercentEncoding);
            }
        }
    }
    Ok(())
}

impl Url {
    /// Validates `s` as an absolute URL with one of `schemes`.
    ///
    /// # Errors
    /// The literal rule it breaks (see [`check_literal`]), [`ErrorKind::InvalidUrl`],
    /// [`ErrorKind::UnsupportedScheme`], [`ErrorKind::InvalidHost`], [`ErrorKind::InvalidPort`],
    /// [`ErrorKind::InvalidPercentEncoding`], [`ErrorKind::BadCharacter`], [`ErrorKind::TooLong`].
    pub fn parse(s: &str, schemes: &[Scheme]) -> Result<Self, ErrorKind> {
        check_literal(s, Position::OptionArea)?;
        let (scheme_text, rest) = s.split_once("://").ok_or(ErrorKind::InvalidUrl)?;
        let scheme = Scheme::from_str(scheme_text).ok_or(ErrorKind::UnsupportedScheme)?;
        if !schemes.contains(&scheme) {
            return Err(ErrorKind::UnsupportedScheme);
        }
        let authority_len = rest.find(['/', '?']).unwrap_or(rest.len());
        let authority = rest.get(..authority_len).ok_or(ErrorKind::InvalidUrl)?;
        let path = rest.get(authority_len..).unwrap_or("");
        let authority_ok = authority
            .bytes()
            .all(|b| is_url_byte(b) || b == b'[' || b == b']');
        if !authority_ok || !path.bytes().all(is_url_byte) {
            return Err(ErrorKind::BadCharacter);
        }
        check_percent_escapes(s)?;
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
        let (host, port) = match host_port.rfind(':') {
            Some(i) if !host_port.get(i..).unwrap_or("").contains(']') => (
                host_port.get(..i).unwrap_or(""),
                Some(host_port.get(i + 1..).unwrap_or("")),
            ),
            _ => (host_port, None),
        };
        Host::parse_in_url(host)?;
        if let Some(port) = port {
            match port.parse::<u16>() {
                Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => {}
                _ => return Err(ErrorKind::InvalidPort),
            }
        }
        let path_start = scheme_text.len() + 3 + authority_len;
        Ok(Url {
            text: bounded(s)?,
            scheme,
            path_start,
        })
    }

    /// The URL as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Its scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The path and query, after the authority (may be empty).
    pub fn path_and_query(&self) -> &str {
        self.text.get(self.path_start..).unwrap_or("")
    }
}

/// The base URL of the HTTP server's root, without a trailing `/`:
/// `http://192.0.2.10:8080` or `https://boot.example.com/ironic`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpBase(Url);

impl HttpBase {
    /// Parses `http_server`: a host, `host:port`, `[v6]:port`, or a full `http://` /
    /// `https://` URL with an optional path prefix (no query). A trailing `/` is dropped.
    pub fn parse(s: &str) -> Result<Self, ErrorKind> {
        let mut full: heapless::String<URL_MAX> = heapless::String::new();
        if !s.contains("://") {
            full.push_str("http://")
                .map_err(|_| ErrorKind::TooLong { max: 512 })?;
        }
        full.push_str(s.trim_end_matches('/'))
            .map_err(|_| ErrorKind::TooLong {
                max: u16::try_from(URL_MAX).unwrap_or(u16::MAX),
            })?;
        let url = Url::parse(&full, HTTP_SCHEMES)?;
        if url.path_and_query().contains('?') {
            return Err(ErrorKind::InvalidUrl);
        }
        Ok(HttpBase(url))
    }

    /// The base URL, no trailing `/`.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// `true` for an `https://` base.
    pub fn is_https(&self) -> bool {
        self.0.scheme() == Scheme::Https
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_base_forms() {
        assert_eq!(
            HttpBase::parse("192.0.2.10").unwrap().as_str(),
            "http://192.0.2.10"
        );
        assert_eq!(
            HttpBase::parse("192.0.2.10:8080/").unwrap().as_str(),
            "http://192.0.2.10:8080"
        );
        assert_eq!(
            HttpBase::parse("[2001:db8::1]:8080").unwrap().as_str(),
            "http://[2001:db8::1]:8080"
        );
        assert_eq!(
            HttpBase::parse("https://boot.example.com/ironic/")
                .unwrap()
                .as_str(),
            "https://boot.example.com/ironic"
        );
        assert!(
            HttpBase::parse("https://boot.example.com/ironic")
                .unwrap()
                .is_https()
        );
    }

    #[test]
    fn refuses_bad_urls() {
        let cases: &[(&str, ErrorKind)] = &[
            ("ftp//x", ErrorKind::InvalidUrl),
            ("gopher://x/", ErrorKind::UnsupportedScheme),
            ("http://x/${a}", ErrorKind::Expansion),
            ("http://x/a b", ErrorKind::Whitespace),
            ("http://x/%zz", ErrorKind::InvalidPercentEncoding),
            ("http://x:0/", ErrorKind::InvalidPort),
            ("http://x:99999/", ErrorKind::InvalidPort),
            ("http://-x/", ErrorKind::InvalidHost),
            ("http://999.1.1.1/", ErrorKind::InvalidHost),
            ("http://[::g]/", ErrorKind::InvalidHost),
            ("http://x/a#frag", ErrorKind::BadCharacter),
            ("http://x/a\"b", ErrorKind::BadCharacter),
        ];
        for (s, kind) in cases {
            assert_eq!(Url::parse(s, FETCH_SCHEMES).unwrap_err(), *kind, "{s}");
        }
        assert_eq!(
            HttpBase::parse("tftp://x").unwrap_err(),
            ErrorKind::UnsupportedScheme
        );
        assert_eq!(
            HttpBase::parse("http://x/?a=b").unwrap_err(),
            ErrorKind::InvalidUrl
        );
    }

    #[test]
    fn addresses() {
        assert_eq!(
            Host::parse_address("2001:db8::1"),
            Ok(Host::V6("2001:db8::1".parse().unwrap()))
        );
        assert_eq!(
            Host::parse_address("192.0.2.1"),
            Ok(Host::V4(Ipv4Addr::new(192, 0, 2, 1)))
        );
    }
}
