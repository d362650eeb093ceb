//! The rules a literal must follow to reach iPXE unchanged, and the text types built on them.
//!
//! iPXE has no quoting and no escaping (see `ipxe/script.rs`): a value is safe as one argument
//! only if it has no whitespace, no control byte, no `\`, `$`, `{`, `}`, is not a whole-token
//! operator (`||`, `&&`, `;`) and does not begin with `#` or `:` (nor `-` where iPXE parses
//! options). These checks refuse; nothing is ever escaped or truncated.
//!
//! Every type here borrows its text from the site document and is validated once, when it is
//! read. Most fields take only characters JSON never needs to escape, so they borrow the text
//! as written and a JSON escape in them is refused ([`ErrorKind::JsonEscape`]: the character
//! it stands for can always be written as it is). The fields that do take a character JSON
//! must escape (`"` in kernel arguments and CHAP values, `"` and `\` in local paths) hold a
//! [`JsonStr`]: the text as written, decoded by whoever writes it.

use crate::ascii;
use crate::error::{At, ErrorKind, Result};
use crate::limits::{KERNEL_ARGS_MAX, NAME_MAX, PATH_MAX};
use core::fmt;

fn too_long(max: usize) -> ErrorKind {
    ErrorKind::TooLong {
        max: u16::try_from(max).unwrap_or(u16::MAX),
    }
}

/// A JSON string of the document as written between its quotes: its escapes (`\"`,
/// `\u0041`, ...) not yet undone. Reading a document checks every escape; a `JsonStr` of a
/// read document always decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonStr<'a> {
    raw: &'a str,
    escaped: bool,
}

/// One piece of a decoded [`JsonStr`]: a run of text as written, or one escaped character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text without escapes.
    Text(&'a str),
    /// The character an escape stands for.
    Char(char),
}

impl<'a> JsonStr<'a> {
    /// The string written `raw` between its quotes (escapes not checked here).
    pub(crate) fn new(raw: &'a str) -> Self {
        JsonStr {
            raw,
            escaped: ascii::contains(raw, b'\\'),
        }
    }

    /// The text as written (with its escapes).
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// The text, when it has no escapes (then the text as written is the value).
    pub fn plain(&self) -> Option<&'a str> {
        (!self.escaped).then_some(self.raw)
    }

    /// The value's pieces, in order. An invalid escape (never in a read document) ends it.
    pub fn pieces(&self) -> impl Iterator<Item = Piece<'a>> + 'a {
        Pieces { rest: self.raw }.map_while(Result::ok)
    }

    /// The value's characters.
    pub fn chars(&self) -> impl Iterator<Item = char> + 'a {
        self.pieces().flat_map(|piece| {
            let (text, ch) = match piece {
                Piece::Text(s) => (s, None),
                Piece::Char(c) => ("", Some(c)),
            };
            text.chars().chain(ch)
        })
    }

    /// Checks every escape.
    ///
    /// # Errors
    /// [`ErrorKind::Json`] (`InvalidEscape`) for a bad escape.
    pub(crate) fn check(&self) -> Result<(), ErrorKind> {
        (Pieces { rest: self.raw }).try_for_each(|piece| piece.map(|_| ()))
    }

    /// Checks every escape and decodes the value into `out`.
    ///
    /// # Errors
    /// [`ErrorKind::Json`] (`InvalidEscape`) for a bad escape, [`ErrorKind::TooLong`] (max
    /// `N`) when the value does not fit; nothing is truncated.
    pub(crate) fn decode_into<const N: usize>(
        &self,
        out: &mut heapless::String<N>,
    ) -> Result<(), ErrorKind> {
        out.clear();
        for piece in (Pieces { rest: self.raw }) {
            match piece? {
                Piece::Text(s) => out.push_str(s),
                Piece::Char(c) => out.push(c),
            }
            .map_err(|_| too_long(N))?;
        }
        Ok(())
    }
}

