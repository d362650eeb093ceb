//! The only code in ipxegen that writes GRUB config text (`grub/grub.cfg`, `<id>/grub.cfg`).
//!
//! How GRUB 2 reads a config (`grub-core/script/yylex.l`, the lexer of GRUB 2.06 as Debian 12
//! ships it):
//! - A word is made of plain characters (anything but `{`, `}`, `|`, `&`, `$`, `;`, `<`, `>`,
//!   space, tab, newline, `'`, `"` and `\`), `'...'` (everything literal up to the next `'`,
//!   newlines included: a `'` cannot be written inside), `"..."` (where `\$`, `\\`, `\"`
//!   are escapes and `$name` and `${name}` expand), `\` escapes and `$name` expansions.
//! - A word that starts with `#` starts a comment to the end of the line. `;`, `|`, `&`,
//!   `||`, `&&`, `<`, `>` are operators; `{`, `}`, `[[`, `]]`, `case`, `do`, `done`, `elif`,
//!   `else`, `esac`, `fi`, `for`, `function`, `if`, `in`, `select`, `then`, `until` and
//!   `while` are reserved words when they stand alone.
//! - A command that fails does not end the config: the next line runs.
//! - `linux` puts `BOOT_IMAGE=<kernel path>` and then each argument on the kernel command
//!   line, separated by spaces, and writes a `\` before every `\`, `'` and `"` of an argument
//!   (`grub-core/lib/cmdline.c`): such a character would not reach the kernel as written.
//!   (Debian's `grubnetx64.efi` under OVMF: `BOOT_IMAGE=/n1/deploy_kernel
//!   BOOTIF=01-52-54-00-12-34-56 console=ttyS0`.)
//!
//! So a line holds ipxegen's own text, checked when the program is built ([`Words`]: plain
//! characters and no reserved word; [`Text`]: written in `'...'`, no `'`; [`Expansion`]:
//! written in `"..."`, only `$name` expansions), node ids and image names (plain characters:
//! `[A-Za-z0-9._-]`), and the command line's values, each written in `'...'`: URLs and kernel
//! arguments. A value holding `'`, `"` or `\` is refused naming its field
//! ([`ErrorKind::GrubQuote`]: quoting cannot carry it, and `linux` would add a backslash);
//! a control byte likewise ([`ErrorKind::ControlByte`]). Nothing is escaped or cut.
//!
//! `BOOTIF` is built when the config runs: `regexp` splits `$net_default_mac` (the MAC of
//! the NIC GRUB booted through, `52:54:00:12:34:56`) into six variables, and the argument
//! `"BOOTIF=01-$m1-$m2-$m3-$m4-$m5-$m6"` joins them with hyphens.

use crate::classic::{
    BOOTIF_LEN, ClassicBoot, ModeArg, arguments_len, check_command_line, classic_boot,
};
use crate::error::{At, Error, ErrorKind, Field, Result};
use crate::model::{ImageName, KernelArgs, Node, NodeId};
use crate::output::DynWriter;
use embedded_io::Write;

/// The words GRUB reserves when they stand alone.
const RESERVED: [&str; 19] = [
    "{", "}", "[[", "]]", "case", "do", "done", "elif", "else", "esac", "fi", "for", "function",
    "if", "in", "select", "then", "until", "while",
];

/// `true` for a byte GRUB's lexer takes as part of a plain word (printable ASCII but its
/// special characters).
const fn is_plain(b: u8) -> bool {
    b > 0x20
        && b < 0x7f
        && !matches!(
            b,
            b'{' | b'}' | b'|' | b'&' | b'$' | b';' | b'<' | b'>' | b'\'' | b'"' | b'\\'
        )
}

const fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a, mut b) = (a, b);
    while let ([x, a_tail @ ..], [y, b_tail @ ..]) = (a, b) {
        if *x != *y {
            return false;
        }
        (a, b) = (a_tail, b_tail);
    }
    true
}

const fn is_reserved(word: &[u8]) -> bool {
    let mut rest: &[&str] = &RESERVED;
    while let [reserved, tail @ ..] = rest {
        if same(reserved.as_bytes(), word) {
            return true;
        }
        rest = tail;
    }
    false
}

