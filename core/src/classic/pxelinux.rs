//! The only code in ipxegen that writes PXELINUX config text (`pxelinux.cfg/default`,
//! `<id>/config`).
//!
//! How PXELINUX reads a config (syslinux 6.04, `com32/elflink/ldlinux/readconfig.c`,
//! `parse_config_file` and `record`):
//! - A line is read with `fgets` into a 4096-byte buffer: a line longer than 4095 bytes (its
//!   `\n` included) is cut there, and the rest is read as a line of its own, where it could
//!   start with a keyword. The first `\r` or `\n` ends the line; a NUL ends it too.
//! - Leading whitespace (any byte up to a space) is skipped. A keyword matches without regard
//!   to case and must be followed by whitespace or the end of the line; a line that starts
//!   with no keyword is ignored, which is what makes `#` lines comments. There are no `#`
//!   comments inside a line, no quoting and no escaping.
//! - `KERNEL` (and `LINUX`), `INITRD`, `APPEND`, `DEFAULT` and `SAY` take the rest of the
//!   line as it is; `LABEL` takes one word. The first whitespace ends a kernel's file name
//!   (what follows would be arguments), `,` separates initrd files (`INITRD a,b` loads two),
//!   `::` starts a path from the TFTP root; other paths are relative to the directory
//!   `pxelinux.0` was loaded from.
//! - The command line the kernel gets is `BOOT_IMAGE=` and the kernel's path, `APPEND`'s text
//!   (none for `APPEND -`), then ` initrd=` and `INITRD`'s text, then, with `IPAPPEND 2` (the
//!   `SYSAPPEND` bit for `BOOTIF`), ` BOOTIF=01-aa-bb-cc-dd-ee-ff`: the NIC PXELINUX booted
//!   through (Debian's PXELINUX 6.04 under QEMU: `BOOT_IMAGE=n1/deploy_kernel console=ttyS0
//!   initrd=n1/deploy_ramdisk BOOTIF=01-52-54-00-12-34-56`).
//! - `PROMPT 0` with no `UI` boots `DEFAULT` at once; `LOCALBOOT 0` hands back to the BIOS,
//!   which boots its next device (the local disk).
//!
//! So a line holds ipxegen's own text ([`Keyword`], [`Text`]: checked when the program is
//! built, printable ASCII only) or a validated value of the site: node ids and image names
//! (path segments of `[A-Za-z0-9._-]`, no `,`), URLs (no whitespace or control byte), and
//! kernel arguments, each word printable ASCII without whitespace (checked again here: a
//! control byte is refused naming the field, [`ErrorKind::ControlByte`]). No line can reach
//! [`LINE_MAX`]; nothing is escaped or cut.

use crate::classic::{
    BOOTIF_LEN, ClassicBoot, ModeArg, arguments_len, check_command_line, classic_boot,
};
use crate::error::{At, Error, ErrorKind, Field, Result};
use crate::limits::{KERNEL_ARGS_MAX, NODE_ID_MAX, URL_MAX};
use crate::model::{ImageName, KernelArgs, Node, NodeId};
use crate::output::DynWriter;
use embedded_io::Write;

/// Longest line PXELINUX reads whole, its `\n` included (its buffer is 4096 bytes with the
/// NUL).
pub const LINE_MAX: usize = 4095;

// The longest line written (`APPEND` with both anaconda URLs and every kernel argument) fits.
const _: () = assert!(
    "  APPEND ".len() + "inst.stage2=".len() + "inst.ks=".len() + 2 * URL_MAX + KERNEL_ARGS_MAX + 3
        < LINE_MAX
);
const _: () = assert!("  INITRD ".len() + NODE_ID_MAX + 32 < LINE_MAX);

/// A PXELINUX keyword: upper-case ASCII letters (PXELINUX matches them in any case).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keyword(&'static str);

impl Keyword {
    /// Checks `word` (use it in a `const`, so a bad keyword does not compile).
    pub const fn new(word: &'static str) -> Keyword {
        let mut rest = word.as_bytes();
        assert!(!rest.is_empty(), "a keyword is not empty");
        while let [b, tail @ ..] = rest {
            assert!(b.is_ascii_uppercase(), "a keyword is upper-case letters");
            rest = tail;
        }
        Keyword(word)
    }
}

/// Text of ipxegen's own on a line (a `SAY` message, a comment, a label): printable ASCII,
/// not empty, no leading or trailing space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text(&'static str);

impl Text {
    /// Checks `text` (use it in a `const`).
    pub const fn new(text: &'static str) -> Text {
        let bytes = text.as_bytes();
        assert!(
            matches!(bytes, [first, .., last] if *first != b' ' && *last != b' ')
                || matches!(bytes, [only] if *only != b' '),
            "text is not empty and not padded"
        );
        let mut rest = bytes;
        while let [b, tail @ ..] = rest {
            assert!(*b >= 0x20 && *b < 0x7f, "text is printable ASCII");
            rest = tail;
        }
        Text(text)
    }
}