/// The pieces of a JSON string's body (RFC 8259 section 7): runs of text and the characters
/// escapes stand for; an invalid escape (a `\\u` surrogate among them) is an error.
struct Pieces<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Result<Piece<'a>, ErrorKind>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.rest.as_bytes();
        let first = *bytes.first()?;
        if first != b'\\' {
            let end = bytes
                .iter()
                .position(|b| *b == b'\\')
                .unwrap_or(bytes.len());
            // A `\` is ASCII: the text before it ends at a character boundary.
            let text = self.rest.get(..end).unwrap_or_default();
            self.rest = self.rest.get(end..).unwrap_or_default();
            return Some(Ok(Piece::Text(text)));
        }
        let invalid = ErrorKind::Json(crate::error::JsonError::InvalidEscape);
        let (c, used) = match bytes.get(1) {
            Some(b'"') => ('"', 2),
            Some(b'\\') => ('\\', 2),
            Some(b'/') => ('/', 2),
            Some(b'b') => ('\u{8}', 2),
            Some(b'f') => ('\u{c}', 2),
            Some(b'n') => ('\n', 2),
            Some(b'r') => ('\r', 2),
            Some(b't') => ('\t', 2),
            Some(b'u') => {
                let code = bytes.get(2..6).and_then(|digits| {
                    digits.iter().try_fold(0u32, |n, d| {
                        crate::hex::value(*d).map(|v| (n << 4) | u32::from(v))
                    })
                });
                match code.and_then(char::from_u32) {
                    Some(c) => (c, 6),
                    None => {
                        self.rest = "";
                        return Some(Err(invalid));
                    }
                }
            }
            _ => {
                self.rest = "";
                return Some(Err(invalid));
            }
        };
        self.rest = self.rest.get(used..).unwrap_or_default();
        Some(Ok(Piece::Char(c)))
    }
}

impl fmt::Display for JsonStr<'_> {
    /// The decoded value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for piece in self.pieces() {
            match piece {
                Piece::Text(s) => f.write_str(s)?,
                Piece::Char(c) => fmt::Write::write_char(f, c)?,
            }
        }
        Ok(())
    }
}

/// Validates a field that borrows its text as written: `check` runs on the value; a value
/// with a JSON escape is decoded (into `N` bytes of stack) only to give `check`'s own error,
/// and refused with [`ErrorKind::JsonEscape`] if it passes (see the module docs).
pub(crate) fn unescaped<'a, const N: usize>(
    text: JsonStr<'a>,
    check: impl Fn(&str) -> Result<(), ErrorKind>,
) -> Result<&'a str, ErrorKind> {
    match text.plain() {
        Some(s) => {
            check(s)?;
            Ok(s)
        }
        None => {
            with_decoded::<N, _>(text, check)?;
            Err(ErrorKind::JsonEscape)
        }
    }
}

/// Decodes `text` into `N` bytes of stack and runs `f` on it: the path of a value written
/// with escapes, out of line so that its buffer is on the stack only while it is used.
///
/// # Errors
/// A bad escape, [`ErrorKind::TooLong`] (max `N`), or what `f` returns.
#[inline(never)]
pub(crate) fn with_decoded<const N: usize, T>(
    text: JsonStr<'_>,
    f: impl FnOnce(&str) -> Result<T, ErrorKind>,
) -> Result<T, ErrorKind> {
    let mut decoded = heapless::String::<N>::new();
    text.decode_into(&mut decoded)?;
    f(&decoded)
}

/// The error for the character of `s` that starts at byte `at`, which the value does not
/// allow: [`ErrorKind::CharacterNotAllowed`] naming it and its position (from 1), or
/// [`ErrorKind::BadCharacter`] if `at` is not where a character starts.
pub(crate) fn character_not_allowed(s: &str, at: usize) -> ErrorKind {
    refused(s, at, ErrorKind::CharacterNotAllowed)
}

/// How many characters of a value a message quotes ([`Quoted`]); the rest is elided.
pub const QUOTED_MAX_CHARS: usize = 64;