/// `true` when `word` is a word GRUB reads back unchanged: plain characters, not starting
/// with `#`, not a reserved word.
const fn word_ok(word: &[u8]) -> bool {
    if word.is_empty() || is_reserved(word) || matches!(word, [b'#', ..]) {
        return false;
    }
    let mut rest = word;
    while let [b, tail @ ..] = rest {
        if !is_plain(*b) {
            return false;
        }
        rest = tail;
    }
    true
}

/// Words of ipxegen's own: plain words separated by single spaces (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words(&'static str);

impl Words {
    /// Checks `text` (use it in a `const`, so bad words do not compile).
    pub const fn new(text: &'static str) -> Words {
        let mut rest = text.as_bytes();
        loop {
            let mut len = 0;
            let mut scan = rest;
            while let [b, tail @ ..] = scan {
                if *b == b' ' {
                    break;
                }
                len += 1;
                scan = tail;
            }
            let split = rest.split_at_checked(len);
            assert!(split.is_some(), "a word is inside the text");
            let Some((word, after)) = split else {
                break;
            };
            assert!(word_ok(word), "not words GRUB reads back unchanged");
            match after {
                [b' ', tail @ ..] => rest = tail,
                _ => break,
            }
        }
        Words(text)
    }
}

/// Text of ipxegen's own written in `'...'`: printable ASCII without `'`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text(&'static str);

impl Text {
    /// Checks `text` (use it in a `const`).
    pub const fn new(text: &'static str) -> Text {
        let mut rest = text.as_bytes();
        assert!(!rest.is_empty(), "text is not empty");
        while let [b, tail @ ..] = rest {
            assert!(
                *b >= 0x20 && *b < 0x7f && *b != b'\'',
                "text is printable ASCII without a single quote"
            );
            rest = tail;
        }
        Text(text)
    }
}

/// A token of ipxegen's own written in `"..."`, with `$name` expansions: printable ASCII
/// without `"` or `\`, each `$` followed by a variable name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expansion(&'static str);

impl Expansion {
    /// Checks `text` (use it in a `const`).
    pub const fn new(text: &'static str) -> Expansion {
        let mut rest = text.as_bytes();
        assert!(!rest.is_empty(), "an expansion is not empty");
        while let [b, tail @ ..] = rest {
            assert!(
                *b >= 0x20 && *b < 0x7f && *b != b'"' && *b != b'\\',
                "an expansion is printable ASCII without a double quote or backslash"
            );
            if *b == b'$' {
                assert!(
                    matches!(tail, [c, ..] if c.is_ascii_alphabetic() || *c == b'_'),
                    "a $ starts a variable name"
                );
            }
            rest = tail;
        }
        Expansion(text)
    }
}

/// A comment of ipxegen's own: printable ASCII.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment(&'static str);

impl Comment {
    /// Checks `text` (use it in a `const`).
    pub const fn new(text: &'static str) -> Comment {
        let mut rest = text.as_bytes();
        while let [b, tail @ ..] = rest {
            assert!(*b >= 0x20 && *b < 0x7f, "a comment is printable ASCII");
            rest = tail;
        }
        Comment(text)
    }
}

macro_rules! words {
    ($text:literal) => {{
        const WORDS: Words = Words::new($text);
        WORDS
    }};
}

macro_rules! text {
    ($text:literal) => {{
        const TEXT: Text = Text::new($text);
        TEXT
    }};
}

macro_rules! expansion {
    ($text:literal) => {{
        const EXPANSION: Expansion = Expansion::new($text);
        EXPANSION
    }};
}

macro_rules! comment {
    ($text:literal) => {{
        const COMMENT: Comment = Comment::new($text);
        COMMENT
    }};
}

/// A piece of one `'...'` argument.
#[derive(Clone, Copy, Debug)]
pub enum Piece<'a> {
    /// ipxegen's own text.
    Own(Text),
    /// A node id.
    Id(NodeId<'a>),
}

/// Writes a GRUB config, line by line, to any [`embedded_io::Write`].
pub struct GrubWriter<'w, W: Write> {
    out: &'w mut W,
}

/// One command line being written; finish it with [`Line::end`].
#[must_use = "a command line must be finished with end()"]
pub struct Line<'s, W: Write> {
    out: &'s mut W,
    error: Option<Error>,
}

