//! PXELINUX and GRUB configs as a template format ([`crate::template`]): the classic flow's
//! `pxe_config_template` (a node's `<id>/config`, which PXELINUX reads) and
//! `grub_config_template` (its `<id>/grub.cfg`, which GRUB reads).
//!
//! # Placeholders
//!
//! [`PLACEHOLDERS`] is the one table of them (README's is generated from it). Each value is
//! written by the loader's own writer ([`super::pxelinux`], [`super::grub`]), with its checks:
//! the same bytes as in the built-in config.
//!
//! # Where a value may stand
//!
//! The parser follows the literal text as the loader reads it and refuses a placeholder where
//! the loader would take its value for something else:
//! - PXELINUX reads a line as a keyword and its argument: a value in the keyword (the first
//!   word of a line) is refused.
//! - GRUB reads a line like a shell: a value in a command's name (the first word of a line,
//!   or after `;`, `{`, `}`, `then`, `do`, `else`), after `$` or inside `${...}` is refused.
//!   Values of whole words (`arguments`, `kernel_args`, `bootif`) carry GRUB's quotes
//!   themselves, so they may not stand inside quotes. `bootif` reads `$m1` to `$m6`: the line
//!   that sets them ([`super::grub::SPLIT_BOOT_MAC`]) must come before it.
//! - In both, a value of whole words must stand between whitespace, not joined to other text.
//!
//! Values of one word (`node_id`, `mode`, `kernel`, `initrd`) hold only letters, digits and
//! `._-/`: they read the same anywhere else, quoted or not.
//!
//! A config a template writes is checked by rendering it for every node
//! ([`crate::site::Site::check_with`]): each value the node lacks, a config longer than the
//! check's buffer, and a line longer than [`LINE_MAX`] (the loaders would cut the kernel
//! command line built from it) are refused.

use crate::classic::grub::{self, GrubValue, SPLIT_BOOT_MAC};
use crate::classic::pxelinux::{self, PxelinuxValue};
use crate::classic::{BOOTIF_LEN, COMMAND_LINE_MAX, ClassicBoot, classic_boot};
use crate::error::Result;
use crate::model::{ImageName, Mode, Node};
use crate::output::DynWriter;
use crate::output::write_all;
use crate::schema::Modes;
use crate::template::{
    Format, FormatId, Name, RenderError, Renderer, Shape, Template, TemplateErrorKind, nearest_row,
};
use embedded_io::Write;

/// Longest line a classic template may render: an x86 kernel's command line
/// ([`COMMAND_LINE_MAX`]) less what the loaders add to it (`BOOT_IMAGE=` and the kernel's
/// path, `BOOTIF=`, `initrd=`), so that a line of arguments is never cut.
pub const LINE_MAX: usize = COMMAND_LINE_MAX - BOOTIF_LEN - 2 * ("BOOT_IMAGE=/".len() + 80);

/// The classic template format ([`Format`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classic;

/// Which loader's config a template writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loader {
    /// A node's PXELINUX config (`pxe_config_template`).
    Pxelinux,
    /// A node's GRUB config (`grub_config_template`).
    Grub,
}

/// The loaders whose configs have a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loaders {
    /// GRUB's only.
    Grub,
    /// Both.
    Both,
}

impl Loaders {
    /// What messages and the README call them.
    pub const fn as_str(self) -> &'static str {
        match self {
            Loaders::Grub => "GRUB configs",
            Loaders::Both => "both",
        }
    }

    const fn has(self, loader: Loader) -> bool {
        matches!(
            (self, loader),
            (Loaders::Both, _) | (Loaders::Grub, Loader::Grub)
        )
    }
}

/// How a value stands in a line, for the placement rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Words {
    /// A condition: writes nothing.
    None,
    /// One word of letters, digits and `._-/`.
    One,
    /// Whole words, separated by single spaces (GRUB: each quoted).
    Several,
}

/// A name a classic template may use; its row of [`PLACEHOLDERS`] says what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs, reason = "each is documented by its row of the table")]
pub enum Placeholder {
    NodeId,
    Mode,
    Kernel,
    Initrd,
    Arguments,
    KernelArgs,
    Bootif,
    ModeIs(Mode),
}