/// `s` in double quotes for a message, safe to print on one line of a terminal or a log
/// whatever `s` holds:
/// - at most `QUOTED_MAX_CHARS` characters of it, then `…` after the closing quote when
///   there were more (a character is never split);
/// - `"` and `\` escaped with a backslash, `\t`, `\r`, `\n`, and every other control
///   character (C0, DEL, C1) and invisible or reordering format character (zero-width
///   characters, bidirectional controls, line and paragraph separators, byte-order mark)
///   written as `\u{1b}`, so a value cannot forge a second line or hide text.
///
/// Other characters are written as they are. Written through the core's own code: `Debug`
/// of `str` carries panic paths firmware must not link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quoted<'a>(pub &'a str);

/// `true` for a character a message writes as an escape rather than as itself.
fn escaped_in_messages(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// Writes `\u{<hex>}` for `c`, without leading zeros.
fn write_unicode_escape(f: &mut fmt::Formatter<'_>, c: char) -> fmt::Result {
    f.write_str("\\u{")?;
    let code = u32::from(c);
    let mut started = false;
    for shift in (0..8u32).rev() {
        let nibble = (code >> (shift * 4)) & 0xf;
        if nibble == 0 && !started && shift > 0 {
            continue;
        }
        started = true;
        let digit = char::from_digit(nibble, 16).unwrap_or('0');
        fmt::Write::write_char(f, digit)?;
    }
    f.write_str("}")
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(QUOTED_MAX_CHARS) {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\t' => f.write_str("\\t")?,
                '\r' => f.write_str("\\r")?,
                '\n' => f.write_str("\\n")?,
                c if escaped_in_messages(c) => write_unicode_escape(f, c)?,
                c => fmt::Write::write_char(f, c)?,
            }
        }
        f.write_str("\"")?;
        if chars.next().is_some() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

/// Where a literal goes, which decides whether a leading `-` is allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// Where iPXE may parse options (before a command's first plain argument).
    OptionArea,
    /// After a command's first plain argument, where getopt has stopped (kernel arguments).
    AfterOptions,
}

/// Checks that `s` reaches iPXE as exactly one argument with exactly these bytes.
///
/// # Errors
/// The first rule `s` breaks, in this order: [`ErrorKind::Empty`], per byte
/// ([`ErrorKind::Whitespace`], [`ErrorKind::ControlByte`], [`ErrorKind::NotAscii`],
/// [`ErrorKind::Backslash`], [`ErrorKind::Expansion`]), then [`ErrorKind::Operator`],
/// [`ErrorKind::LoneOperatorCharacter`],
/// [`ErrorKind::LeadingHash`], [`ErrorKind::LeadingColon`], [`ErrorKind::LeadingDash`].
pub fn check_literal(s: &str, position: Position) -> Result<(), ErrorKind> {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return Err(ErrorKind::Empty);
    };
    check_literal_bytes(s)?;
    match (first, s) {
        (_, "||" | "&&" | ";") => Err(ErrorKind::Operator),
        (_, "|" | "&") => Err(ErrorKind::LoneOperatorCharacter),
        (b'#', _) => Err(ErrorKind::LeadingHash),
        (b':', _) => Err(ErrorKind::LeadingColon),
        (b'-', _) if position == Position::OptionArea => Err(ErrorKind::LeadingDash),
        _ => Ok(()),
    }
}

/// The byte rules of [`check_literal`] (what it checks of every byte, not of the whole).
///
/// # Errors
/// [`ErrorKind::Whitespace`], [`ErrorKind::ControlByte`], [`ErrorKind::NotAscii`],
/// [`ErrorKind::Backslash`] or [`ErrorKind::Expansion`], for the first byte that breaks one.
pub(crate) fn check_literal_bytes(s: &str) -> Result<(), ErrorKind> {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                return Err(refused(s, i, ErrorKind::Whitespace));
            }
            0x00..=0x1f | 0x7f => return Err(refused(s, i, ErrorKind::ControlByte)),
            0x80..=0xff => return Err(refused(s, i, ErrorKind::NotAscii)),
            b'\\' => return Err(ErrorKind::Backslash),
            b'$' | b'{' | b'}' => return Err(ErrorKind::Expansion),
            _ => {}
        }
    }
    Ok(())
}

/// `kind` for the character of `s` at byte `i` (the first byte a scan from the start refuses,
/// so a character starts there); [`ErrorKind::BadCharacter`] if none does.
pub(crate) fn refused(s: &str, i: usize, kind: fn(At) -> ErrorKind) -> ErrorKind {
    At::in_value(s, i).map_or(ErrorKind::BadCharacter, kind)
}