macro_rules! keyword {
    ($word:literal) => {{
        const KEYWORD: Keyword = Keyword::new($word);
        KEYWORD
    }};
}

macro_rules! text {
    ($text:literal) => {{
        const TEXT: Text = Text::new($text);
        TEXT
    }};
}

/// Writes a PXELINUX config, line by line, to any [`embedded_io::Write`].
pub struct PxelinuxWriter<'w, W: Write> {
    out: &'w mut W,
}

/// One line being written; finish it with [`Line::end`].
#[must_use = "a line must be finished with end()"]
pub struct Line<'s, W: Write> {
    out: &'s mut W,
    error: Option<Error>,
    len: usize,
}

impl<'w, W: Write> PxelinuxWriter<'w, W> {
    /// A writer that appends to `out`.
    pub fn new(out: &'w mut W) -> Self {
        PxelinuxWriter { out }
    }

    /// Writes `# text`.
    ///
    /// # Errors
    /// A write error.
    pub fn comment(&mut self, text: Text) -> Result<()> {
        self.start("#").text(text).end()
    }

    /// Starts a line with `keyword`.
    pub fn line(&mut self, keyword: Keyword) -> Line<'_, W> {
        self.start(keyword.0)
    }

    /// Starts a line of a `LABEL`'s block with `keyword`, indented.
    pub fn indented(&mut self, keyword: Keyword) -> Line<'_, W> {
        let mut line = self.start("  ");
        line.put(keyword.0.as_bytes());
        line
    }

    fn start(&mut self, first: &str) -> Line<'_, W> {
        let mut line = Line {
            out: self.out,
            error: None,
            len: 0,
        };
        line.put(first.as_bytes());
        line
    }
}

