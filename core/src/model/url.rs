//! Hosts, URLs and the HTTP base URL that every per-node URL is built on.
//!
//! A URL is accepted only if every byte reaches iPXE unchanged as one argument: RFC 3986
//! characters, `%` followed by two hex digits, and none of `$`, `{`, `}`, `\`, whitespace or
//! control bytes (percent-encode them: `%24`, `%7B`, `%7D`, `%5C`, `%20`). A fragment (`#`)
//! is refused: iPXE would drop it.

use crate::ascii;
use crate::error::ErrorKind;
use crate::limits::{HOST_MAX, URL_MAX};
use crate::model::ip::{ShowV4, ShowV6, parse_ipv4, parse_ipv6};
use crate::model::text::{
    JsonStr, Position, character_not_allowed, check_literal, check_literal_bytes, unescaped,
    with_decoded,
};
use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host<'a> {
    /// An IPv4 address.
    V4(Ipv4Addr),
    /// An IPv6 address (written in brackets inside URLs).
    V6(Ipv6Addr),
    /// A DNS name: labels of `[A-Za-z0-9-]`, 1 to 63 bytes, not starting or ending with `-`.
    Name(&'a str),
}

impl<'a> Host<'a> {
    /// Parses a host as it stands in a URL: IPv6 only in brackets.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidHost`], or [`ErrorKind::TooLong`].
    pub fn parse_in_url(s: &'a str) -> Result<Self, ErrorKind> {
        if let Some(inner) = s.strip_prefix('[') {
            let inner = inner.strip_suffix(']').ok_or(ErrorKind::InvalidHost)?;
            return parse_ipv6(inner)
                .map(Host::V6)
                .ok_or(ErrorKind::InvalidHost);
        }
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return parse_ipv4(s).map(Host::V4).ok_or(ErrorKind::InvalidHost);
        }
        if s.len() > 253 {
            return Err(ErrorKind::TooLong { max: 253 });
        }
        let labels_ok = ascii::split(s, b'.').all(|label| {
            let b = label.as_bytes();
            (1..=63).contains(&b.len())
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && b.first() != Some(&b'-')
                && b.last() != Some(&b'-')
        });
        if !labels_ok {
            return Err(ErrorKind::InvalidHost);
        }
        Ok(Host::Name(s))
    }

    /// Parses a host as a bare server address: IPv6 with or without brackets.
    ///
    /// # Errors
    /// As [`Host::parse_in_url`].
    pub fn parse_address(s: &'a str) -> Result<Self, ErrorKind> {
        if ascii::contains(s, b':') && !s.starts_with('[') {
            return parse_ipv6(s).map(Host::V6).ok_or(ErrorKind::InvalidHost);
        }
        Host::parse_in_url(s)
    }

    /// Reads a server address as the document writes it (a JSON escape is refused).
    pub(crate) fn read_address(text: JsonStr<'a>) -> Result<Self, ErrorKind> {
        match text.plain() {
            Some(s) => Host::parse_address(s),
            None => Err(refused_escape::<URL_MAX>(text, |s| {
                Host::parse_address(s).map(|_| ())
            })),
        }
    }

    /// Reads a DNS name (a DHCP reservation's `hostname`): an address is refused.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidHostname`] for an address or anything else that is not a name,
    /// [`ErrorKind::TooLong`], or the refused JSON escape.
    pub(crate) fn read_name(text: JsonStr<'a>) -> Result<&'a str, ErrorKind> {
        let name = |s: &str| {
            if s.len() > HOST_MAX {
                return Err(ErrorKind::TooLong {
                    max: u16::try_from(HOST_MAX).unwrap_or(u16::MAX),
                });
            }
            match Host::parse_in_url(s) {
                Ok(Host::Name(_)) => Ok(()),
                Ok(Host::V4(_) | Host::V6(_)) | Err(ErrorKind::InvalidHost) => {
                    Err(ErrorKind::InvalidHostname)
                }
                Err(other) => Err(other),
            }
        };
        unescaped::<HOST_MAX>(text, name)
    }
}

/// Writes `host` as it stands in a URL (IPv6 in brackets) through `out`.
impl fmt::Display for Host<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::V4(a) => write!(f, "{}", ShowV4(*a)),
            Host::V6(a) => write!(f, "[{}]", ShowV6(*a)),
            Host::Name(n) => f.write_str(n),
        }
    }
}

/// A validated absolute URL, as the document writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Url<'a> {
    text: &'a str,
    scheme: Scheme,
    /// Byte offset where the path (after the authority) starts.
    path_start: u16,
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