/// One row of the table of placeholders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlaceholderInfo {
    /// The placeholder.
    pub placeholder: Placeholder,
    /// The name, as templates write it (`mode_<mode>`: one name per word of the field).
    pub name: &'static str,
    /// Value or condition.
    pub shape: Shape<Placeholder>,
    /// The loaders whose configs have it.
    pub loaders: Loaders,
    /// The boot modes whose nodes have it.
    pub modes: Modes,
    /// How its value stands in a line.
    pub words: Words,
}

/// Modes that load a kernel and an initrd.
const KERNEL_MODES: Modes = Modes::of(&[Mode::Deploy, Mode::Ramdisk, Mode::Anaconda]);

/// The modes the classic flow boots.
const CLASSIC_MODES: Modes = Modes::of(&[Mode::Deploy, Mode::Ramdisk, Mode::Anaconda, Mode::Local]);

/// Every name classic templates may use, in the order the README lists them: the one table
/// of them (a test checks that the README's table is this one).
pub static PLACEHOLDERS: [PlaceholderInfo; 8] = [
    PlaceholderInfo {
        placeholder: Placeholder::NodeId,
        name: "node_id",
        shape: Shape::Value,
        loaders: Loaders::Both,
        modes: CLASSIC_MODES,
        words: Words::One,
    },
    PlaceholderInfo {
        placeholder: Placeholder::Mode,
        name: "mode",
        shape: Shape::Value,
        loaders: Loaders::Both,
        modes: CLASSIC_MODES,
        words: Words::One,
    },
    PlaceholderInfo {
        placeholder: Placeholder::Kernel,
        name: "kernel",
        shape: Shape::Value,
        loaders: Loaders::Both,
        modes: KERNEL_MODES,
        words: Words::One,
    },
    PlaceholderInfo {
        placeholder: Placeholder::Initrd,
        name: "initrd",
        shape: Shape::Value,
        loaders: Loaders::Both,
        modes: KERNEL_MODES,
        words: Words::One,
    },
    PlaceholderInfo {
        placeholder: Placeholder::Arguments,
        name: "arguments",
        shape: Shape::Value,
        loaders: Loaders::Both,
        modes: KERNEL_MODES,
        words: Words::Several,
    },
    PlaceholderInfo {
        placeholder: Placeholder::KernelArgs,
        name: "kernel_args",
        shape: Shape::Value,
        loaders: Loaders::Both,
        modes: KERNEL_MODES,
        words: Words::Several,
    },
    PlaceholderInfo {
        placeholder: Placeholder::Bootif,
        name: "bootif",
        shape: Shape::Value,
        loaders: Loaders::Grub,
        modes: CLASSIC_MODES,
        words: Words::Several,
    },
    PlaceholderInfo {
        placeholder: Placeholder::ModeIs(Mode::Deploy),
        name: "mode_<mode>",
        shape: Shape::Flag,
        loaders: Loaders::Both,
        modes: CLASSIC_MODES,
        words: Words::None,
    },
];

/// What each placeholder writes (or tests), for the README's table: row for row of
/// [`PLACEHOLDERS`]. A table of its own, so that a program that never shows this text does
/// not hold it.
pub static PLACEHOLDER_TEXTS: [&str; 8] = [
    "the node's `id`",
    "the node's `mode`",
    "the kernel's path in the TFTP root, where the tree places it: `<id>/<name>` for PXELINUX (relative to `pxelinux.0`), `/<id>/<name>` for GRUB",
    "the initrd's path in the TFTP root, as `kernel`'s",
    "the mode's own arguments (`root=/dev/ram0` for `ramdisk`; `inst.ks=` and `inst.repo=` or `inst.stage2=` for `anaconda`), then the site's `kernel_args` and the node's, separated by single spaces (GRUB: each in single quotes); `{{#if arguments}}` holds when there is one",
    "the site's `kernel_args` then the node's, as `arguments` writes them",
    "`\"BOOTIF=01-$m1-$m2-$m3-$m4-$m5-$m6\"`: the MAC of the NIC GRUB booted through, from `$m1` to `$m6`, which the `regexp` line before it sets (PXELINUX appends `BOOTIF` itself: `IPAPPEND 2`)",
    "the node's `mode` is `<mode>` (`mode_deploy`, `mode_local`, ...)",
];