impl<'w, W: Write> GrubWriter<'w, W> {
    /// A writer that appends to `out`.
    pub fn new(out: &'w mut W) -> Self {
        GrubWriter { out }
    }

    /// Writes `# text`.
    ///
    /// # Errors
    /// A write error.
    pub fn comment(&mut self, text: Comment) -> Result<()> {
        let mut line = self.start(b"#");
        if !text.0.is_empty() {
            line.put(b" ");
            line.put(text.0.as_bytes());
        }
        line.end()
    }

    /// Starts a command line.
    pub fn command(&mut self, words: Words) -> Line<'_, W> {
        self.start(words.0.as_bytes())
    }

    fn start(&mut self, first: &[u8]) -> Line<'_, W> {
        let mut line = Line {
            out: self.out,
            error: None,
        };
        line.put(first);
        line
    }

    /// Writes `echo '<pieces>'`.
    ///
    /// # Errors
    /// A write error.
    pub fn echo(&mut self, pieces: &[Piece<'_>]) -> Result<()> {
        self.command(words!("echo")).quoted(pieces).end()
    }

    /// Writes the `regexp` line that splits `$net_default_mac` into `m1` ... `m6`, for
    /// [`BOOTIF`] and [`PER_MAC_CONFIG`].
    ///
    /// # Errors
    /// A write error.
    pub fn split_boot_mac(&mut self) -> Result<()> {
        self.command(words!(
            "regexp --set=1:m1 --set=2:m2 --set=3:m3 --set=4:m4 --set=5:m5 --set=6:m6"
        ))
        .text(text!("^(..):(..):(..):(..):(..):(..)$"))
        .expansion(expansion!("$net_default_mac"))
        .end()
    }
}

/// `BOOTIF=01-aa-bb-cc-dd-ee-ff` for the NIC GRUB booted through, from the variables
/// [`GrubWriter::split_boot_mac`] sets.
pub const BOOTIF: Expansion = expansion!("BOOTIF=01-$m1-$m2-$m3-$m4-$m5-$m6");

/// The line [`GrubWriter::split_boot_mac`] writes (without its line feed): what a template
/// must have before `{{ bootif }}` (a test checks that the writer writes this).
pub const SPLIT_BOOT_MAC: &str = "regexp --set=1:m1 --set=2:m2 --set=3:m3 --set=4:m4 --set=5:m5 --set=6:m6 '^(..):(..):(..):(..):(..):(..)$' \"$net_default_mac\"";

/// A value a template writes into a GRUB config ([`crate::classic::template`]).
#[derive(Clone, Copy, Debug)]
pub(crate) enum GrubValue<'n, 'a> {
    /// `/<id>/<name>`: a file of the node's directory in the TFTP root.
    NodeFile(NodeId<'a>, ImageName),
    /// [`BOOTIF`], in double quotes.
    Bootif,
    /// The mode's arguments, then the site's and the node's kernel arguments, each in single
    /// quotes, separated by single spaces.
    Arguments(&'n [Option<ModeArg<'a>>; 2], &'n Node<'a>),
}

/// Writes `value` as the GRUB writer writes it on a command line, with the same checks,
/// without the space before it.
///
/// # Errors
/// A value GRUB would change (naming its field), or a write error.
pub(crate) fn write_value<W: Write>(out: &mut W, value: GrubValue<'_, '_>) -> Result<()> {
    let mut out = crate::classic::AfterSpace::new(out);
    let line = Line {
        out: &mut out,
        error: None,
    };
    let line = match value {
        GrubValue::NodeFile(id, name) => line.node_file(id, name),
        GrubValue::Bootif => line.expansion(BOOTIF),
        GrubValue::Arguments(mode_args, node) => line.arguments(mode_args, node),
    };
    line.error.map_or(Ok(()), Err)
}

/// The per-MAC config of the NIC GRUB booted through, in its prefix (`grub/` on the TFTP
/// server).
pub const PER_MAC_CONFIG: Expansion = expansion!("$prefix/grub.cfg-01-$m1-$m2-$m3-$m4-$m5-$m6");