impl<'a> Url<'a> {
    /// Validates `s` as an absolute URL with one of `schemes`.
    ///
    /// # Errors
    /// [`ErrorKind::TooLong`] (more than [`URL_MAX`] bytes), the literal rule it breaks (see
    /// [`check_literal`]), [`ErrorKind::InvalidUrl`], [`ErrorKind::UnsupportedScheme`],
    /// [`ErrorKind::InvalidHost`], [`ErrorKind::InvalidPort`],
    /// [`ErrorKind::InvalidPercentEncoding`], [`ErrorKind::CharacterNotAllowed`].
    pub fn parse(s: &'a str, schemes: &[Scheme]) -> Result<Self, ErrorKind> {
        if s.len() > URL_MAX {
            return Err(ErrorKind::TooLong {
                max: u16::try_from(URL_MAX).unwrap_or(u16::MAX),
            });
        }
        check_literal(s, Position::OptionArea)?;
        let (scheme_text, _) = ascii::split_once_seq(s, b"://").ok_or(ErrorKind::InvalidUrl)?;
        let scheme = Scheme::from_str(scheme_text).ok_or(ErrorKind::UnsupportedScheme)?;
        if !schemes.contains(&scheme) {
            return Err(ErrorKind::UnsupportedScheme);
        }
        let rest_at = scheme_text.len() + 3;
        let authority_len = check_after_scheme(s, rest_at)?;
        let path_start = rest_at + authority_len;
        Ok(Url {
            text: s,
            scheme,
            path_start: u16::try_from(path_start).map_err(|_| ErrorKind::InvalidUrl)?,
        })
    }

    /// Reads a URL field as the document writes it (a JSON escape is refused: a URL
    /// percent-encodes what it cannot hold).
    pub(crate) fn read(text: JsonStr<'a>, schemes: &[Scheme]) -> Result<Self, ErrorKind> {
        match text.plain() {
            Some(s) => Url::parse(s, schemes),
            None => Err(refused_escape::<URL_MAX>(text, |s| {
                Url::parse(s, schemes).map(|_| ())
            })),
        }
    }
}

/// The error for a borrowed value written with escapes: the check's own error on the
/// decoded value, else [`ErrorKind::JsonEscape`].
fn refused_escape<const N: usize>(
    text: JsonStr<'_>,
    check: impl FnOnce(&str) -> Result<(), ErrorKind>,
) -> ErrorKind {
    match with_decoded::<N, _>(text, check) {
        Err(e) => e,
        Ok(()) => ErrorKind::JsonEscape,
    }
}

/// Checks what follows a URL's `scheme://`, which starts at byte `rest_at` of `url`: the
/// authority (user, host, port) and the path and query; gives the authority's length.
fn check_after_scheme(url: &str, rest_at: usize) -> Result<usize, ErrorKind> {
    let rest = url.get(rest_at..).ok_or(ErrorKind::InvalidUrl)?;
    let authority_len = ascii::find_any(rest, b"/?").unwrap_or(rest.len());
    let authority = rest.get(..authority_len).ok_or(ErrorKind::InvalidUrl)?;
    let path = rest.get(authority_len..).unwrap_or("");
    let authority_bad = authority
        .bytes()
        .position(|b| !(is_url_byte(b) || b == b'[' || b == b']'));
    let bad = authority_bad.or_else(|| {
        path.bytes()
            .position(|b| !is_url_byte(b))
            .map(|i| i.saturating_add(authority_len))
    });
    if let Some(at) = bad {
        return Err(character_not_allowed(url, at.saturating_add(rest_at)));
    }
    check_percent_escapes(rest)?;
    let host_port = ascii::rsplit_once(authority, b'@').map_or(authority, |(_, hp)| hp);
    let (host, port) = match ascii::rfind(host_port, b':') {
        Some(i) if !ascii::contains(host_port.get(i..).unwrap_or(""), b']') => (
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
    Ok(authority_len)
}

impl<'a> Url<'a> {
    /// A URL of a document already read (see [`crate::site::CheckedSite`]): only its scheme
    /// and where its path starts are worked out again.
    pub(crate) fn trusted(s: &'a str) -> Self {
        let (scheme, rest) = ascii::split_once_seq(s, b"://").unwrap_or(("", s));
        let authority_len = ascii::find_any(rest, b"/?").unwrap_or(rest.len());
        Url {
            text: s,
            scheme: Scheme::from_str(scheme).unwrap_or(Scheme::Http),
            path_start: u16::try_from(scheme.len() + 3 + authority_len).unwrap_or(0),
        }
    }

    /// The URL as written.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// Its scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The path and query, after the authority (may be empty).
    pub fn path_and_query(&self) -> &'a str {
        self.text.get(usize::from(self.path_start)..).unwrap_or("")
    }
}

/// The base URL of the HTTP server's root, without a trailing `/`:
/// `http://192.0.2.10:8080` or `https://boot.example.com/ironic`. It borrows
/// `http_server` as written; a value without a scheme means `http://` (see [`HttpBase::parse`]),
/// which [`HttpBase::scheme_prefix`] supplies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpBase<'a> {
    /// The value as written, its trailing `/` dropped.
    text: &'a str,
    /// `true` when the value has no scheme (`http://` is meant).
    implicit_http: bool,
    scheme: Scheme,
}

