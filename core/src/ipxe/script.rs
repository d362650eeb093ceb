//! The only code in ipxegen that writes iPXE script text.
//!
//! iPXE splits a line on whitespace with no quoting and no escaping, expands `${...}` in every
//! argument (recursively), takes `||`, `&&` and `;` as operators when they stand alone, a
//! token beginning with `#` as a comment, a line beginning with `:` as a label, and `-...` in
//! an option position as an option. So every argument written here is one of two things:
//!
//! - ipxegen's own text: [`Words`], [`Expansion`] or [`Label`], each checked when the program
//!   is built (a `const` check: a word iPXE would misread does not compile), so nothing is
//!   checked again when a script is written;
//! - a value of the site, as one of the model's validated types ([`NodeId`], [`Url`],
//!   [`Name`], [`KernelArgs`](crate::model::KernelArgs), ...), which can only be made by
//!   reading and validating it: the reader refused, naming its field, every value iPXE would
//!   misread, and nothing was escaped or cut.
//!
//! An operator's template ([`crate::ipxe::template`]) adds a third kind: its literal text, a
//! [`TemplateText`] that only a template the parser validated gives (each script it renders
//! is linted when the site is checked); its placeholders write site values as [`Value`]s,
//! through the same code as the command lines above.
//!
//! A [`Line`] latches the first write error and reports it at [`Line::end`] (or `or_*`), so
//! a command reads as one chain of calls.

use crate::error::{Error, Result};
use crate::hex;
use crate::model::{ChapValue, HttpBase, Iqn, IscsiTarget, Name, NodeArgs, NodeId, Piece, Url};
use embedded_io::Write;

/// Words of ipxegen's own: plain words separated by single spaces, with nothing iPXE would
/// misread (no whitespace but the separators, no control or non-ASCII byte, no `\`, `$`,
/// `{`, `}`, no word that is `||`, `&&` or `;` or begins with `#` or `:`). Made by the
/// [`words!`](crate::words) macro, which checks them when the program is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words(&'static str);

/// A token of ipxegen's own holding `${...}` expansions (`${net${netid}/mac:hexhyp}`):
/// balanced, no whitespace, nothing else iPXE would misread. Made by
/// [`expansion!`](crate::expansion).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expansion(&'static str);

/// A comment of ipxegen's own: no control byte (a line break would end it), not ending in
/// `\` (which would join the next line to it). Made by [`comment!`](crate::comment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment(&'static str);

impl Comment {
    /// Checks `text` (use [`comment!`](crate::comment)).
    pub const fn new(text: &'static str) -> Comment {
        let mut rest = text.as_bytes();
        let mut last = 0u8;
        while let [b, tail @ ..] = rest {
            assert!(
                *b >= 0x20 && *b != 0x7f,
                "a comment must not hold control bytes"
            );
            last = *b;
            rest = tail;
        }
        assert!(last != b'\\', "a comment must not end in a backslash");
        Comment(text)
    }
}

/// A [`Comment`] checked when the program is built.
#[macro_export]
macro_rules! comment {
    ($text:literal) => {{
        const COMMENT: $crate::ipxe::script::Comment = $crate::ipxe::script::Comment::new($text);
        COMMENT
    }};
}

/// A label of ipxegen's own (one word). Made by [`label!`](crate::label).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(&'static str);

/// `true` when `text` is valid [`Words`].
const fn words_ok(text: &[u8]) -> bool {
    let mut rest = text;
    let mut word_start = true;
    while let [b, tail @ ..] = rest {
        match *b {
            b' ' if word_start => return false,
            b' ' => word_start = true,
            0x00..=0x1f | 0x7f..=0xff | b'\\' | b'$' | b'{' | b'}' => return false,
            _ if word_start => {
                if matches!(*b, b'#' | b':') || is_operator_word(rest) {
                    return false;
                }
                word_start = false;
            }
            _ => {}
        }
        rest = tail;
    }
    // Not empty, and no trailing space (an empty last word).
    !word_start
}