/// A file or directory name inside a boot tree: `[A-Za-z0-9._~+-]`, not starting with `.` or
/// `-`, at most [`NAME_MAX`] bytes. Safe as a path segment and as an iPXE literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Name<'a>(&'a str);

impl<'a> Name<'a> {
    /// Validates `s` as a name.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`], [`ErrorKind::LeadingDash`], [`ErrorKind::EscapesRoot`] (a leading
    /// `.` or a `/`), the literal rule it breaks, [`ErrorKind::CharacterNotAllowed`],
    /// [`ErrorKind::TooLong`].
    pub fn parse(s: &'a str) -> Result<Self, ErrorKind> {
        check_name(s)?;
        Ok(Name(s))
    }

    /// A name of a document already read (see [`crate::site::CheckedSite`]).
    pub(crate) fn trusted(s: &'a str) -> Self {
        Name(s)
    }

    /// A name of ipxegen's own (a default), checked when the program is built.
    pub(crate) const fn fixed(s: &'static str) -> Name<'static> {
        assert!(is_name(s.as_bytes()), "not a valid name");
        Name(s)
    }

    /// The name.
    pub fn as_str(&self) -> &'a str {
        self.0
    }
}

/// `true` when `b` is a valid [`Name`] (the rule, for `const` checks).
const fn is_name(b: &[u8]) -> bool {
    let [first, ..] = b else {
        return false;
    };
    if *first == b'.' || *first == b'-' || b.len() > NAME_MAX {
        return false;
    }
    let mut rest = b;
    while let [c, tail @ ..] = rest {
        if !(c.is_ascii_alphanumeric() || matches!(*c, b'.' | b'_' | b'~' | b'+' | b'-')) {
            return false;
        }
        rest = tail;
    }
    true
}

fn check_name(s: &str) -> Result<(), ErrorKind> {
    let first = *s.as_bytes().first().ok_or(ErrorKind::Empty)?;
    if first == b'.' || first == b'-' {
        return Err(if first == b'-' {
            ErrorKind::LeadingDash
        } else {
            ErrorKind::EscapesRoot
        });
    }
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'+' | b'-')) {
            check_literal(s, Position::OptionArea)?;
            return Err(if b == b'/' {
                ErrorKind::EscapesRoot
            } else {
                character_not_allowed(s, i)
            });
        }
    }
    if s.len() > NAME_MAX {
        return Err(too_long(NAME_MAX));
    }
    Ok(())
}

/// Reads a name field (see [`unescaped`]).
pub(crate) fn read_name(text: JsonStr<'_>) -> Result<Name<'_>, ErrorKind> {
    unescaped::<NAME_MAX>(text, check_name).map(Name)
}

/// A local filesystem path (a source file to place, a root directory). Never written into a
/// script; refused only if empty, too long (decoded, [`PATH_MAX`] bytes), or holding a
/// control byte. It may hold any other character, so it keeps its JSON escapes: decode it
/// with [`JsonStr::chars`] or its `Display`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalPath<'a>(JsonStr<'a>);

impl<'a> LocalPath<'a> {
    /// Validates a path field as the document writes it.
    ///
    /// # Errors
    /// [`ErrorKind::Empty`], [`ErrorKind::ControlByte`], [`ErrorKind::TooLong`], or a bad
    /// JSON escape.
    pub(crate) fn read(text: JsonStr<'a>) -> Result<Self, ErrorKind> {
        let check = |s: &str| {
            if s.len() > PATH_MAX {
                return Err(too_long(PATH_MAX));
            }
            if s.is_empty() {
                return Err(ErrorKind::Empty);
            }
            if let Some(i) = s.bytes().position(|b| b < 0x20 || b == 0x7f) {
                return Err(refused(s, i, ErrorKind::ControlByte));
            }
            Ok(())
        };
        match text.plain() {
            Some(s) => check(s)?,
            None => with_decoded::<PATH_MAX, _>(text, check)?,
        }
        Ok(LocalPath(text))
    }

    /// A path of a document already read (see [`crate::site::CheckedSite`]).
    pub(crate) fn trusted(text: JsonStr<'a>) -> Self {
        LocalPath(text)
    }

    /// Validates `s` (an unescaped path given outside a document).
    ///
    /// # Errors
    /// As `LocalPath::read` (a document's value), or [`ErrorKind::Backslash`] for a `\` (which a document would
    /// have to escape).
    pub fn parse(s: &'a str) -> Result<Self, ErrorKind> {
        if ascii::contains(s, b'\\') {
            return Err(ErrorKind::Backslash);
        }
        LocalPath::read(JsonStr::new(s))
    }

    /// The path as the document writes it.
    pub fn text(&self) -> JsonStr<'a> {
        self.0
    }
}