impl<W: Write> Line<'_, W> {
    fn put(&mut self, bytes: &[u8]) {
        if self.error.is_none()
            && let Err(e) = crate::output::write_all(&mut *self.out, bytes)
        {
            self.error = Some(e);
        }
    }

    fn fail(&mut self, error: Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Appends ipxegen's own words.
    pub fn word(mut self, words: Words) -> Self {
        self.put(b" ");
        self.put(words.0.as_bytes());
        self
    }

    /// Appends ipxegen's own text, in `'...'`.
    pub fn text(self, text: Text) -> Self {
        self.quoted(&[Piece::Own(text)])
    }

    /// Appends one `'...'` argument made of `pieces` separated by spaces.
    pub fn quoted(mut self, pieces: &[Piece<'_>]) -> Self {
        self.put(b" '");
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                self.put(b" ");
            }
            match piece {
                Piece::Own(text) => self.put(text.0.as_bytes()),
                Piece::Id(id) => self.put(id.as_str().as_bytes()),
            }
        }
        self.put(b"'");
        self
    }

    /// Appends ipxegen's own token with expansions, in `"..."`.
    pub fn expansion(mut self, token: Expansion) -> Self {
        self.put(b" \"");
        self.put(token.0.as_bytes());
        self.put(b"\"");
        self
    }

    /// Appends the path of an image placed in the node's directory, `/<id>/<name>`, from the
    /// root of the TFTP server GRUB booted from.
    pub fn node_file(mut self, id: NodeId<'_>, name: ImageName) -> Self {
        self.put(b" /");
        self.put(id.as_str().as_bytes());
        self.put(b"/");
        self.put(name.as_str().as_bytes());
        self
    }

    /// Appends a decimal number.
    pub fn number(mut self, n: u32) -> Self {
        self.put(b" ");
        self.put(crate::ascii::Decimal::new(u64::from(n)).as_bytes());
        self
    }

    /// Appends one argument of the kernel command line, in `'...'`, refusing what would not
    /// reach the kernel as written (see [`check_value`]).
    fn argument(&mut self, parts: &[&str], field: Field) {
        for part in parts {
            if let Err(e) = check_value(part, field) {
                self.fail(e);
            }
        }
        self.put(b" '");
        for part in parts {
            self.put(part.as_bytes());
        }
        self.put(b"'");
    }

    /// Appends the mode's arguments, then the site's and the node's kernel arguments, each in
    /// `'...'`.
    fn arguments(mut self, mode_args: &[Option<ModeArg<'_>>; 2], node: &Node<'_>) -> Self {
        for arg in mode_args.iter().flatten() {
            match arg {
                ModeArg::Plain(text) => self.argument(&[text], Field::Mode),
                ModeArg::Url { key, url, field } => {
                    self.argument(&[key, "=", url.as_str()], *field);
                }
            }
        }
        let mut each = |args: &KernelArgs<'_>, field: Field| {
            args.for_each_word(|word| self.argument(&[word], field));
        };
        each(&node.kernel_args.site, Field::KernelArgs);
        each(&node.kernel_args.node, Field::NodeKernelArgs);
        self
    }

    /// Ends the line.
    ///
    /// # Errors
    /// The first write error or refused value.
    pub fn end(mut self) -> Result<()> {
        self.put(b"\n");
        self.error.map_or(Ok(()), Err)
    }
}

/// The error for the character of `value` at byte `i` that GRUB would not pass on as
/// written.
fn refused_at(value: &str, i: usize, kind: fn(At) -> ErrorKind) -> ErrorKind {
    At::in_value(value, i).map_or(ErrorKind::BadCharacter, kind)
}

/// Checks that `value` (of `field`) reaches the kernel unchanged when written in `'...'` on
/// a `linux` line: no `'` (it would end the quotes), no `"` or `\` (`linux` writes a `\`
/// before them), no control byte.
///
/// # Errors
/// [`ErrorKind::GrubQuote`] or [`ErrorKind::ControlByte`] naming `field`, with the
/// character and its place in `value`.
pub fn check_value(value: &str, field: Field) -> Result<()> {
    for (i, c) in value.char_indices() {
        let kind = match c {
            '\'' | '"' | '\\' => refused_at(value, i, ErrorKind::GrubQuote),
            c if c.is_control() => refused_at(value, i, ErrorKind::ControlByte),
            _ => continue,
        };
        return Err(Error::at(kind, field));
    }
    Ok(())
}

