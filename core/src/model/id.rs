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

/// Bit of [`CLASS`]: a byte an id may hold (`[A-Za-z0-9._-]`).
const ID_BYTE: u8 = 1;
/// Bit of [`CLASS`]: a hex digit.
const HEX_DIGIT: u8 = 2;

/// What each byte is, for [`check`]'s one pass over an id.
const CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut rest: &mut [u8] = &mut class;
    let mut b = 0u8;
    while let [c, tail @ ..] = rest {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
            *c |= ID_BYTE;
        }
        if b.is_ascii_hexdigit() {
            *c |= HEX_DIGIT;
        }
        b = b.wrapping_add(1);
        rest = tail;
    }
    class
};

fn check(s: &str) -> Result<(), ErrorKind> {
    let b = s.as_bytes();
    let first = *b.first().ok_or(ErrorKind::Empty)?;
    if b.len() > NODE_ID_MAX {
        return Err(ErrorKind::TooLong {
            max: u16::try_from(NODE_ID_MAX).unwrap_or(u16::MAX),
        });
    }
    // One pass: the classes every byte has, and the first byte that an id may not hold.
    let mut all = ID_BYTE | HEX_DIGIT;
    let mut bad = None;
    for (i, &c) in b.iter().enumerate() {
        let class = CLASS.get(usize::from(c)).copied().unwrap_or(0);
        if !matches!(i, 8 | 13 | 18 | 23) {
            all &= class;
        }
        if class & ID_BYTE == 0 && bad.is_none() {
            bad = Some((i, c));
        }
    }
    if looks_like_uuid(b) && all & HEX_DIGIT == 0 {
        return Err(ErrorKind::InvalidUuid);
    }
    match first {
        b'-' => return Err(ErrorKind::LeadingDash),
        b'.' => return Err(ErrorKind::EscapesRoot),
        _ => {}
    }
    if let Some((i, c)) = bad {
        crate::model::text::check_literal(s, crate::model::text::Position::OptionArea)?;
        return Err(if c == b'/' {
            ErrorKind::EscapesRoot
        } else {
            crate::model::text::character_not_allowed(s, i)
        });
    }
    Ok(())
}
