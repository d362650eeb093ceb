//! Node ids: a UUID (as OpenStack Ironic names nodes) or a plain name.

use crate::error::ErrorKind;
use crate::limits::NODE_ID_MAX;
use crate::model::text::{JsonStr, unescaped};

/// A node id: `[A-Za-z0-9._-]`, 1 to [`NODE_ID_MAX`] bytes, not starting with `.` or `-`.
/// A value shaped like a UUID (36 bytes, hyphens at 8, 13, 18, 23) must be a valid UUID.
/// The id names the node's directory in the tree, so it is also a safe path segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId<'a>(&'a str);

fn looks_like_uuid(b: &[u8]) -> bool {
    b.len() == 36 && [8, 13, 18, 23].iter().all(|&i| b.get(i) == Some(&b'-'))
}

impl<'a> NodeId<'a> {
    /// Validates `s` as a node id.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`], [`ErrorKind::TooLong`], [`ErrorKind::InvalidUuid`] for a
    /// UUID-shaped value with non-hex digits, [`ErrorKind::LeadingDash`],
    /// [`ErrorKind::EscapesRoot`] for a leading `.`, or the literal rule the value breaks.
    pub fn parse(s: &'a str) -> Result<Self, ErrorKind> {
        check(s)?;
        Ok(NodeId(s))
    }

    /// Reads an id as the document writes it (a JSON escape is refused: see
    /// [`crate::model::text`]).
    pub(crate) fn read(text: JsonStr<'a>) -> Result<Self, ErrorKind> {
        unescaped::<NODE_ID_MAX>(text, check).map(NodeId)
    }

    /// An id of a document already read (see [`crate::site::CheckedSite`]).
    pub(crate) fn trusted(s: &'a str) -> Self {
        NodeId(s)
    }

    /// The id.
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

fn check(s: &str) -> Result<(), ErrorKind> {
    let b = s.as_bytes();
    let first = *b.first().ok_or(ErrorKind::Empty)?;
    if b.len() > NODE_ID_MAX {
        return Err(ErrorKind::TooLong {
            max: u16::try_from(NODE_ID_MAX).unwrap_or(u16::MAX),
        });
    }
    if looks_like_uuid(b) {
        let hex_ok = b
            .iter()
            .enumerate()
            .all(|(i, c)| matches!(i, 8 | 13 | 18 | 23) || c.is_ascii_hexdigit());
        if !hex_ok {
            return Err(ErrorKind::InvalidUuid);
        }
    }
    match first {
        b'-' => return Err(ErrorKind::LeadingDash),
        b'.' => return Err(ErrorKind::EscapesRoot),
        _ => {}
    }
    for &c in b {
        if !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-')) {
            crate::model::text::check_literal(s, crate::model::text::Position::OptionArea)?;
            return Err(if c == b'/' {
                ErrorKind::EscapesRoot
            } else {
                ErrorKind::BadCharacter
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(NodeId::parse("1be26c0b-03f2-4d2e-ae87-c02d7f33c123").is_ok());
        assert!(NodeId::parse("rack1-node07").is_ok());
        assert_eq!(
            NodeId::parse("1be26c0b-03f2-4d2e-ae87-c02d7f33c1zz"),
            Err(ErrorKind::InvalidUuid)
        );
        assert_eq!(NodeId::parse(".."), Err(ErrorKind::EscapesRoot));
        assert_eq!(NodeId::parse("a/b"), Err(ErrorKind::EscapesRoot));
        assert_eq!(NodeId::parse("a b"), Err(ErrorKind::Whitespace));
        assert_eq!(NodeId::parse("-rf"), Err(ErrorKind::LeadingDash));
        assert_eq!(NodeId::parse("${x}"), Err(ErrorKind::Expansion));
    }
}