impl Placeholder {
    /// Its row in [`PLACEHOLDERS`].
    pub fn row(self) -> usize {
        PLACEHOLDERS
            .iter()
            .position(|info| match (info.placeholder, self) {
                (Placeholder::ModeIs(_), Placeholder::ModeIs(_)) => true,
                (a, b) => a == b,
            })
            .unwrap_or(0)
    }

    /// Its row of [`PLACEHOLDERS`].
    pub fn info(self) -> &'static PlaceholderInfo {
        PLACEHOLDERS.get(self.row()).unwrap_or(&PLACEHOLDERS[0])
    }

    /// The placeholder a template writes `name` for.
    pub fn from_name(name: &[u8]) -> Option<Placeholder> {
        if let Some(word) = name.strip_prefix(b"mode_") {
            let word = core::str::from_utf8(word).ok()?;
            return Mode::from_word(word).map(Placeholder::ModeIs);
        }
        PLACEHOLDERS
            .iter()
            .find(|info| info.name.as_bytes() == name)
            .map(|info| info.placeholder)
    }

    fn template_name(self) -> Name {
        Name::new(
            FormatId::Classic,
            u8::try_from(self.row()).unwrap_or(u8::MAX),
        )
    }
}

/// The name of row `index` (see [`Name`]).
pub(crate) fn name_text(index: u8) -> &'static str {
    PLACEHOLDERS
        .get(usize::from(index))
        .map_or("", |info| info.name)
}

/// The loaders of row `index`, for messages.
pub(crate) fn name_loaders(index: u8) -> &'static str {
    PLACEHOLDERS
        .get(usize::from(index))
        .map_or("", |info| info.loaders.as_str())
}

impl Format for Classic {
    type Placeholder = Placeholder;
    type Script = Loader;
    type Scanner = Scanner;

    fn placeholder(name: &[u8]) -> Option<Placeholder> {
        Placeholder::from_name(name)
    }

    fn name(p: Placeholder) -> Name {
        p.template_name()
    }

    fn shape(p: Placeholder) -> Shape<Placeholder> {
        p.info().shape
    }

    fn in_script(p: Placeholder, loader: Loader) -> bool {
        p.info().loaders.has(loader)
    }

    fn nearest(name: &[u8]) -> Option<Name> {
        let rows = PLACEHOLDERS.iter().map(|info| info.name);
        nearest_row(FormatId::Classic, rows, name, |row| {
            row == "mode_<mode>" && name.starts_with(b"mode_")
        })
    }

    fn scan_text(
        scanner: &mut Scanner,
        _at: usize,
        text: &[u8],
    ) -> core::result::Result<(), (usize, TemplateErrorKind)> {
        for &b in text {
            scanner.byte(b)?;
        }
        Ok(())
    }

    fn scan_value(
        scanner: &mut Scanner,
        at: usize,
        p: Placeholder,
    ) -> core::result::Result<(), (usize, TemplateErrorKind)> {
        scanner.value(at, p)
    }
}

/// Quoting inside a GRUB word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// What [`Template::parse`] knows of the config text before a placeholder (see the module
/// docs). One scanner serves both loaders: PXELINUX's rules are GRUB's first-word rule, and
/// its text has no quotes, `$` or `;` that a value would stand in.
#[derive(Debug)]
pub struct Scanner {
    /// A word is being read.
    in_word: bool,
    /// It is the line's (or command's) first word.
    word_is_command: bool,
    /// The next word is a command's name (or PXELINUX's keyword).
    expect_command: bool,
    /// The rest of the line is a comment.
    comment: bool,
    /// GRUB's quoting at this point.
    quote: Quote,
    /// The byte before was a `\` outside single quotes (it escapes this one).
    escaped: bool,
    /// The byte before (`$` starts an expansion).
    previous: u8,
    /// Inside `${...}`.
    in_braces: bool,
    /// Inside a variable's name after `$` (`$net_default_mac`).
    variable: bool,
    /// The current word's first bytes (for GRUB's reserved words), and how many it has.
    word: [u8; 6],
    word_len: usize,
    /// The current line so far, compared with [`SPLIT_BOOT_MAC`].
    line_len: usize,
    line_is_split: bool,
    /// A line equal to [`SPLIT_BOOT_MAC`] was read.
    split_seen: bool,
    /// A value of whole words that must be followed by whitespace, and where it is.
    whole: Option<(usize, Placeholder)>,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner {
            in_word: false,
            word_is_command: false,
            expect_command: true,
            comment: false,
            quote: Quote::None,
            escaped: false,
            previous: 0,
            in_braces: false,
            variable: false,
            word: [0; 6],
            word_len: 0,
            line_len: 0,
            line_is_split: true,
            split_seen: false,
            whole: None,
        }
    }
}

