//! The rules a literal must follow to reach iPXE unchanged, and the text types built on them.
//!
//! iPXE has no quoting and no escaping (see `ipxe/script.rs`): a value is safe as one argument
//! only if it has no whitespace, no control byte, no `\`, `$`, `{`, `}`, is not a whole-token
//! operator (`||`, `&&`, `;`) and does not begin with `#` or `:` (nor `-` where iPXE parses
//! options). These checks refuse; nothing is ever escaped or truncated.

use crate::error::{Error, ErrorKind, Field, Result};
use crate::limits::{KERNEL_ARGS_MAX, NAME_MAX, PATH_MAX};

fn too_long(max: usize) -> ErrorKind {
    ErrorKind::TooLong {
        max: u16::try_from(max).unwrap_or(u16::MAX),
    }
}

/// Copies `s` into a fixed-capacity string, or says it is too long.
pub(crate) fn bounded<const N: usize>(s: &str) -> Result<heapless::String<N>, ErrorKind> {
    let mut out = heapless::String::new();
    out.push_str(s).map_err(|_| too_long(N))?;
    Ok(out)
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
/// [`ErrorKind::LeadingHash`], [`ErrorKind::LeadingColon`], [`ErrorKind::LeadingDash`].
pub fn check_literal(s: &str, position: Position) -> Result<(), ErrorKind> {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return Err(ErrorKind::Empty);
    };
    for &b in bytes {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => return Err(ErrorKind::Whitespace),
            0x00..=0x1f | 0x7f => return Err(ErrorKind::ControlByte),
            0x80..=0xff => return Err(ErrorKind::NotAscii),
            b'\\' => return Err(ErrorKind::Backslash),
            b'$' | b'{' | b'}' => return Err(ErrorKind::Expansion),
            _ => {}
        }
    }
    match (first, s) {
        (_, "||" | "&&" | ";") => Err(ErrorKind::Operator),
        (b'#', _) => Err(ErrorKind::LeadingHash),
        (b':', _) => Err(ErrorKind::LeadingColon),
        (b'-', _) if position == Position::OptionArea => Err(ErrorKind::LeadingDash),
        _ => Ok(()),
    }
}

/// A file or directory name inside a boot tree: `[A-Za-z0-9._~+-]`, not starting with `.` or
/// `-`, at most [`NAME_MAX`] bytes. Safe as a path segment and as an iPXE literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name(heapless::String<NAME_MAX>);

impl Name {
    /// Validates `s` as a name.
    pub fn parse(s: &str) -> Result<Self, ErrorKind> {
        let first = *s.as_bytes().first().ok_or(ErrorKind::Empty)?;
        if first == b'.' || first == b'-' {
            return Err(if first == b'-' {
                ErrorKind::LeadingDash
            } else {
                ErrorKind::EscapesRoot
            });
        }
        for &b in s.as_bytes() {
            if !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'+' | b'-')) {
                check_literal(s, Position::OptionArea)?;
                return Err(if b == b'/' {
                    ErrorKind::EscapesRoot
                } else {
                    ErrorKind::BadCharacter
                });
            }
        }
        Ok(Name(bounded(s)?))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A local filesystem path (a source file to place, a root directory). Never written into a
/// script; refused only if empty, too long, or holding a control byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalPath(heapless::String<PATH_MAX>);

impl LocalPath {
    /// Validates `s` as a local path.
    pub fn parse(s: &str) -> Result<Self, ErrorKind> {
        if s.is_empty() {
            return Err(ErrorKind::Empty);
        }
        if s.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return Err(ErrorKind::ControlByte);
        }
        Ok(LocalPath(bounded(s)?))
    }

    /// The path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Kernel command-line arguments: words separated by single spaces, each one a safe iPXE
/// literal (a leading `-` is allowed: kernel arguments follow the image URL, where iPXE no
/// longer parses options). `initrd=` and `BOOTIF=` are refused: ipxegen writes them itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KernelArgs(heapless::String<KERNEL_ARGS_MAX>);

impl KernelArgs {
    /// Parses space-separated arguments (runs of spaces count as one separator).
    pub fn parse(s: &str) -> Result<Self, ErrorKind> {
        let mut out = KernelArgs::default();
        for word in s.split(' ').filter(|w| !w.is_empty()) {
            out.push(word)?;
        }
        Ok(out)
    }

    /// Appends one argument after checking it.
    pub fn push(&mut self, word: &str) -> Result<(), ErrorKind> {
        check_literal(word, Position::AfterOptions)?;
        let key = word.split('=').next().unwrap_or(word);
        if key.eq_ignore_ascii_case("initrd") || key.eq_ignore_ascii_case("BOOTIF") {
            return Err(ErrorKind::ReservedArgument);
        }
        if !self.0.is_empty() {
            self.0.push(' ').map_err(|_| too_long(KERNEL_ARGS_MAX))?;
        }
        self.0.push_str(word).map_err(|_| too_long(KERNEL_ARGS_MAX))
    }

    /// Appends every argument of `other`.
    pub fn extend(&mut self, other: &KernelArgs) -> Result<(), ErrorKind> {
        for word in other.words() {
            self.push(word)?;
        }
        Ok(())
    }

    /// The arguments, one per item.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.0.split(' ').filter(|w| !w.is_empty())
    }

    /// `true` when there are no arguments.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Validates a literal for `field`, naming the field in the error.
pub(crate) fn literal_in(s: &str, field: Field, position: Position) -> Result<()> {
    check_literal(s, position).map_err(|k| Error::at(k, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_rules() {
        let cases: &[(&str, Result<(), ErrorKind>)] = &[
            ("console=ttyS0,115200n8", Ok(())),
            ("a|b", Ok(())),
            ("|", Ok(())),
            ("", Err(ErrorKind::Empty)),
            ("a b", Err(ErrorKind::Whitespace)),
            ("a\tb", Err(ErrorKind::Whitespace)),
            ("a\0b", Err(ErrorKind::ControlByte)),
            ("a\x1bb", Err(ErrorKind::ControlByte)),
            ("caf\u{e9}", Err(ErrorKind::NotAscii)),
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

    #[test]
    fn kernel_args_split_and_refuse() {
        let args = KernelArgs::parse("  console=ttyS0   quiet -- single ").unwrap();
        assert_eq!(
            args.words().collect::<heapless::Vec<_, 8>>().as_slice(),
            ["console=ttyS0", "quiet", "--", "single"]
        );
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
            ErrorKind::Whitespace
        );
    }

    #[test]
    fn names() {
        assert!(Name::parse("pxelinux.cfg").is_ok());
        assert_eq!(Name::parse("../x").unwrap_err(), ErrorKind::EscapesRoot);
        assert_eq!(Name::parse("a/b").unwrap_err(), ErrorKind::EscapesRoot);
        assert_eq!(Name::parse("a b").unwrap_err(), ErrorKind::Whitespace);
        assert_eq!(Name::parse("-a").unwrap_err(), ErrorKind::LeadingDash);
        assert_eq!(Name::parse("a@b").unwrap_err(), ErrorKind::BadCharacter);
    }
}