impl fmt::Display for LocalPath<'_> {
    /// The decoded path.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Checks one kernel argument: a safe literal after the image URL (a leading `-` is fine:
/// iPXE no longer parses options there), and not `initrd=` or `BOOTIF=`, which ipxegen
/// writes itself.
fn check_kernel_word(word: &str) -> Result<(), ErrorKind> {
    check_literal(word, Position::AfterOptions)?;
    let key = ascii::before(word, b'=');
    if key.eq_ignore_ascii_case("initrd") || key.eq_ignore_ascii_case("BOOTIF") {
        return Err(ErrorKind::ReservedArgument);
    }
    Ok(())
}

/// Kernel command-line arguments: words separated by spaces (runs of spaces count as one),
/// each a safe iPXE literal after the image URL; `initrd=` and `BOOTIF=` are refused. They
/// may hold `"` (written `\"` in JSON), so they keep their escapes; writers decode them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KernelArgs<'a> {
    text: Option<JsonStr<'a>>,
    /// Length of the words joined by single spaces.
    len: u16,
}

impl<'a> KernelArgs<'a> {
    /// No arguments.
    pub const EMPTY: KernelArgs<'static> = KernelArgs { text: None, len: 0 };

    /// Validates arguments as the document writes them.
    ///
    /// # Errors
    /// The first word's rule broken ([`check_literal`], [`ErrorKind::ReservedArgument`]), a
    /// bad JSON escape, or [`ErrorKind::TooLong`] (the decoded value, max
    /// [`KERNEL_ARGS_MAX`] bytes).
    pub(crate) fn read(text: JsonStr<'a>) -> Result<Self, ErrorKind> {
        let len = match text.plain() {
            Some(s) => {
                if s.len() > KERNEL_ARGS_MAX {
                    return Err(too_long(KERNEL_ARGS_MAX));
                }
                words_len(s)?
            }
            None => with_decoded::<KERNEL_ARGS_MAX, _>(text, words_len)?,
        };
        Ok(KernelArgs::with_len(text, len))
    }

    fn with_len(text: JsonStr<'a>, len: usize) -> Self {
        KernelArgs {
            text: (len > 0).then_some(text),
            len: u16::try_from(len).unwrap_or(u16::MAX),
        }
    }

    /// Arguments of a document already read (see [`crate::site::CheckedSite`]).
    pub(crate) fn trusted(text: JsonStr<'a>) -> Self {
        let len = match text.plain() {
            Some(s) => joined_len(words(s)),
            None => decoded_words_len(text),
        };
        KernelArgs::with_len(text, len)
    }

    /// Validates `s` (unescaped arguments given outside a document).
    ///
    /// # Errors
    /// As `KernelArgs::read` (a document's value).
    pub fn parse(s: &'a str) -> Result<Self, ErrorKind> {
        if ascii::contains(s, b'\\') {
            return Err(ErrorKind::Backslash);
        }
        KernelArgs::read(JsonStr::new(s))
    }

    /// `true` when there are no arguments.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Length in bytes of the words joined by single spaces.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// The arguments as written, if any.
    pub fn text(&self) -> Option<JsonStr<'a>> {
        self.text
    }

    /// Calls `each` with every word, decoded, in order (a word with escapes is decoded into
    /// a buffer on the stack first).
    pub fn for_each_word(&self, mut each: impl FnMut(&str)) {
        let Some(text) = self.text else {
            return;
        };
        match text.plain() {
            Some(s) => words(s).for_each(each),
            None => for_each_decoded_word(text, &mut each),
        }
    }
}