/// GRUB's words after which a command's name comes.
const BEFORE_COMMAND: [&[u8]; 7] = [b"then", b"do", b"else", b"if", b"elif", b"while", b"until"];

impl Scanner {
    fn end_word(&mut self) {
        if !self.in_word || self.quote != Quote::None {
            return;
        }
        self.in_word = false;
        let word = self.word.get(..self.word_len).unwrap_or_default();
        let keyword = self.word_is_command && BEFORE_COMMAND.contains(&word);
        self.expect_command = keyword || word == b"!";
        if !keyword && self.word_is_command && word == b"!" {
            self.expect_command = true;
        }
    }

    fn byte(&mut self, b: u8) -> core::result::Result<(), (usize, TemplateErrorKind)> {
        let space = b == b' ' || b == b'\t' || b == b'\n';
        if let Some((place, p)) = self.whole.take()
            && !space
        {
            let name = p.template_name();
            return Err((place, TemplateErrorKind::NotWholeArguments { name }));
        }
        if b == b'\n' {
            if self.line_is_split && self.line_len == SPLIT_BOOT_MAC.len() {
                self.split_seen = true;
            }
            self.line_len = 0;
            self.line_is_split = true;
        } else {
            let expected = SPLIT_BOOT_MAC.as_bytes().get(self.line_len);
            self.line_is_split &= expected == Some(&b);
            self.line_len = self.line_len.saturating_add(1);
        }
        let previous = core::mem::replace(&mut self.previous, b);
        if self.escaped {
            self.escaped = false;
            if b != b'\n' {
                self.note(b);
            }
            return Ok(());
        }
        if b == b'\n' {
            // A quote open at the end of a line goes on in the next (GRUB); a comment ends.
            self.comment = false;
            if self.quote == Quote::None {
                self.end_word();
                self.expect_command = true;
                self.in_braces = false;
            }
            return Ok(());
        }
        if self.comment {
            return Ok(());
        }
        self.variable = self.quote != Quote::Single
            && (b == b'$' || (self.variable && (b.is_ascii_alphanumeric() || b == b'_')));
        match (self.quote, b) {
            (Quote::Single, b'\'') => self.quote = Quote::None,
            (Quote::Single, _) => {}
            (Quote::Double, b'"') => self.quote = Quote::None,
            (Quote::Double, b'\\') => self.escaped = true,
            (Quote::Double, _) => self.brace(previous, b),
            (Quote::None, b' ' | b'\t') => self.end_word(),
            (Quote::None, b'{') if previous == b'$' => {
                self.in_braces = true;
                self.note(b);
            }
            (Quote::None, b'}') if self.in_braces => {
                self.in_braces = false;
                self.note(b);
            }
            (Quote::None, b';' | b'{' | b'}' | b'|' | b'&') => {
                self.end_word();
                self.expect_command = true;
            }
            (Quote::None, b'#') if !self.in_word => self.comment = true,
            (Quote::None, _) => {
                if !self.in_word {
                    self.in_word = true;
                    self.word_is_command = self.expect_command;
                    self.word_len = 0;
                }
                match b {
                    b'\'' => self.quote = Quote::Single,
                    b'"' => self.quote = Quote::Double,
                    b'\\' => self.escaped = true,
                    _ => self.brace(previous, b),
                }
                self.note(b);
            }
        }
        Ok(())
    }