impl<'a> HttpBase<'a> {
    /// Parses `http_server`: a host, `host:port`, `[v6]:port`, or a full `http://` /
    /// `https://` URL with an optional path prefix (no query). A trailing `/` is dropped.
    ///
    /// # Errors
    /// As [`Url::parse`], or [`ErrorKind::InvalidUrl`] for a query.
    pub fn parse(s: &'a str) -> Result<Self, ErrorKind> {
        let text = ascii::trim_end(s, b'/');
        let implicit_http = !ascii::contains_seq(s, b"://");
        let (scheme, path_and_query) = if implicit_http {
            // As `http://<text>`, without writing it out: the prefix needs no check.
            if text.len() + "http://".len() > URL_MAX {
                return Err(ErrorKind::TooLong {
                    max: u16::try_from(URL_MAX).unwrap_or(u16::MAX),
                });
            }
            check_literal_bytes(text)?;
            let authority_len = check_after_scheme(text, 0)?;
            (Scheme::Http, text.get(authority_len..).unwrap_or_default())
        } else {
            let url = Url::parse(text, HTTP_SCHEMES)?;
            (url.scheme(), url.path_and_query())
        };
        if ascii::contains(path_and_query, b'?') {
            return Err(ErrorKind::InvalidUrl);
        }
        Ok(HttpBase {
            text,
            implicit_http,
            scheme,
        })
    }

    /// Reads `http_server` as the document writes it (a JSON escape is refused).
    pub(crate) fn read(text: JsonStr<'a>) -> Result<Self, ErrorKind> {
        match text.plain() {
            Some(s) => HttpBase::parse(s),
            None => Err(refused_escape::<URL_MAX>(text, |s| {
                HttpBase::parse(s).map(|_| ())
            })),
        }
    }

    /// What goes before [`HttpBase::rest`]: `http://` for a value written without a scheme,
    /// else nothing.
    pub fn scheme_prefix(&self) -> &'static str {
        if self.implicit_http { "http://" } else { "" }
    }

    /// The value as written, without its trailing `/`.
    pub fn rest(&self) -> &'a str {
        self.text
    }

    /// The length of the base URL in bytes.
    pub fn len(&self) -> usize {
        self.scheme_prefix().len() + self.text.len()
    }

    /// `false` always: a base URL has at least a scheme and a host.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// `true` for an `https://` base.
    pub fn is_https(&self) -> bool {
        self.scheme == Scheme::Https
    }
}

impl fmt::Display for HttpBase<'_> {
    /// The base URL, no trailing `/`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.scheme_prefix())?;
        f.write_str(self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(s: &str) -> heapless::String<64> {
        let mut out = heapless::String::new();
        fmt::Write::write_fmt(&mut out, format_args!("{}", HttpBase::parse(s).unwrap())).unwrap();
        out
    }

    #[test]
    fn http_base_forms() {
        assert_eq!(base("192.0.2.10"), "http://192.0.2.10");
        assert_eq!(base("192.0.2.10:8080/"), "http://192.0.2.10:8080");
        assert_eq!(base("[2001:db8::1]:8080"), "http://[2001:db8::1]:8080");
        assert_eq!(
            base("https://boot.example.com/ironic/"),
            "https://boot.example.com/ironic"
        );
        assert_eq!(HttpBase::parse("192.0.2.10:8080").unwrap().len(), 22);
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
            (
                "http://x/a b",
                ErrorKind::Whitespace(crate::error::At {
                    character: ' ',
                    position: 11,
                }),
            ),
            ("http://x/%zz", ErrorKind::InvalidPercentEncoding),
            ("http://x:0/", ErrorKind::InvalidPort),
            ("http://x:99999/", ErrorKind::InvalidPort),
            ("http://-x/", ErrorKind::InvalidHost),
            ("http://999.1.1.1/", ErrorKind::InvalidHost),
            ("http://[::g]/", ErrorKind::InvalidHost),
            (
                "http://x/a#frag",
                ErrorKind::CharacterNotAllowed(crate::error::At {
                    character: '#',
                    position: 11,
                }),
            ),
            (
                "http://x/a\"b",
                ErrorKind::CharacterNotAllowed(crate::error::At {
                    character: '"',
                    position: 11,
                }),
            ),
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