/// Calls `each` with every word of `text` decoded: out of line, so that the word's buffer is
/// on the stack only for arguments written with escapes.
#[inline(never)]
fn for_each_decoded_word(text: JsonStr<'_>, each: &mut dyn FnMut(&str)) {
    let mut word = heapless::String::<KERNEL_ARGS_MAX>::new();
    for c in text.chars() {
        if c == ' ' {
            if !word.is_empty() {
                each(&word);
                word.clear();
            }
        } else if word.push(c).is_err() {
            // Checked when read: a word is never longer than the whole value.
            return;
        }
    }
    if !word.is_empty() {
        each(&word);
    }
}

/// Length of the decoded words of `text` joined by single spaces.
fn decoded_words_len(text: JsonStr<'_>) -> usize {
    let (mut len, mut in_word, mut words) = (0usize, false, 0usize);
    for c in text.chars() {
        if c == ' ' {
            in_word = false;
        } else {
            if !in_word {
                words += 1;
                in_word = true;
            }
            len += c.len_utf8();
        }
    }
    len + words.saturating_sub(1)
}

/// The words of `s`: the pieces between spaces, runs of spaces counting as one.
fn words(s: &str) -> impl Iterator<Item = &str> {
    ascii::split(s, b' ').filter(|w| !w.is_empty())
}

/// Length of `words` joined by single spaces.
fn joined_len<'w>(words: impl Iterator<Item = &'w str>) -> usize {
    let (len, count) = words.fold((0usize, 0usize), |(len, n), w| (len + w.len(), n + 1));
    len + count.saturating_sub(1)
}

/// Checks every word of `s`; gives the length of the words joined by single spaces.
fn words_len(s: &str) -> Result<usize, ErrorKind> {
    // Each word's refused character is reported where it is in the whole value.
    let mut chars_before = 0usize;
    for piece in ascii::split(s, b' ') {
        if !piece.is_empty() {
            check_kernel_word(piece).map_err(|kind| kind.after(chars_before))?;
        }
        chars_before = chars_before
            .saturating_add(piece.chars().count())
            .saturating_add(1);
    }
    let len = joined_len(words(s));
    if len > KERNEL_ARGS_MAX {
        return Err(too_long(KERNEL_ARGS_MAX));
    }
    Ok(len)
}

/// The kernel arguments a node's config passes: the site's, then the node's own, at most
/// [`KERNEL_ARGS_MAX`] bytes together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NodeArgs<'a> {
    /// The site's `kernel_args`.
    pub site: KernelArgs<'a>,
    /// The node's own `kernel_args`.
    pub node: KernelArgs<'a>,
}

impl<'a> NodeArgs<'a> {
    /// The site's arguments then the node's.
    ///
    /// # Errors
    /// [`ErrorKind::TooLong`] when together they pass [`KERNEL_ARGS_MAX`] bytes.
    pub fn join(site: KernelArgs<'a>, node: KernelArgs<'a>) -> Result<Self, ErrorKind> {
        let space = usize::from(!site.is_empty() && !node.is_empty());
        if site.len() + space + node.len() > KERNEL_ARGS_MAX {
            return Err(too_long(KERNEL_ARGS_MAX));
        }
        Ok(NodeArgs { site, node })
    }

    /// `true` when there are none.
    pub fn is_empty(&self) -> bool {
        self.site.is_empty() && self.node.is_empty()
    }