    /// Follows `${` and `}` (outside single quotes).
    fn brace(&mut self, previous: u8, b: u8) {
        if previous == b'$' && b == b'{' {
            self.in_braces = true;
        } else if b == b'}' {
            self.in_braces = false;
        }
    }

    /// Keeps the first bytes of the word.
    fn note(&mut self, b: u8) {
        if let Some(slot) = self.word.get_mut(self.word_len) {
            *slot = b;
        }
        self.word_len = self.word_len.saturating_add(1);
    }

    fn value(
        &mut self,
        at: usize,
        p: Placeholder,
    ) -> core::result::Result<(), (usize, TemplateErrorKind)> {
        let name = p.template_name();
        if let Some((place, before)) = self.whole.take() {
            let name = before.template_name();
            return Err((place, TemplateErrorKind::NotWholeArguments { name }));
        }
        let refuse = |kind| Err((at, kind));
        self.line_is_split = false;
        self.line_len = self.line_len.saturating_add(1);
        if self.comment {
            return Ok(());
        }
        if self.in_braces || self.variable {
            return refuse(TemplateErrorKind::InExpansion { name });
        }
        if p == Placeholder::Bootif && !self.split_seen {
            return refuse(TemplateErrorKind::BootifUnset { name });
        }
        let several = p.info().words == Words::Several;
        if several && self.quote != Quote::None {
            return refuse(TemplateErrorKind::InQuotes { name });
        }
        if self.in_word {
            if self.word_is_command {
                return refuse(TemplateErrorKind::CommandPosition { name });
            }
            if several {
                return refuse(TemplateErrorKind::NotWholeArguments { name });
            }
        } else {
            if self.expect_command {
                return refuse(TemplateErrorKind::CommandPosition { name });
            }
            self.in_word = true;
            self.word_is_command = false;
            self.word_len = 0;
            if several {
                self.whole = Some((at, p));
            }
        }
        // A value is no reserved word, `$` or `\`.
        self.word_len = self.word.len().saturating_add(1);
        self.previous = 0;
        self.variable = false;
        Ok(())
    }
}

/// Writes the config `loader` reads for `node` from `template`.
///
/// # Errors
/// A value the node does not have where the template needs it
/// ([`TemplateErrorKind::NotForMode`], at the placeholder's line and column), a value the
/// loader would misread (naming its field, as the built-in config's writer does), or a write
/// error.
pub fn write_node_config<W: Write>(
    template: &Template<'_, Classic>,
    node: &Node<'_>,
    out: &mut W,
) -> Result<()> {
    write_node_config_dyn(template, node, &mut DynWriter::new(out))
}

/// The body of [`write_node_config`], for the one writer type it is compiled for.
pub(crate) fn write_node_config_dyn(
    template: &Template<'_, Classic>,
    node: &Node<'_>,
    out: &mut DynWriter<'_>,
) -> Result<()> {
    let boot = classic_boot(node)?;
    let mut renderer = NodeRenderer {
        loader: template.script(),
        node,
        boot,
        out,
    };
    template.render(&mut renderer)
}

/// Renders a node's classic config.
struct NodeRenderer<'s, 'n, 'a, W: Write> {
    loader: Loader,
    node: &'n Node<'a>,
    boot: ClassicBoot<'n, 'a>,
    out: &'s mut W,
}

impl<W: Write> NodeRenderer<'_, '_, '_, W> {
    /// The node's image `p` (`kernel`, `initrd`), if its mode loads one.
    fn image(&self, p: Placeholder) -> Option<ImageName> {
        match (p, self.boot) {
            (Placeholder::Kernel, ClassicBoot::Kernel { kernel, .. }) => Some(kernel),
            (Placeholder::Initrd, ClassicBoot::Kernel { ramdisk, .. }) => Some(ramdisk),
            _ => None,
        }
    }
}