/// Checks kernel arguments as [`check_value`] does, the refused character's place counted in
/// the whole value as the document writes it (decoded).
///
/// # Errors
/// [`ErrorKind::GrubQuote`] or [`ErrorKind::ControlByte`] naming `field`.
pub fn check_kernel_args(args: &KernelArgs<'_>, field: Field) -> Result<()> {
    let Some(text) = args.text() else {
        return Ok(());
    };
    for (i, c) in text.chars().enumerate() {
        let at = At {
            character: c,
            position: u16::try_from(i.saturating_add(1)).unwrap_or(u16::MAX),
        };
        let kind = match c {
            '\'' | '"' | '\\' => ErrorKind::GrubQuote(at),
            c if c.is_control() => ErrorKind::ControlByte(at),
            _ => continue,
        };
        return Err(Error::at(kind, field));
    }
    Ok(())
}

/// Writes `grub/grub.cfg`, the config GRUB reads first: it loads the config of the NIC GRUB
/// booted through (`grub.cfg-01-<mac>` beside it: a link to the node's `grub.cfg`); a machine
/// with none is told so, and GRUB exits to the firmware, which boots its next device (the
/// local disk).
///
/// # Errors
/// A write error.
pub fn write_grub_main<W: Write>(out: &mut W) -> Result<()> {
    write_grub_main_dyn(&mut DynWriter::new(out))
}

/// The body of [`write_grub_main`], for the one writer type it is compiled for.
fn write_grub_main_dyn(out: &mut DynWriter<'_>) -> Result<()> {
    let mut g = GrubWriter::new(out);
    g.comment(comment!(
        "GRUB config generated by ipxegen: the config GRUB reads first (grub/grub.cfg)."
    ))?;
    g.comment(comment!(
        "It loads the config of the NIC GRUB booted through: grub.cfg-01-<its MAC>."
    ))?;
    g.split_boot_mac()?;
    g.command(words!("configfile"))
        .expansion(PER_MAC_CONFIG)
        .end()?;
    g.command(words!("echo"))
        .text(text!("ipxegen: no GRUB config for this machine (MAC"))
        .expansion(expansion!("$net_default_mac"))
        .text(text!(
            "has none): leaving GRUB so the firmware boots the next device (the local disk)"
        ))
        .end()?;
    g.command(words!("exit")).end()
}

/// Writes the GRUB config of `node` (`<id>/grub.cfg`, reached through
/// `grub/grub.cfg-01-<mac>`): a line naming the node and its mode, then `linux` (with
/// [`BOOTIF`] and the node's arguments), `initrd` and `boot` for a kernel, and a reboot after
/// 30 s if the boot fails; or `exit` to the firmware for the local disk.
///
/// # Errors
/// [`ErrorKind::ModeNeedsIpxe`] naming `mode` for `iso`, `iscsi` and `chain`;
/// [`ErrorKind::NeedsLocalFile`] for a kernel or ramdisk given as a URL;
/// [`ErrorKind::GrubQuote`] or [`ErrorKind::ControlByte`] for a value GRUB would not pass on
/// as written; [`ErrorKind::CommandLineTooLong`]; a write error.
pub fn write_grub_node<W: Write>(node: &Node<'_>, out: &mut W) -> Result<()> {
    write_grub_node_dyn(node, &mut DynWriter::new(out))
}