    /// Calls `each` with every word, the site's first.
    pub fn for_each_word(&self, mut each: impl FnMut(&str)) {
        self.site.for_each_word(&mut each);
        self.node.for_each_word(each);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::fmt::Write as _;

    /// `Quoted(s)` as a message writes it.
    fn quoted(s: &str) -> heapless::String<1024> {
        let mut out = heapless::String::new();
        write!(out, "{}", Quoted(s)).unwrap();
        out
    }

    fn repeated(s: &str, n: usize) -> heapless::String<1024> {
        let mut out = heapless::String::new();
        for _ in 0..n {
            out.push_str(s).unwrap();
        }
        out
    }

    #[test]
    fn quoted_values_are_elided_after_64_characters() {
        let exactly = repeated("a", 64);
        assert_eq!(quoted(&exactly).as_str().len(), 66);
        assert!(!quoted(&exactly).ends_with('…'));
        let longer = repeated("a", 65);
        let q = quoted(&longer);
        assert!(q.ends_with("\"…"), "{q}");
        assert_eq!(q.chars().filter(|c| *c == 'a').count(), 64);
        // Multibyte characters count as one each and are never split.
        let e = repeated("é", 200);
        let q = quoted(&e);
        assert_eq!(q.chars().filter(|c| *c == 'é').count(), 64);
        assert!(q.ends_with("\"…"), "{q}");
    }

    #[test]
    fn quoted_values_escape_what_could_forge_or_hide_text() {
        assert_eq!(quoted("a\nipxegen: b"), "\"a\\nipxegen: b\"");
        assert_eq!(quoted("\u{1b}[31m"), "\"\\u{1b}[31m\"");
        assert_eq!(quoted("\t\r\0\u{7f}"), "\"\\t\\r\\u{0}\\u{7f}\"");
        assert_eq!(quoted("\u{85}"), "\"\\u{85}\"");
        assert_eq!(quoted("a\u{202e}b\u{2028}"), "\"a\\u{202e}b\\u{2028}\"");
        assert_eq!(quoted("\u{feff}\u{200b}"), "\"\\u{feff}\\u{200b}\"");
        assert_eq!(quoted("say \"hi\" \\"), "\"say \\\"hi\\\" \\\\\"");
        assert_eq!(quoted("réseau-01"), "\"réseau-01\"");
    }

    #[test]
    fn quoted_huge_value_gives_a_short_line() {
        static BIG: [u8; 1 << 16] = [b'x'; 1 << 16];
        let big = core::str::from_utf8(&BIG).unwrap();
        let q = quoted(big);
        assert!(q.len() < 80, "{}", q.len());
        // Escapes count as the one character they stand for.
        let mut newlines = heapless::String::<200>::new();
        for _ in 0..200 {
            newlines.push('\n').unwrap();
        }
        let q = quoted(&newlines);
        assert_eq!(q.matches("\\n").count(), 64);
        assert!(!q.contains('\n'));
    }

    #[test]
    fn refused_character_names_it_and_its_position() {
        assert_eq!(
            character_not_allowed("ré@x", 3),
            ErrorKind::CharacterNotAllowed(At {
                character: '@',
                position: 3,
            })
        );
        // Not where a character starts.
        assert_eq!(character_not_allowed("é", 1), ErrorKind::BadCharacter);
        assert_eq!(character_not_allowed("a", 5), ErrorKind::BadCharacter);
    }

    fn at(character: char, position: u16) -> At {
        At {
            character,
            position,
        }
    }

    #[test]
    fn literal_rules() {
        let cases: &[(&str, Result<(), ErrorKind>)] = &[
            ("console=ttyS0,115200n8", Ok(())),
            ("a|b", Ok(())),
            ("|", Err(ErrorKind::LoneOperatorCharacter)),
            ("&", Err(ErrorKind::LoneOperatorCharacter)),
            ("", Err(ErrorKind::Empty)),
            ("a b", Err(ErrorKind::Whitespace(at(' ', 2)))),
            ("a\tb", Err(ErrorKind::Whitespace(at('\t', 2)))),
            ("a\0b", Err(ErrorKind::ControlByte(at('\0', 2)))),
            ("a\x1bb", Err(ErrorKind::ControlByte(at('\x1b', 2)))),
            ("caf\u{e9}", Err(ErrorKind::NotAscii(at('\u{e9}', 4)))),
            ("a\\", Err(ErrorKind::Backslash)),
            ("${x}", Err(ErrorKind::Expansion)),
            ("a}", Err(ErrorKind::Expansion)),
            ("||", Err(ErrorKind::Operator)),
            ("&&", Err(ErrorKind::Operator)),
            (";", Err(ErrorKind::Operator)),
            ("#x", Err(ErrorKind::LeadingHash)),
            (":x", Err(ErrorKind::LeadingColon)),
            ("-x", Err(ErrorKind::LeadingDash)),
        ];
        for (s, want) in cases {
            assert_eq!(check_literal(s, Position::OptionArea), *want, "{s:?}");
        }
        assert_eq!(check_literal("--", Position::AfterOptions), Ok(()));
    }

    fn words(args: &KernelArgs<'_>) -> heapless::Vec<heapless::String<32>, 8> {
        let mut out = heapless::Vec::new();
        args.for_each_word(|w| {
            out.push(heapless::String::try_from(w).unwrap()).unwrap();
        });
        out
    }

    #[test]
    fn kernel_args_split_and_refuse() {
        let args = KernelArgs::parse("  console=ttyS0   quiet -- single ").unwrap();
        assert_eq!(
            words(&args).as_slice(),
            ["console=ttyS0", "quiet", "--", "single"]
        );
        assert_eq!(args.len(), "console=ttyS0 quiet -- single".len());
        assert_eq!(
            KernelArgs::parse("initrd=x").unwrap_err(),
            ErrorKind::ReservedArgument
        );
        assert_eq!(
            KernelArgs::parse("BOOTIF=01-aa").unwrap_err(),
            ErrorKind::ReservedArgument
        );
        assert_eq!(
            KernelArgs::parse("a\nb").unwrap_err(),
            ErrorKind::Whitespace(at('\n', 2))
        );
        // The position counts from the start of the whole value, not of the word.
        assert_eq!(
            KernelArgs::parse("quiet  console=tty\tS0").unwrap_err(),
            ErrorKind::Whitespace(at('\t', 19))
        );
    }

    #[test]
    fn kernel_args_keep_quotes_written_as_escapes() {
        let args = KernelArgs::read(JsonStr::new(r#"x=\"a\"  \u0079"#)).unwrap();
        assert_eq!(words(&args).as_slice(), ["x=\"a\"", "y"]);
        assert_eq!(args.len(), "x=\"a\" y".len());
        assert_eq!(
            KernelArgs::trusted(JsonStr::new(r#"x=\"a\"  \u0079"#)),
            args
        );
        assert_eq!(
            KernelArgs::read(JsonStr::new(r"a\nb")).unwrap_err(),
            ErrorKind::Whitespace(at('\n', 2))
        );
        assert_eq!(KernelArgs::trusted(JsonStr::new("  a  bb ")).len(), 4);
    }

    #[test]
    fn names() {
        assert!(Name::parse("pxelinux.cfg").is_ok());
        assert_eq!(Name::parse("../x").unwrap_err(), ErrorKind::EscapesRoot);
        assert_eq!(Name::parse("a/b").unwrap_err(), ErrorKind::EscapesRoot);
        assert_eq!(
            Name::parse("a b").unwrap_err(),
            ErrorKind::Whitespace(at(' ', 2))
        );
        assert_eq!(Name::parse("-a").unwrap_err(), ErrorKind::LeadingDash);
        assert_eq!(
            Name::parse("a@b").unwrap_err(),
            ErrorKind::CharacterNotAllowed(At {
                character: '@',
                position: 2,
            })
        );
        assert_eq!(
            read_name(JsonStr::new(r"a\u0062")).unwrap_err(),
            ErrorKind::JsonEscape
        );
        assert_eq!(
            read_name(JsonStr::new(r"a\u0020b")).unwrap_err(),
            ErrorKind::Whitespace(at(' ', 2))
        );
    }

    #[test]
    fn paths_keep_their_escapes() {
        let path = LocalPath::read(JsonStr::new(r#"/srv/a\"b\\c"#)).unwrap();
        let mut s = heapless::String::<32>::new();
        fmt::Write::write_fmt(&mut s, format_args!("{path}")).unwrap();
        assert_eq!(s, "/srv/a\"b\\c");
        assert_eq!(
            LocalPath::read(JsonStr::new(r"/a\u0001")).unwrap_err(),
            ErrorKind::ControlByte(at('\u{1}', 3))
        );
    }
}