impl<W: Write> Renderer<Classic> for NodeRenderer<'_, '_, '_, W> {
    fn text(&mut self, _at: usize, text: &[u8]) -> Result<()> {
        // Validated by the parser: printable ASCII, tabs and line feeds.
        write_all(self.out, text)
    }

    fn value(&mut self, _at: usize, p: Placeholder) -> core::result::Result<(), RenderError> {
        let node = self.node;
        let missing = || {
            let name = p.template_name();
            RenderError::Missing(TemplateErrorKind::NotForMode {
                name,
                mode: node.boot.mode(),
            })
        };
        let written = match (p, self.loader, self.boot) {
            (Placeholder::NodeId, ..) => write_all(self.out, node.id.as_str().as_bytes()),
            (Placeholder::Mode, ..) => write_all(self.out, node.boot.mode().as_str().as_bytes()),
            (Placeholder::Kernel | Placeholder::Initrd, loader, _) => {
                let name = self.image(p).ok_or_else(missing)?;
                match loader {
                    Loader::Pxelinux => {
                        pxelinux::write_value(self.out, PxelinuxValue::NodeFile(node.id, name))
                    }
                    Loader::Grub => grub::write_value(self.out, GrubValue::NodeFile(node.id, name)),
                }
            }
            (
                Placeholder::Arguments | Placeholder::KernelArgs,
                loader,
                ClassicBoot::Kernel { mode_args, .. },
            ) => {
                let mode_args = match p {
                    Placeholder::Arguments => mode_args,
                    _ => [None, None],
                };
                match loader {
                    Loader::Pxelinux => {
                        pxelinux::write_value(self.out, PxelinuxValue::Arguments(&mode_args, node))
                    }
                    Loader::Grub => {
                        grub::write_value(self.out, GrubValue::Arguments(&mode_args, node))
                    }
                }
            }
            (Placeholder::Bootif, Loader::Grub, _) => {
                grub::write_value(self.out, GrubValue::Bootif)
            }
            _ => return Err(missing()),
        };
        written.map_err(RenderError::Write)
    }

    fn present(&mut self, p: Placeholder) -> bool {
        let node = self.node;
        match (p, self.boot) {
            (Placeholder::ModeIs(mode), _) => node.boot.mode() == mode,
            (Placeholder::NodeId | Placeholder::Mode, _) => true,
            (Placeholder::Bootif, _) => self.loader == Loader::Grub,
            (Placeholder::Kernel | Placeholder::Initrd, _) => self.image(p).is_some(),
            (Placeholder::Arguments, ClassicBoot::Kernel { mode_args, .. }) => {
                mode_args.iter().any(Option::is_some) || !node.kernel_args.is_empty()
            }
            (Placeholder::KernelArgs, ClassicBoot::Kernel { .. }) => !node.kernel_args.is_empty(),
            (Placeholder::Arguments | Placeholder::KernelArgs, ClassicBoot::Local) => false,
        }
    }

    fn items(&mut self, _p: Placeholder) -> usize {
        0
    }

    fn select_item(&mut self, _p: Placeholder, _index: usize) {}
}