/// The body of [`write_grub_node`], for the one writer type it is compiled for.
pub(crate) fn write_grub_node_dyn(node: &Node<'_>, out: &mut DynWriter<'_>) -> Result<()> {
    let boot = classic_boot(node)?;
    if let ClassicBoot::Kernel {
        kernel,
        mode_args,
        node,
        ..
    } = boot
    {
        for arg in mode_args.iter().flatten() {
            if let ModeArg::Url { url, field, .. } = arg {
                check_value(url.as_str(), *field)?;
            }
        }
        // The node's own first: the whole-site check reports the site's once, by itself.
        check_kernel_args(&node.kernel_args.node, Field::NodeKernelArgs)?;
        check_kernel_args(&node.kernel_args.site, Field::KernelArgs)?;
        let arguments = arguments_len(&mode_args, node);
        let image = "BOOT_IMAGE=/".len() + node.id.as_str().len() + 1 + kernel.as_str().len();
        let rest = if arguments > 0 { 1 + arguments } else { 0 };
        check_command_line(image + 1 + BOOTIF_LEN + rest)?;
    }
    let mode = mode_text(node);
    let mut g = GrubWriter::new(out);
    g.comment(comment!("GRUB config generated by ipxegen."))?;
    g.echo(&[
        Piece::Own(text!("ipxegen: node")),
        Piece::Id(node.id),
        Piece::Own(text!("boot mode")),
        Piece::Own(mode),
    ])?;
    match boot {
        ClassicBoot::Local => {
            g.echo(&[Piece::Own(text!(
                "Leaving GRUB so the firmware boots the next device (the local disk)"
            ))])?;
            g.command(words!("exit")).end()
        }
        ClassicBoot::Kernel {
            kernel,
            ramdisk,
            mode_args,
            node,
        } => {
            g.split_boot_mac()?;
            g.echo(&[
                Piece::Own(text!("Loading the kernel and initrd of node")),
                Piece::Id(node.id),
            ])?;
            g.command(words!("linux"))
                .node_file(node.id, kernel)
                .expansion(BOOTIF)
                .arguments(&mode_args, node)
                .end()?;
            g.command(words!("initrd"))
                .node_file(node.id, ramdisk)
                .end()?;
            g.echo(&[Piece::Own(text!("Booting node")), Piece::Id(node.id)])?;
            g.command(words!("boot")).end()?;
            g.echo(&[
                Piece::Own(text!("ipxegen: booting node")),
                Piece::Id(node.id),
                Piece::Own(text!("failed: rebooting in 30 seconds")),
            ])?;
            g.command(words!("sleep")).number(30).end()?;
            g.command(words!("reboot")).end()
        }
    }
}

/// The node's mode, for its first line.
const fn mode_text(node: &Node<'_>) -> Text {
    match node.boot.mode() {
        crate::model::Mode::Deploy => text!("deploy"),
        crate::model::Mode::Local => text!("local"),
        crate::model::Mode::Ramdisk => text!("ramdisk"),
        crate::model::Mode::Iso => text!("iso"),
        crate::model::Mode::Iscsi => text!("iscsi"),
        crate::model::Mode::Anaconda => text!("anaconda"),
        crate::model::Mode::Chain => text!("chain"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_line_is_what_the_writer_writes() {
        let mut buf = [0u8; 256];
        let len =
            crate::output::write_to_slice(&mut buf, |out| GrubWriter::new(out).split_boot_mac())
                .unwrap();
        assert_eq!(&buf[..len], format_line(SPLIT_BOOT_MAC).as_bytes());
    }

    fn format_line(line: &str) -> heapless::String<256> {
        let mut s = heapless::String::new();
        s.push_str(line).unwrap();
        s.push('\n').unwrap();
        s
    }

    #[test]
    fn word_rules() {
        for good in [&b"linux"[..], b"--set=1:m1", b"a#b", b"initrd=x"] {
            assert!(word_ok(good), "{good:?}");
        }
        for bad in [
            &b""[..],
            b"#x",
            b"a;b",
            b"a$b",
            b"a'b",
            b"a\"b",
            b"a\\b",
            b"{",
            b"in",
            b"[[",
            b"a|b",
            b"a b",
            b"caf\xc3\xa9",
        ] {
            assert!(!word_ok(bad), "{bad:?}");
        }
    }

    #[test]
    fn values_grub_would_change_are_refused() {
        assert_eq!(
            check_value("console=ttyS0,115200;x&y$z#w", Field::NodeKernelArgs),
            Ok(())
        );
        assert_eq!(
            check_value("a'b", Field::NodeKernelArgs),
            Err(Error::at(
                ErrorKind::GrubQuote(At {
                    character: '\'',
                    position: 2
                }),
                Field::NodeKernelArgs
            ))
        );
        assert_eq!(
            check_value("x=\"y\"", Field::KernelArgs).unwrap_err().kind,
            ErrorKind::GrubQuote(At {
                character: '"',
                position: 3
            })
        );
        assert_eq!(
            check_value("a\u{7f}", Field::KernelArgs).unwrap_err().kind,
            ErrorKind::ControlByte(At {
                character: '\u{7f}',
                position: 2
            })
        );
    }
}