/// `true` when the word at the start of `rest` is `||`, `&&` or `;`.
const fn is_operator_word(rest: &[u8]) -> bool {
    matches!(
        rest,
        [b'|', b'|']
            | [b'|', b'|', b' ', ..]
            | [b'&', b'&']
            | [b'&', b'&', b' ', ..]
            | [b';']
            | [b';', b' ', ..]
    )
}

/// `true` when `text` is a valid [`Expansion`].
const fn expansion_ok(text: &[u8]) -> bool {
    let mut rest = text;
    let mut depth = 0u32;
    let mut previous = 0u8;
    while let [b, tail @ ..] = rest {
        match *b {
            b'$' if matches!(tail, [b'{', ..]) => depth += 1,
            b'{' if previous == b'$' => {}
            b'$' | b'{' => return false,
            b'}' => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            b'\\' | b'#' | 0x00..=0x20 | 0x7f..=0xff => return false,
            _ => {}
        }
        previous = *b;
        rest = tail;
    }
    depth == 0 && !text.is_empty() && !is_operator_word(text) && !matches!(text, [b':', ..])
}

impl Words {
    /// Checks `text` (use [`words!`](crate::words), which runs this when the program is built).
    pub const fn new(text: &'static str) -> Words {
        assert!(
            words_ok(text.as_bytes()),
            "not words iPXE reads back unchanged"
        );
        Words(text)
    }