/// The first line of `config` (a rendered classic config) longer than [`LINE_MAX`]: its
/// number, from 1.
pub fn long_line(config: &[u8]) -> Option<usize> {
    config
        .split(|&b| b == b'\n')
        .position(|line| line.len() > LINE_MAX)
        .map(|i| i.saturating_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(template: &str, loader: Loader) -> Option<TemplateErrorKind> {
        Template::<Classic>::parse(template.as_bytes(), loader)
            .err()
            .map(|e| e.kind)
    }

    fn name(p: Placeholder) -> Name {
        p.template_name()
    }

    #[test]
    fn every_row_is_its_placeholder() {
        for (row, info) in PLACEHOLDERS.iter().enumerate() {
            let written = match info.name {
                "mode_<mode>" => "mode_local",
                plain => plain,
            };
            let p = Placeholder::from_name(written.as_bytes()).unwrap();
            assert_eq!(p.row(), row, "{}", info.name);
        }
        assert_eq!(
            Placeholder::from_name(b"mode_iso"),
            Some(Placeholder::ModeIs(Mode::Iso))
        );
        assert_eq!(Placeholder::from_name(b"mode_x"), None);
        assert_eq!(
            Classic::nearest(b"kernal").map(Name::as_str),
            Some("kernel")
        );
    }

    #[test]
    fn placeholders_a_loader_would_misread_are_refused() {
        use TemplateErrorKind as K;
        let split = SPLIT_BOOT_MAC;
        let cases: &[(&str, Loader, Option<K>)] = &[
            (
                "{{ kernel }}\n",
                Loader::Pxelinux,
                Some(K::CommandPosition {
                    name: name(Placeholder::Kernel),
                }),
            ),
            (
                "  K{{ node_id }} x\n",
                Loader::Pxelinux,
                Some(K::CommandPosition {
                    name: name(Placeholder::NodeId),
                }),
            ),
            (
                "  APPEND a{{ arguments }}\n",
                Loader::Pxelinux,
                Some(K::NotWholeArguments {
                    name: name(Placeholder::Arguments),
                }),
            ),
            (
                "  APPEND {{ arguments }}x\n",
                Loader::Pxelinux,
                Some(K::NotWholeArguments {
                    name: name(Placeholder::Arguments),
                }),
            ),
            (
                "  APPEND {{ kernel_args }} {{ arguments }}\n",
                Loader::Pxelinux,
                None,
            ),
            ("# {{ kernel }} anything\n", Loader::Pxelinux, None),
            (
                "LABEL {{ mode }}\n  KERNEL {{ kernel }}\n",
                Loader::Pxelinux,
                None,
            ),
            (
                "echo {{ bootif }}\n",
                Loader::Pxelinux,
                Some(K::NotInScript {
                    name: name(Placeholder::Bootif),
                }),
            ),
            (
                "echo x; {{ kernel }}\n",
                Loader::Grub,
                Some(K::CommandPosition {
                    name: name(Placeholder::Kernel),
                }),
            ),
            (
                "if true; then {{ kernel }}; fi\n",
                Loader::Grub,
                Some(K::CommandPosition {
                    name: name(Placeholder::Kernel),
                }),
            ),
            ("echo ${{{ node_id }}}\n", Loader::Grub, Some(K::BadTag)),
            (
                "echo ${a{{ node_id }}}\n",
                Loader::Grub,
                Some(K::InExpansion {
                    name: name(Placeholder::NodeId),
                }),
            ),
            (
                "echo \"$x{{ node_id }}\"\n",
                Loader::Grub,
                Some(K::InExpansion {
                    name: name(Placeholder::NodeId),
                }),
            ),
            ("echo '$x{{ node_id }}'\n", Loader::Grub, None),
            (
                "echo 'node {{ node_id }} mode {{ mode }}'\n",
                Loader::Grub,
                None,
            ),
            (
                "linux {{ kernel }} '{{ arguments }}'\n",
                Loader::Grub,
                Some(K::InQuotes {
                    name: name(Placeholder::Arguments),
                }),
            ),
            (
                "linux {{ kernel }} \"{{ kernel_args }}\"\n",
                Loader::Grub,
                Some(K::InQuotes {
                    name: name(Placeholder::KernelArgs),
                }),
            ),
            (
                "linux {{ kernel }} {{ bootif }}\n",
                Loader::Grub,
                Some(K::BootifUnset {
                    name: name(Placeholder::Bootif),
                }),
            ),
            ("linux {{ kernel }} {{ arguments }}\n", Loader::Grub, None),
        ];
        for (template, loader, want) in cases {
            assert_eq!(kind(template, *loader), *want, "{template:?}");
        }
        let lines = |second: &str| {
            let mut text = heapless::String::<256>::new();
            text.push_str(split).unwrap();
            text.push('\n').unwrap();
            text.push_str(second).unwrap();
            text
        };
        let with_split = lines("linux {{ kernel }} {{ bootif }} {{ arguments }}\n");
        assert_eq!(kind(&with_split, Loader::Grub), None);
        let joined = lines("linux {{ kernel }} x{{ bootif }}\n");
        assert_eq!(
            kind(&joined, Loader::Grub),
            Some(K::NotWholeArguments {
                name: name(Placeholder::Bootif)
            })
        );
    }

    #[test]
    fn lines_longer_than_a_kernel_takes_are_found() {
        // README states it.
        assert_eq!(LINE_MAX, 1836);
        assert_eq!(long_line(b"a\nb\n"), None);
        let mut long = [b'a'; LINE_MAX + 3];
        long[1] = b'\n';
        assert_eq!(long_line(&long), Some(2));
    }
}