impl<W: Write> Line<'_, W> {
    fn put(&mut self, bytes: &[u8]) {
        self.len = self.len.saturating_add(bytes.len());
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

    /// Appends ipxegen's own text.
    pub fn text(mut self, text: Text) -> Self {
        self.put(b" ");
        self.put(text.0.as_bytes());
        self
    }

    /// Appends a node id.
    pub fn id(mut self, id: NodeId<'_>) -> Self {
        self.put(b" ");
        self.put(id.as_str().as_bytes());
        self
    }

    /// Appends the path of an image placed in the node's directory, `<id>/<name>`, relative
    /// to the TFTP root (where `pxelinux.0` is).
    pub fn node_file(mut self, id: NodeId<'_>, name: ImageName) -> Self {
        self.put(b" ");
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

    /// Refuses a value of `field` holding a control byte or whitespace, which would end the
    /// line or split the value.
    fn check(&mut self, value: &str, field: Field) {
        if let Some((i, _)) = value
            .char_indices()
            .find(|(_, c)| c.is_control() || c.is_whitespace())
        {
            let kind =
                At::in_value(value, i).map_or(ErrorKind::BadCharacter, ErrorKind::ControlByte);
            self.fail(Error::at(kind, field));
        }
    }

    /// Appends one argument of the command line.
    fn argument(&mut self, word: &str, field: Field) {
        self.check(word, field);
        self.put(b" ");
        self.put(word.as_bytes());
    }

    /// Appends the mode's arguments, then the site's and the node's kernel arguments.
    fn arguments(mut self, mode_args: &[Option<ModeArg<'_>>; 2], node: &Node<'_>) -> Self {
        for arg in mode_args.iter().flatten() {
            match arg {
                ModeArg::Plain(text) => self.argument(text, Field::Mode),
                ModeArg::Url { key, url, field } => {
                    self.check(url.as_str(), *field);
                    self.put(b" ");
                    self.put(key.as_bytes());
                    self.put(b"=");
                    self.put(url.as_str().as_bytes());
                }
            }
        }
        let mut each = |args: &KernelArgs<'_>, field: Field| {
            args.for_each_word(|word| self.argument(word, field));
        };
        each(&node.kernel_args.site, Field::KernelArgs);
        each(&node.kernel_args.node, Field::NodeKernelArgs);
        self
    }

    /// Ends the line.
    ///
    /// # Errors
    /// The first write error or refused value; an internal error if the line reached
    /// [`LINE_MAX`] (the limits make that impossible).
    pub fn end(mut self) -> Result<()> {
        self.put(b"\n");
        if self.len > LINE_MAX {
            self.fail(Error::new(ErrorKind::Internal));
        }
        self.error.map_or(Ok(()), Err)
    }
}

/// A value a template writes into a PXELINUX config ([`crate::classic::template`]).
#[derive(Clone, Copy, Debug)]
pub(crate) enum PxelinuxValue<'n, 'a> {
    /// `<id>/<name>`: a file of the node's directory, relative to `pxelinux.0`'s.
    NodeFile(NodeId<'a>, ImageName),
    /// The mode's arguments, then the site's and the node's kernel arguments, separated by
    /// single spaces.
    Arguments(&'n [Option<ModeArg<'a>>; 2], &'n Node<'a>),
}

/// Writes `value` as the PXELINUX writer writes it on a line, with the same checks, without
/// the space before it.
///
/// # Errors
/// A value PXELINUX would misread (naming its field), or a write error.
pub(crate) fn write_value<W: Write>(out: &mut W, value: PxelinuxValue<'_, '_>) -> Result<()> {
    let mut out = crate::classic::AfterSpace::new(out);
    let line = Line {
        out: &mut out,
        error: None,
        len: 0,
    };
    let line = match value {
        PxelinuxValue::NodeFile(id, name) => line.node_file(id, name),
        PxelinuxValue::Arguments(mode_args, node) => line.arguments(mode_args, node),
    };
    line.error.map_or(Ok(()), Err)
}

/// Writes `pxelinux.cfg/default`, the config of a machine that has none of its own: it says
/// so and boots from the local disk (`LOCALBOOT 0`: the BIOS boots its next device).
///
/// # Errors
/// A write error.
pub fn write_pxelinux_default<W: Write>(out: &mut W) -> Result<()> {
    write_pxelinux_default_dyn(&mut DynWriter::new(out))
}

/// The body of [`write_pxelinux_default`], for the one writer type it is compiled for.
fn write_pxelinux_default_dyn(out: &mut DynWriter<'_>) -> Result<()> {
    let mut p = PxelinuxWriter::new(out);
    p.comment(text!(
        "PXELINUX config generated by ipxegen, for machines without a config of their own."
    ))?;
    p.line(keyword!("SAY"))
        .text(text!("ipxegen: no PXELINUX config for this machine (its MAC address has none): booting from the local disk"))
        .end()?;
    p.line(keyword!("DEFAULT")).text(text!("local")).end()?;
    p.line(keyword!("PROMPT")).number(0).end()?;
    p.line(keyword!("LABEL")).text(text!("local")).end()?;
    p.indented(keyword!("LOCALBOOT")).number(0).end()
}

/// Writes the PXELINUX config of `node` (`<id>/config`, reached through
/// `pxelinux.cfg/01-<mac>`): a `SAY` line naming the node and its mode, then one `LABEL`
/// booted at once: `KERNEL`, `INITRD` and `APPEND` for a kernel, with `IPAPPEND 2` for
/// `BOOTIF`, or `LOCALBOOT 0`.
///
/// # Errors
/// [`ErrorKind::ModeNeedsIpxe`] naming `mode` for `iso`, `iscsi` and `chain`;
/// [`ErrorKind::NeedsLocalFile`] for a kernel or ramdisk given as a URL;
/// [`ErrorKind::CommandLineTooLong`]; a write error.
pub fn write_pxelinux_node<W: Write>(node: &Node<'_>, out: &mut W) -> Result<()> {
    write_pxelinux_node_dyn(node, &mut DynWriter::new(out))
}

/// The body of [`write_pxelinux_node`], for the one writer type it is compiled for.
pub(crate) fn write_pxelinux_node_dyn(node: &Node<'_>, out: &mut DynWriter<'_>) -> Result<()> {
    let boot = classic_boot(node)?;
    let mut p = PxelinuxWriter::new(out);
    p.comment(text!("PXELINUX config generated by ipxegen."))?;
    p.line(keyword!("SAY"))
        .text(text!("ipxegen: node"))
        .id(node.id)
        .text(text!("boot mode"))
        .text(mode_text(node))
        .end()?;
    p.line(keyword!("DEFAULT")).text(mode_text(node)).end()?;
    p.line(keyword!("PROMPT")).number(0).end()?;
    p.line(keyword!("LABEL")).text(mode_text(node)).end()?;
    match boot {
        ClassicBoot::Local => p.indented(keyword!("LOCALBOOT")).number(0).end(),
        ClassicBoot::Kernel {
            kernel,
            ramdisk,
            mode_args,
            node,
        } => {
            // `BOOT_IMAGE=<kernel> <APPEND> initrd=<INITRD> BOOTIF=01-...`, as PXELINUX 6.04
            // builds it (seen on the kernel's console).
            let id = node.id.as_str().len();
            let image = "BOOT_IMAGE=".len() + id + 1 + kernel.as_str().len();
            let arguments = arguments_len(&mode_args, node);
            let initrd = " initrd=".len() + id + 1 + ramdisk.as_str().len();
            check_command_line(image + 1 + arguments + initrd + 1 + BOOTIF_LEN)?;
            p.indented(keyword!("KERNEL"))
                .node_file(node.id, kernel)
                .end()?;
            p.indented(keyword!("INITRD"))
                .node_file(node.id, ramdisk)
                .end()?;
            if arguments > 0 {
                p.indented(keyword!("APPEND"))
                    .arguments(&mode_args, node)
                    .end()?;
            }
            p.indented(keyword!("IPAPPEND")).number(2).end()
        }
    }
}

/// The node's mode as a label and in its `SAY` line.
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
    fn own_text_rules() {
        assert_eq!(Text::new("a b").0, "a b");
        assert_eq!(Keyword::new("APPEND").0, "APPEND");
    }
}