    /// The words.
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl Expansion {
    /// Checks `text` (use [`expansion!`](crate::expansion)).
    pub const fn new(text: &'static str) -> Expansion {
        assert!(
            expansion_ok(text.as_bytes()),
            "not an expansion iPXE reads back unchanged"
        );
        Expansion(text)
    }
}

impl Label {
    /// Checks `text` (use [`label!`](crate::label)).
    pub const fn new(text: &'static str) -> Label {
        let b = text.as_bytes();
        let mut one_word = true;
        let mut rest = b;
        while let [c, tail @ ..] = rest {
            if *c == b' ' {
                one_word = false;
            }
            rest = tail;
        }
        assert!(one_word && words_ok(b), "not a label");
        Label(text)
    }
}

/// [`Words`] checked when the program is built: `words!("--timeout")`.
#[macro_export]
macro_rules! words {
    ($text:literal) => {{
        const WORDS: $crate::ipxe::script::Words = $crate::ipxe::script::Words::new($text);
        WORDS
    }};
}

/// An [`Expansion`] checked when the program is built: `expansion!("${platform}")`.
#[macro_export]
macro_rules! expansion {
    ($text:literal) => {{
        const EXPANSION: $crate::ipxe::script::Expansion =
            $crate::ipxe::script::Expansion::new($text);
        EXPANSION
    }};
}

/// A [`Label`] checked when the program is built: `label!("retry")`.
#[macro_export]
macro_rules! label {
    ($text:literal) => {{
        const LABEL: $crate::ipxe::script::Label = $crate::ipxe::script::Label::new($text);
        LABEL
    }};
}

/// A value of the site or node as one argument (or, for kernel arguments, several), the way
/// a [`Line`] writes it: what a template's placeholder writes.
#[derive(Clone, Copy, Debug)]
pub enum Value<'v> {
    /// ipxegen's own words (a mode, an image name).
    Words(Words),
    /// ipxegen's own token with expansions (`BOOTIF=01-${netX/mac:hexhyp}`).
    Expansion(Expansion),
    /// A node id.
    Id(NodeId<'v>),
    /// A name of the tree (a relative fallback script).
    Name(Name<'v>),
    /// A name of the tree as a path segment, percent-encoded (the per-MAC directory).
    Segment(Name<'v>),
    /// An absolute URL.
    Url(Url<'v>),
    /// `base/seg1/seg2`, the segments percent-encoded (a file placed in the tree).
    UrlIn(&'v HttpBase<'v>, [&'v str; 2]),
    /// An iSCSI qualified name.
    Iqn(Iqn<'v>),
    /// A CHAP user name or secret, decoded.
    Chap(ChapValue<'v>),
    /// Every kernel argument, separated by single spaces (nothing when there are none).
    KernelArgs(&'v NodeArgs<'v>),
    /// A decimal number.
    Number(u32),
    /// A BIOS drive number in hex (`0x80`).
    Drive(u8),
    /// An iSCSI root path.
    IscsiRoot(&'v IscsiTarget<'v>),
}

/// Literal text of an operator's template, which the template parser validated: only
/// [`crate::ipxe::template`] makes one.
#[derive(Clone, Copy, Debug)]
pub struct TemplateText<'t>(&'t [u8]);

impl<'t> TemplateText<'t> {
    /// Text of a template that [`crate::template::Template::parse`] accepted.
    pub(crate) fn validated(text: &'t [u8]) -> Self {
        TemplateText(text)
    }
}

/// Writes an iPXE script, line by line, to any [`embedded_io::Write`].
pub struct ScriptWriter<'w, W: Write> {
    out: &'w mut W,
}

/// One command line being written. Finish it with [`Line::end`], [`Line::or_goto`],
/// [`Line::or_ignore`] or [`Line::and_goto_or_continue`]; a line dropped unfinished leaves the
/// script without its newline.
#[must_use = "a command line must be finished with end(), or_goto() or or_ignore()"]
pub struct Line<'s, W: Write> {
    out: &'s mut W,
    error: Option<Error>,
}

/// For each byte, `true` when a URL path segment carries it as it is (RFC 3986
/// unreserved).
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut rest: &mut [bool] = &mut table;
    let mut b = 0u8;
    while let [slot, tail @ ..] = rest {
        *slot = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        b = b.wrapping_add(1);
        rest = tail;
    }
    table
};

/// `true` for bytes a URL path segment carries as they are (RFC 3986 unreserved).
fn is_unreserved(b: u8) -> bool {
    UNRESERVED.get(usize::from(b)).copied().unwrap_or(false)
}

impl<'w, W: Write> ScriptWriter<'w, W> {
    /// A writer that appends to `out`.
    pub fn new(out: &'w mut W) -> Self {
        ScriptWriter { out }
    }

    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        crate::output::write_all(&mut *self.out, bytes)
    }

    /// Writes the `#!ipxe` header line (the signature must be followed by whitespace).
    pub fn header(&mut self) -> Result<()> {
        self.put(b"#!ipxe\n")
    }

    /// Writes an empty line.
    pub fn blank(&mut self) -> Result<()> {
        self.put(b"\n")
    }

    /// Writes `# text`.
    pub fn comment(&mut self, text: Comment) -> Result<()> {
        self.put(b"# ")?;
        self.put(text.0.as_bytes())?;
        self.put(b"\n")
    }

    /// Writes a `:label` line.
    pub fn label(&mut self, label: Label) -> Result<()> {
        self.put(b":")?;
        self.put(label.0.as_bytes())?;
        self.put(b"\n")
    }

    /// Starts a command line with the command `name`.
    pub fn command(&mut self, name: Words) -> Line<'_, W> {
        let mut line = Line {
            out: self.out,
            error: None,
        };
        line.put(name.0.as_bytes());
        line
    }

    /// Writes `value` with nothing before it (a template's placeholder).
    pub fn value(&mut self, value: Value<'_>) -> Result<()> {
        let mut line = Line {
            out: self.out,
            error: None,
        };
        line.put_value(value);
        line.error.map_or(Ok(()), Err)
    }

    /// Writes literal text of a validated template.
    pub fn template_text(&mut self, text: TemplateText<'_>) -> Result<()> {
        self.put(text.0)
    }

    /// Writes `goto label`.
    pub fn goto(&mut self, label: Label) -> Result<()> {
        self.command(crate::words!("goto")).label(label).end()
    }

    /// Writes `echo` followed by ipxegen's own words.
    pub fn echo(&mut self, words: Words) -> Result<()> {
        self.command(crate::words!("echo")).word(words).end()
    }
}

impl<W: Write> Line<'_, W> {
    fn put(&mut self, bytes: &[u8]) {
        if self.error.is_none()
            && let Err(e) = crate::output::write_all(&mut *self.out, bytes)
        {
            self.error = Some(e);
        }
    }

    fn separated(mut self, bytes: &[u8]) -> Self {
        self.put(b" ");
        self.put(bytes);
        self
    }

    /// Appends ipxegen's own words (an option such as `--timeout`, echo text).
    pub fn word(self, words: Words) -> Self {
        self.separated(words.0.as_bytes())
    }

    /// Appends a label (after `goto`).
    fn label(self, label: Label) -> Self {
        self.separated(label.0.as_bytes())
    }

    /// Appends ipxegen's own token holding `${...}` expansions.
    pub fn expansion(self, token: Expansion) -> Self {
        self.separated(token.0.as_bytes())
    }

    /// Appends a node id (as an argument after the options, e.g. in `echo`).
    pub fn id(self, id: NodeId<'_>) -> Self {
        self.separated_value(Value::Id(id))
    }

    /// Appends a name of the tree (a relative fallback script).
    pub fn name(self, name: Name<'_>) -> Self {
        self.separated_value(Value::Name(name))
    }

    /// Appends an absolute URL.
    pub fn url(self, url: Url<'_>) -> Self {
        self.separated_value(Value::Url(url))
    }

    /// Appends an iSCSI qualified name.
    pub fn iqn(self, iqn: Iqn<'_>) -> Self {
        self.separated_value(Value::Iqn(iqn))
    }

    /// Appends a CHAP user name or secret, decoded.
    pub fn chap(self, value: ChapValue<'_>) -> Self {
        self.separated_value(Value::Chap(value))
    }

    fn put_piece(&mut self, piece: Piece<'_>) {
        match piece {
            Piece::Text(s) => self.put(s.as_bytes()),
            Piece::Char(c) => self.put(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
    }

    /// Appends every kernel argument, each as one argument.
    pub fn kernel_args(self, args: &NodeArgs<'_>) -> Self {
        if args.is_empty() {
            return self;
        }
        self.separated_value(Value::KernelArgs(args))
    }

    /// Appends a decimal number.
    pub fn number(self, n: u32) -> Self {
        self.separated_value(Value::Number(n))
    }

    fn put_decimal(&mut self, n: u32) {
        self.put(crate::ascii::Decimal::new(u64::from(n)).as_bytes());
    }

    /// Appends a BIOS drive number in hex (`0x80`).
    pub fn drive(self, drive: u8) -> Self {
        self.separated_value(Value::Drive(drive))
    }

    /// Appends `base/seg1/seg2...`, each segment percent-encoded outside RFC 3986's
    /// unreserved characters.
    pub fn url_in(mut self, base: &HttpBase<'_>, segments: &[&str]) -> Self {
        self.put(b" ");
        self.put_url_in(base, segments);
        self
    }

    fn put_url_in(&mut self, base: &HttpBase<'_>, segments: &[&str]) {
        self.put(base.scheme_prefix().as_bytes());
        self.put(base.rest().as_bytes());
        for segment in segments {
            self.put(b"/");
            self.put_encoded(segment);
        }
    }

    /// Appends a relative path (`dir/` then a token of ipxegen's own with expansions), the
    /// directory percent-encoded.
    pub fn relative(mut self, dir: Name<'_>, last: Expansion) -> Self {
        self.put(b" ");
        self.put_encoded(dir.as_str());
        self.put(b"/");
        self.put(last.0.as_bytes());
        self
    }

    fn separated_value(mut self, value: Value<'_>) -> Self {
        self.put(b" ");
        self.put_value(value);
        self
    }

    /// Writes `value`: the one place a site value becomes script text.
    fn put_value(&mut self, value: Value<'_>) {
        match value {
            Value::Words(words) => self.put(words.0.as_bytes()),
            Value::Expansion(token) => self.put(token.0.as_bytes()),
            Value::Id(id) => self.put(id.as_str().as_bytes()),
            Value::Name(name) => self.put(name.as_str().as_bytes()),
            Value::Segment(name) => self.put_encoded(name.as_str()),
            Value::Url(url) => self.put(url.as_str().as_bytes()),
            Value::UrlIn(base, segments) => self.put_url_in(base, &segments),
            Value::Iqn(iqn) => self.put(iqn.as_str().as_bytes()),
            Value::Chap(chap) => {
                for piece in chap.text().pieces() {
                    self.put_piece(piece);
                }
            }
            Value::KernelArgs(args) => {
                let mut first = true;
                args.for_each_word(|word| {
                    if !first {
                        self.put(b" ");
                    }
                    first = false;
                    self.put(word.as_bytes());
                });
            }
            Value::Number(n) => self.put_decimal(n),
            Value::Drive(drive) => {
                self.put(b"0x");
                self.put(&hex::pair(drive));
            }
            Value::IscsiRoot(target) => self.put_iscsi_root(target),
        }
    }

    /// Appends `key=` (ipxegen's own word) and then, by `value`, the rest of the argument.
    pub fn pair(mut self, key: Words, value: impl FnOnce(&mut Self)) -> Self {
        self.put(b" ");
        self.put(key.0.as_bytes());
        self.put(b"=");
        value(&mut self);
        self
    }

    /// Appends bytes of a validated value with no separator (inside a [`Line::pair`]).
    pub fn raw(&mut self, value: &str) {
        self.put(value.as_bytes());
    }

    /// Appends the iSCSI root path `iscsi:<server>::<port>:<lun>:<iqn>` (RFC 4173, as iPXE
    /// parses it; the port only when it is not 3260).
    pub fn iscsi_root(self, target: &IscsiTarget<'_>) -> Self {
        self.separated_value(Value::IscsiRoot(target))
    }

    fn put_iscsi_root(&mut self, target: &IscsiTarget<'_>) {
        self.put(b"iscsi:");
        match target.server {
            crate::model::Host::Name(name) => self.put(name.as_bytes()),
            host => {
                let mut text = heapless::String::<48>::new();
                if core::fmt::Write::write_fmt(&mut text, format_args!("{host}")).is_err() {
                    self.error = Some(Error::new(crate::ErrorKind::Internal));
                }
                self.put(text.as_bytes());
            }
        }
        self.put(b"::");
        if let Some(port) = target.port.filter(|p| *p != 3260) {
            self.put_decimal(u32::from(port));
        }
        self.put(b":");
        self.put_decimal(target.lun);
        self.put(b":");
        self.put(target.iqn.as_str().as_bytes());
    }

    /// Writes `segment` percent-encoded outside RFC 3986's unreserved characters: runs of
    /// unreserved bytes in one write.
    fn put_encoded(&mut self, segment: &str) {
        let mut rest = segment.as_bytes();
        while !rest.is_empty() {
            let plain = rest.iter().take_while(|b| is_unreserved(**b)).count();
            let (run, after) = rest.split_at_checked(plain).unwrap_or((rest, &[]));
            self.put(run);
            match after.split_first() {
                Some((b, tail)) => {
                    let [hi, lo] = hex::pair_upper(*b);
                    self.put(&[b'%', hi, lo]);
                    rest = tail;
                }
                None => rest = after,
            }
        }
    }

    fn finish(mut self, tail: &[u8]) -> Result<()> {
        self.put(tail);
        self.error.map_or(Ok(()), Err)
    }

    /// Ends the line. If the command fails, iPXE ends the script.
    pub fn end(self) -> Result<()> {
        self.finish(b"\n")
    }

    /// Ends the line with `|| goto label`: on failure, go to `label`.
    pub fn or_goto(self, label: Label) -> Result<()> {
        self.separated(b"|| goto").label(label).finish(b"\n")
    }

    /// Ends the line with `||`: a failure is ignored and the script goes on.
    pub fn or_ignore(self) -> Result<()> {
        self.finish(b" ||\n")
    }

    /// Appends `&& name`: the command `name` runs only if the command before succeeded.
    pub fn and_then(self, name: Words) -> Self {
        self.separated(b"&&").word(name)
    }

    /// Ends the line with `&& goto label ||`: on success go to `label`; on failure go on.
    pub fn and_goto_or_continue(self, label: Label) -> Result<()> {
        self.separated(b"&& goto").label(label).finish(b" ||\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write_to_slice;

    fn line(
        build: impl FnOnce(&mut ScriptWriter<'_, &mut [u8]>) -> Result<()>,
    ) -> Result<heapless::String<256>> {
        let mut buf = [0u8; 256];
        let n = write_to_slice(&mut buf, |out| build(&mut ScriptWriter::new(out)))?;
        let mut s = heapless::String::new();
        s.push_str(core::str::from_utf8(&buf[..n]).unwrap())
            .unwrap();
        Ok(s)
    }

    #[test]
    fn writes_a_command_with_fallback() {
        let url = Url::parse("http://x/k", crate::model::FETCH_SCHEMES).unwrap();
        let got = line(|s| {
            s.command(words!("kernel"))
                .word(words!("--timeout"))
                .number(60000)
                .url(url)
                .pair(words!("initrd"), |l| l.raw("deploy_ramdisk"))
                .or_goto(label!("retry"))
        })
        .unwrap();
        assert_eq!(
            got,
            "kernel --timeout 60000 http://x/k initrd=deploy_ramdisk || goto retry\n"
        );
    }

    #[test]
    fn static_text_rules() {
        for good in ["echo", "a b c", "--timeout", "|", "a|b", "x||", "-1"] {
            assert!(words_ok(good.as_bytes()), "{good:?}");
        }
        for bad in [
            "",
            " a",
            "a ",
            "a  b",
            "a\tb",
            "a ${x}",
            "a\\",
            "#x",
            "a :b",
            "||",
            "a && b",
            "a ;",
            "caf\u{e9}",
        ] {
            assert!(!words_ok(bad.as_bytes()), "{bad:?}");
        }
        assert!(expansion_ok(b"${net${netid}/mac:hexhyp}"));
        assert!(expansion_ok(b"(${net0/mac:hexhyp})"));
        for bad in ["${a", "$a}", "a}", "${a b}", "", "||", ":x", "#${x}"] {
            assert!(!expansion_ok(bad.as_bytes()), "{bad:?}");
        }
    }

    #[test]
    fn expansions_and_labels() {
        let got = line(|s| {
            s.command(words!("isset"))
                .expansion(expansion!("${net${netid}/mac}"))
                .and_goto_or_continue(label!("found"))
        })
        .unwrap();
        assert_eq!(got, "isset ${net${netid}/mac} && goto found ||\n");
    }

    #[test]
    fn encodes_segments() {
        let base = HttpBase::parse("http://h").unwrap();
        let got = line(|s| {
            s.command(words!("chain"))
                .url_in(&base, &["a+b", "c"])
                .end()
        })
        .unwrap();
        assert_eq!(got, "chain http://h/a%2Bb/c\n");
    }

    #[test]
    fn small_buffer_is_an_error() {
        let mut buf = [0u8; 8];
        let err = write_to_slice(&mut buf, |out| {
            ScriptWriter::new(out).echo(words!("far too long for the buffer"))
        })
        .unwrap_err();
        assert_eq!(
            err.kind,
            crate::ErrorKind::Write(embedded_io::ErrorKind::WriteZero)
        );
    }
}
