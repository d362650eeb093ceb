//! iPXE as a template format: the names an operator's template of the main script or of a
//! node's config may use ([`PLACEHOLDERS`], the one table of them), where iPXE would misread
//! a placeholder, and the renderers that write a template for the site or one node.
//!
//! # Where a placeholder may stand
//!
//! [`Template::parse`] follows the literal text as iPXE splits it (lines joined at a final
//! `\`, tokens at spaces and tabs, `#` tokens starting comments, `${...}` expansions,
//! `||` `&&` `;` operators) and refuses a placeholder:
//! - inside `${...}`, where iPXE would take its value as the name of a setting;
//! - in a command's name or a label (the first token of a line, or after an operator), where
//!   iPXE would run, or jump to, its value;
//! - for a value that may begin with `-` (`kernel_args`, the CHAP values), before the first
//!   plain argument of its command that does not follow an option, where getopt may still
//!   read options;
//! - for `kernel_args`, which holds whole arguments, anywhere but between whitespace;
//! - on a comment line whose text before it begins, or could still become, the linter's
//!   `# ipxegen-lint: allow <rule>`, where a value could turn a rule off.
//!
//! A value itself was validated when the site was read (the rules of
//! [`crate::model::check_literal`]) and is written by [`ScriptWriter::value`], as the
//! built-in scripts write it: nothing escaped, nothing cut.
//!
//! # Values a node does not have
//!
//! Which names a script has is checked when the template is parsed. Whether a node has a
//! value is known when its config is rendered: a placeholder of a value the node's mode does
//! not have ([`TemplateErrorKind::NotForMode`]) or an optional field it left out
//! ([`TemplateErrorKind::NoValue`]) is an error where the placeholder is, unless a section
//! not taken holds it (`{{#if repo_url}} inst.repo={{ repo_url }}{{/if}}`). The whole-site
//! check renders every node, so a checked site renders without such errors.

use crate::error::Result;
use crate::ipxe::lint::ALLOW_PRAGMA;
use crate::ipxe::node::{BOOTIF, uses_https};
use crate::ipxe::script::{ScriptWriter, TemplateText, Value};
use crate::model::{
    Boot, Firmware, Image, InstallSource, IscsiTarget, Mode, Node, OnRetriesExhausted, Scheme,
    ScriptRef, SiteConfig, Source,
};
use crate::output::DynWriter;
use crate::schema::Modes;
use crate::template::{
    Format, FormatId, Name, RenderError, Renderer, Shape, Template, TemplateErrorKind, nearest_row,
};
use embedded_io::Write;

/// The iPXE template format ([`Format`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipxe;

/// Which iPXE script a template writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// The main script (`ipxe_boot_script_template`).
    Main,
    /// A node's config (`ipxe_config_template`).
    NodeConfig,
}

/// The scripts that have a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scripts {
    /// The main script only.
    Main,
    /// Node configs only.
    NodeConfig,
    /// Both.
    Both,
}

impl Scripts {
    /// What messages and the README call them.
    pub const fn as_str(self) -> &'static str {
        match self {
            Scripts::Main => "the main script",
            Scripts::NodeConfig => "node configs",
            Scripts::Both => "both",
        }
    }

    const fn has(self, script: Script) -> bool {
        matches!(
            (self, script),
            (Scripts::Both, _)
                | (Scripts::Main, Script::Main)
                | (Scripts::NodeConfig, Script::NodeConfig)
        )
    }
}

/// How a value stands on a command line, for the placement rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arguments {
    /// A condition or a list: writes nothing.
    None,
    /// One argument that never begins with `-`.
    One,
    /// One argument that may begin with `-`.
    MayBeginWithDash,
    /// Whole arguments separated by single spaces, any of which may begin with `-` (or none
    /// at all).
    Several,
}

/// One row of the table of placeholders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlaceholderInfo {
    /// The name, as templates write it (`mode_<mode>`: one name per word of the field).
    pub name: &'static str,
    /// Value, condition, list, or value of each item of a list.
    pub shape: Shape<Placeholder>,
    /// The scripts that have it.
    pub scripts: Scripts,
    /// The boot modes whose nodes have it (node values; [`Modes::ALL`] for the others).
    pub modes: Modes,
    /// How its value stands on a command line.
    pub arguments: Arguments,
}

/// Modes that load a kernel and an initrd.
const KERNEL_MODES: Modes = Modes::of(&[Mode::Deploy, Mode::Ramdisk, Mode::Anaconda]);
const ANACONDA: Modes = Modes::of(&[Mode::Anaconda]);
const ISCSI: Modes = Modes::of(&[Mode::Iscsi]);

macro_rules! placeholders {
    (
        $(
            $variant:ident $(($param:ident))? = $name:literal, $shape:expr, $scripts:ident,
                $modes:expr, $args:ident, $text:literal;
        )*
    ) => {
        /// A name a template may use; its row of [`PLACEHOLDERS`] says what it is.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(missing_docs, reason = "each is documented by its row of the table")]
        pub enum Placeholder {
            $( $variant $(($param))?, )*
        }

        /// Every name templates may use, in the order the README lists them: the one table
        /// of them (a test checks that the README's table is this one).
        pub static PLACEHOLDERS: [PlaceholderInfo; [$($name),*].len()] = [
            $( PlaceholderInfo {
                name: $name,
                shape: $shape,
                scripts: Scripts::$scripts,
                modes: $modes,
                arguments: Arguments::$args,
            }, )*
        ];

        /// What each placeholder writes (or tests), for the README's table: row for row of
        /// [`PLACEHOLDERS`]. A table of its own, so that a program that never shows this text
        /// does not hold it.
        pub static PLACEHOLDER_TEXTS: [&str; [$($name),*].len()] = [ $( $text, )* ];

        impl Placeholder {
            /// Its row in [`PLACEHOLDERS`].
            pub fn row(self) -> usize {
                let mut row = 0;
                $(
                    if matches!(self, Placeholder::$variant $((placeholders!(@any $param)))?) {
                        return row;
                    }
                    row += 1;
                )*
                row
            }

            /// The placeholder a template writes `name` for.
            pub fn from_name(name: &[u8]) -> Option<Placeholder> {
                $(
                    if let Some(p) = placeholders!(@parse name, $name, $variant $(, $param)?) {
                        return Some(p);
                    }
                )*
                None
            }
        }
    };
    (@any $param:ident) => { _ };
    (@parse $text:ident, $name:literal, $variant:ident) => {
        ($text == $name.as_bytes()).then_some(Placeholder::$variant)
    };
    (@parse $text:ident, $name:literal, $variant:ident, $param:ident) => {
        parameter($text, $name).and_then($param::from_word).map(Placeholder::$variant)
    };
}

/// The word after the prefix of a parameterized name (`deploy` of `mode_deploy`, for the row
/// `mode_<mode>`).
fn parameter<'n>(name: &'n [u8], row: &str) -> Option<&'n str> {
    let prefix = row.as_bytes().split(|&b| b == b'<').next()?;
    core::str::from_utf8(name.strip_prefix(prefix)?).ok()
}

placeholders! {
    NodeId = "node_id", Shape::Value, NodeConfig, Modes::ALL, One,
        "the node's `id`";
    Mode = "mode", Shape::Value, NodeConfig, Modes::ALL, One,
        "the node's `mode`";
    TimeoutMs = "timeout_ms", Shape::Value, NodeConfig, Modes::ALL, One,
        "the download timeout in milliseconds: the node's `timeout_ms`, else the site's";
    Retries = "retries", Shape::Value, NodeConfig, Modes::ALL, One,
        "how many retries follow a failed attempt: the node's `retries`, else the site's";
    Attempts = "attempts", Shape::Value, NodeConfig, Modes::ALL, One,
        "`retries` + 1";
    KernelUrl = "kernel_url", Shape::Value, NodeConfig, KERNEL_MODES, One,
        "the kernel's URL: `kernel` (for `deploy`, else the site's `deploy_kernel`) as given, or where the tree places that local file";
    InitrdUrl = "initrd_url", Shape::Value, NodeConfig, KERNEL_MODES, One,
        "the initrd's URL: `ramdisk` (for `deploy`, else the site's `deploy_ramdisk`) as given, or where the tree places that local file";
    InitrdName = "initrd_name", Shape::Value, NodeConfig, KERNEL_MODES, One,
        "the name the initrd is loaded under, for `initrd --name` and the kernel's `initrd=`: `deploy_ramdisk` or `ramdisk`";
    Bootif = "bootif", Shape::Value, NodeConfig, Modes::ALL, One,
        "`BOOTIF=01-${netX/mac:hexhyp}`: the MAC of the NIC iPXE booted through";
    KernelArgs = "kernel_args", Shape::Value, NodeConfig, KERNEL_MODES, Several,
        "the site's `kernel_args` then the node's, one argument each, separated by single spaces (`{{#if kernel_args}}` holds when there is one)";
    KickstartUrl = "kickstart_url", Shape::Value, NodeConfig, ANACONDA, One,
        "`kickstart`";
    RepoUrl = "repo_url", Shape::Value, NodeConfig, ANACONDA, One,
        "`repo`, when the node gives it";
    Stage2Url = "stage2_url", Shape::Value, NodeConfig, ANACONDA, One,
        "`stage2`, when the node gives it";
    IsoUrl = "iso_url", Shape::Value, NodeConfig, Modes::of(&[Mode::Iso]), One,
        "the ISO's URL: `iso` as given, or where the tree places that local file";
    ChainUrl = "chain_url", Shape::Value, NodeConfig, Modes::of(&[Mode::Chain]), One,
        "`url`";
    InitiatorIqn = "initiator_iqn", Shape::Value, NodeConfig, ISCSI, One,
        "`initiator_iqn`, when the node gives it";
    IscsiTargets = "iscsi_targets", Shape::List, NodeConfig, ISCSI, None,
        "the node's `iscsi` targets, in drive order";
    Drive = "drive", Shape::Item(Placeholder::IscsiTargets), NodeConfig, ISCSI, One,
        "the target's BIOS drive: `0x80`, `0x81`, ...";
    IscsiRoot = "iscsi_root", Shape::Item(Placeholder::IscsiTargets), NodeConfig, ISCSI, One,
        "the target's root path, `iscsi:<server>::<port>:<lun>:<iqn>` (RFC 4173; the port only when it is not 3260)";
    ChapUsername = "chap_username", Shape::Item(Placeholder::IscsiTargets), NodeConfig, ISCSI, MayBeginWithDash,
        "the target's CHAP `username`, when it gives one";
    ChapPassword = "chap_password", Shape::Item(Placeholder::IscsiTargets), NodeConfig, ISCSI, MayBeginWithDash,
        "the target's CHAP `password`, when it gives one";
    ModeIs(Mode) = "mode_<mode>", Shape::Flag, NodeConfig, Modes::ALL, None,
        "the node's `mode` is `<mode>` (`mode_deploy`, `mode_local`, ...)";
    FirmwareIs(Firmware) = "firmware_<firmware>", Shape::Flag, NodeConfig, Modes::ALL, None,
        "the node's `firmware` is `<firmware>` (`firmware_bios`, `firmware_uefi`, `firmware_any`; `any` when not given)";
    OnRetriesExhaustedIs(OnRetriesExhausted) = "on_retries_exhausted_<action>", Shape::Flag, NodeConfig, Modes::ALL, None,
        "the site's `on_retries_exhausted` is `<action>` (`on_retries_exhausted_poweroff`, `on_retries_exhausted_reboot`)";
    Https = "https", Shape::Flag, Both, Modes::ALL, None,
        "the script fetches over https://: the main script its fallback, a node config a kernel, initrd, ISO, kickstart, repo or chained URL (the built-in scripts then allow the linter's `https-url`)";
    PerMacDir = "per_mac_dir", Shape::Value, Main, Modes::ALL, One,
        "`per_mac_dir`, percent-encoded as a path segment";
    FallbackScript = "fallback_script", Shape::Value, Main, Modes::ALL, One,
        "`ipxe_fallback_script`, when the site gives it: a URL, or a name relative to the main script";
}

impl Placeholder {
    /// Its row of [`PLACEHOLDERS`].
    pub fn info(self) -> &'static PlaceholderInfo {
        PLACEHOLDERS.get(self.row()).unwrap_or(&FALLBACK_ROW)
    }

    fn template_name(self) -> Name {
        Name::new(FormatId::Ipxe, u8::try_from(self.row()).unwrap_or(u8::MAX))
    }
}

/// Stands in for a row that cannot be missing (every placeholder has one).
static FALLBACK_ROW: PlaceholderInfo = PlaceholderInfo {
    name: "",
    shape: Shape::Flag,
    scripts: Scripts::Both,
    modes: Modes::ALL,
    arguments: Arguments::None,
};

/// The name of row `index` (see [`Name`]).
pub(crate) fn name_text(index: u8) -> &'static str {
    PLACEHOLDERS
        .get(usize::from(index))
        .map_or("", |info| info.name)
}

/// The scripts of row `index`, for messages.
pub(crate) fn name_scripts(index: u8) -> &'static str {
    PLACEHOLDERS
        .get(usize::from(index))
        .map_or("", |info| info.scripts.as_str())
}

impl Format for Ipxe {
    type Placeholder = Placeholder;
    type Script = Script;
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

    fn in_script(p: Placeholder, script: Script) -> bool {
        p.info().scripts.has(script)
    }

    fn nearest(name: &[u8]) -> Option<Name> {
        let rows = PLACEHOLDERS.iter().map(|info| info.name);
        nearest_row(FormatId::Ipxe, rows, name, |row| {
            row.contains('<') && parameter(name, row).is_some()
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

/// What [`Template::parse`] knows of the iPXE text before a placeholder (see the module docs).
#[derive(Debug)]
pub struct Scanner {
    /// Bytes of the physical line so far.
    line_len: usize,
    /// The physical line so far is the start of [`ALLOW_PRAGMA`], or begins with it.
    pragma: bool,
    /// The rest of the logical line is a comment.
    comment: bool,
    /// The next token is a command's name (or a label).
    expect_command: bool,
    /// A token is being read.
    in_token: bool,
    /// It is a command's name (or a label).
    token_is_command: bool,
    /// Its first two bytes, how many it has, whether a value is in it, and whether it
    /// began with `-`.
    token: [u8; 2],
    token_len: usize,
    token_has_value: bool,
    token_dash: bool,
    /// The token before was an option (it may take the next one as its value).
    after_option: bool,
    /// A plain argument of the current command was read: getopt has stopped.
    plain_seen: bool,
    /// Open `${` expansions.
    depth: usize,
    /// The literal byte before (`$` opens an expansion with `{`; `\` joins lines), and the
    /// one before a `\` (which a joined line removes).
    previous: u8,
    before_backslash: u8,
    /// The `\` just read started a token (which a joined line removes with it).
    backslash_started_token: bool,
    /// A value that must be followed by whitespace (`kernel_args`), and where it is.
    whole: Option<(usize, Placeholder)>,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner {
            line_len: 0,
            pragma: true,
            comment: false,
            expect_command: true,
            in_token: false,
            token_is_command: false,
            token: [0; 2],
            token_len: 0,
            token_has_value: false,
            token_dash: false,
            after_option: false,
            plain_seen: false,
            depth: 0,
            previous: 0,
            before_backslash: 0,
            backslash_started_token: false,
            whole: None,
        }
    }
}

impl Scanner {
    fn end_token(&mut self) {
        if !self.in_token {
            return;
        }
        self.in_token = false;
        let text = self.token.get(..self.token_len).unwrap_or_default();
        let operator = !self.token_has_value && matches!(text, b"||" | b"&&" | b";");
        if operator {
            self.expect_command = true;
            self.plain_seen = false;
            self.after_option = false;
        } else if self.token_is_command {
            self.expect_command = false;
            self.after_option = false;
        } else if !self.token_has_value && self.token_len == 2 && text == b"--" {
            self.plain_seen = true;
            self.after_option = false;
        } else if self.token_dash {
            self.after_option = true;
        } else {
            self.plain_seen |= !self.after_option;
            self.after_option = false;
        }
    }

    fn start_token(&mut self, command: bool) {
        self.in_token = true;
        self.token_is_command = command;
        self.token_len = 0;
        self.token_has_value = false;
        self.token_dash = false;
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
            self.line_len = 0;
            self.pragma = true;
        } else {
            let expected = ALLOW_PRAGMA.as_bytes().get(self.line_len);
            self.pragma &= expected.is_none_or(|e| *e == b);
            self.line_len = self.line_len.saturating_add(1);
        }
        let previous = core::mem::replace(&mut self.previous, b);
        if b == b'\n' && previous == b'\\' {
            // A line joined to the next: the `\` goes, the token goes on.
            self.previous = self.before_backslash;
            if self.backslash_started_token {
                self.in_token = false;
            } else {
                self.token_len = self.token_len.saturating_sub(1);
            }
            return Ok(());
        }
        if b == b'\\' {
            self.before_backslash = previous;
            self.backslash_started_token = !self.in_token && !self.comment;
        }
        match b {
            b'\n' => {
                self.end_token();
                self.comment = false;
                self.expect_command = true;
                self.plain_seen = false;
                self.after_option = false;
                self.depth = 0;
            }
            b' ' | b'\t' => self.end_token(),
            _ if self.comment => {}
            _ => {
                if !self.in_token {
                    if b == b'#' {
                        self.comment = true;
                        return Ok(());
                    }
                    self.start_token(self.expect_command);
                    self.token_dash = b == b'-';
                }
                if let Some(slot) = self.token.get_mut(self.token_len) {
                    *slot = b;
                }
                self.token_len = self.token_len.saturating_add(1);
                if previous == b'$' && b == b'{' {
                    self.depth = self.depth.saturating_add(1);
                } else if b == b'}' {
                    self.depth = self.depth.saturating_sub(1);
                }
            }
        }
        Ok(())
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
        if self.comment {
            if self.pragma {
                return refuse(TemplateErrorKind::InLintPragma { name });
            }
            self.pragma = false;
            return Ok(());
        }
        if self.depth > 0 {
            return refuse(TemplateErrorKind::InExpansion { name });
        }
        let arguments = p.info().arguments;
        if self.in_token {
            if self.token_is_command {
                return refuse(TemplateErrorKind::CommandPosition { name });
            }
            if arguments == Arguments::Several {
                return refuse(TemplateErrorKind::NotWholeArguments { name });
            }
        } else {
            if self.expect_command {
                return refuse(TemplateErrorKind::CommandPosition { name });
            }
            let may_be_option =
                matches!(arguments, Arguments::MayBeginWithDash | Arguments::Several);
            if may_be_option && !self.plain_seen {
                return refuse(TemplateErrorKind::OptionPosition { name });
            }
            self.start_token(false);
            if arguments == Arguments::Several {
                self.whole = Some((at, p));
            }
        }
        self.token_has_value = true;
        // A value is not a `$`, a `\` nor the start of `# ipxegen-lint:`.
        self.token_len = self.token_len.max(self.token.len()).saturating_add(1);
        self.previous = 0;
        self.pragma = false;
        self.line_len = self.line_len.saturating_add(1);
        Ok(())
    }
}

/// Writes the main script of `site` from `template`.
///
/// # Errors
/// A value the site does not have where the template needs it (a
/// [`TemplateErrorKind::NoValue`] at the placeholder), or a write error.
pub fn write_main_script<W: Write>(
    template: &Template<'_, Ipxe>,
    site: &SiteConfig<'_>,
    out: &mut W,
) -> Result<()> {
    write_main_script_dyn(template, site, &mut DynWriter::new(out))
}

/// The body of [`write_main_script`], for the one writer type it is compiled for.
pub(crate) fn write_main_script_dyn(
    template: &Template<'_, Ipxe>,
    site: &SiteConfig<'_>,
    out: &mut DynWriter<'_>,
) -> Result<()> {
    let mut renderer = MainRenderer { site, out };
    template.render(&mut renderer)
}

/// Writes the config of `node` from `template`.
///
/// # Errors
/// A value the node does not have where the template needs it
/// ([`TemplateErrorKind::NotForMode`], [`TemplateErrorKind::NoValue`], at the placeholder's
/// line and column), or a write error.
pub fn write_node_config<W: Write>(
    template: &Template<'_, Ipxe>,
    site: &SiteConfig<'_>,
    node: &Node<'_>,
    out: &mut W,
) -> Result<()> {
    write_node_config_dyn(template, site, node, &mut DynWriter::new(out))
}

/// The body of [`write_node_config`], for the one writer type it is compiled for.
pub(crate) fn write_node_config_dyn(
    template: &Template<'_, Ipxe>,
    site: &SiteConfig<'_>,
    node: &Node<'_>,
    out: &mut DynWriter<'_>,
) -> Result<()> {
    let mut renderer = NodeRenderer {
        site,
        node,
        target: 0,
        out,
    };
    template.render(&mut renderer)
}

/// Where the next byte written goes: its line and column, from 1.
struct LineCounter {
    line: u16,
    column: u16,
}

impl LineCounter {
    fn new() -> Self {
        LineCounter { line: 1, column: 1 }
    }
}

impl embedded_io::ErrorType for LineCounter {
    type Error = core::convert::Infallible;
}

impl Write for LineCounter {
    fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, Self::Error> {
        for &b in buf {
            if b == b'\n' {
                self.line = self.line.saturating_add(1);
                self.column = 1;
            } else {
                self.column = self.column.saturating_add(1);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> core::result::Result<(), Self::Error> {
        Ok(())
    }
}

/// Line and column in `template` of what writes `line`, `column` of the main script it
/// renders for `site` (to place a lint finding in the template).
///
/// # Errors
/// As [`write_main_script`].
pub(crate) fn main_source_of(
    template: &Template<'_, Ipxe>,
    site: &SiteConfig<'_>,
    line: u16,
    column: u16,
) -> Result<(u16, u16)> {
    let mut counter = LineCounter::new();
    let mut renderer = MainRenderer {
        site,
        out: &mut counter,
    };
    let position = |r: &MainRenderer<'_, '_, '_, LineCounter>| (r.out.line, r.out.column);
    let at = template.source_of(&mut renderer, position, line, column)?;
    Ok(template.line_and_column(at))
}

/// Line and column in `template` of what writes `line`, `column` of the config it renders
/// for `node`.
///
/// # Errors
/// As [`write_node_config`].
pub(crate) fn node_source_of(
    template: &Template<'_, Ipxe>,
    site: &SiteConfig<'_>,
    node: &Node<'_>,
    line: u16,
    column: u16,
) -> Result<(u16, u16)> {
    let mut counter = LineCounter::new();
    let mut renderer = NodeRenderer {
        site,
        node,
        target: 0,
        out: &mut counter,
    };
    let position = |r: &NodeRenderer<'_, '_, '_, LineCounter>| (r.out.line, r.out.column);
    let at = template.source_of(&mut renderer, position, line, column)?;
    Ok(template.line_and_column(at))
}

/// Renders the main script: the site's values.
struct MainRenderer<'s, 'a, 'w, W: Write> {
    site: &'s SiteConfig<'a>,
    out: &'w mut W,
}

/// The site's value of `p`.
fn main_value<'v>(
    site: &'v SiteConfig<'v>,
    p: Placeholder,
) -> core::result::Result<Value<'v>, TemplateErrorKind> {
    let name = p.template_name();
    match (p, &site.fallback) {
        (Placeholder::PerMacDir, _) => Ok(Value::Segment(site.per_mac_dir)),
        (Placeholder::FallbackScript, Some(ScriptRef::Url(url))) => Ok(Value::Url(*url)),
        (Placeholder::FallbackScript, Some(ScriptRef::Relative(n))) => Ok(Value::Name(*n)),
        _ => Err(TemplateErrorKind::NoValue { name }),
    }
}

impl<W: Write> Renderer<Ipxe> for MainRenderer<'_, '_, '_, W> {
    fn text(&mut self, _at: usize, text: &[u8]) -> Result<()> {
        ScriptWriter::new(self.out).template_text(TemplateText::validated(text))
    }

    fn value(&mut self, _at: usize, p: Placeholder) -> core::result::Result<(), RenderError> {
        let value = main_value(self.site, p).map_err(RenderError::Missing)?;
        ScriptWriter::new(self.out)
            .value(value)
            .map_err(RenderError::Write)
    }

    fn present(&mut self, p: Placeholder) -> bool {
        match p {
            Placeholder::Https => {
                matches!(&self.site.fallback, Some(ScriptRef::Url(url)) if url.scheme() == Scheme::Https)
            }
            _ => main_value(self.site, p).is_ok(),
        }
    }

    fn items(&mut self, _p: Placeholder) -> usize {
        0
    }

    fn select_item(&mut self, _p: Placeholder, _index: usize) {}
}

/// Renders a node's config: the node's values (and, inside `{{#each iscsi_targets}}`, the
/// current target's).
struct NodeRenderer<'s, 'a, 'w, W: Write> {
    site: &'s SiteConfig<'a>,
    node: &'s Node<'a>,
    target: usize,
    out: &'w mut W,
}

/// Where the tree has `image` of `node`: its URL, or the file placed beside the config.
fn image_value<'v>(
    site: &'v SiteConfig<'v>,
    node: &'v Node<'v>,
    image: &'v Image<'v>,
) -> Value<'v> {
    match image.source {
        Source::Url(url) => Value::Url(url),
        Source::File(_) => Value::UrlIn(&site.http_base, [node.id.as_str(), image.name.as_str()]),
    }
}

/// The value of `p` for `node` (and its iSCSI target `target`).
fn node_value<'v>(
    site: &'v SiteConfig<'v>,
    node: &'v Node<'v>,
    target: usize,
    p: Placeholder,
) -> core::result::Result<Value<'v>, TemplateErrorKind> {
    let boot = &node.boot;
    let [first, second] = boot.images();
    let iscsi = match boot {
        Boot::Iscsi {
            targets,
            initiator_iqn,
        } => Some((targets.get(target), initiator_iqn)),
        _ => None,
    };
    let current: Option<&IscsiTarget<'_>> = iscsi.and_then(|(t, _)| t);
    let kernel_mode = matches!(
        boot,
        Boot::Deploy { .. } | Boot::Ramdisk { .. } | Boot::Anaconda { .. }
    );
    let value = match p {
        Placeholder::NodeId => Some(Value::Id(node.id)),
        Placeholder::Mode => Some(Value::Words(boot.mode().words())),
        Placeholder::TimeoutMs => Some(Value::Number(node.timeout_ms)),
        Placeholder::Retries => Some(Value::Number(u32::from(node.retries))),
        Placeholder::Attempts => Some(Value::Number(u32::from(node.retries) + 1)),
        Placeholder::Bootif => Some(Value::Expansion(BOOTIF)),
        Placeholder::KernelUrl => first
            .filter(|_| kernel_mode)
            .map(|image| image_value(site, node, image)),
        Placeholder::InitrdUrl => second
            .filter(|_| kernel_mode)
            .map(|image| image_value(site, node, image)),
        Placeholder::InitrdName => second
            .filter(|_| kernel_mode)
            .map(|image| Value::Words(image.name.words())),
        Placeholder::KernelArgs => kernel_mode.then_some(Value::KernelArgs(&node.kernel_args)),
        Placeholder::IsoUrl => match boot {
            Boot::Iso { iso } => Some(image_value(site, node, iso)),
            _ => None,
        },
        Placeholder::KickstartUrl => match boot {
            Boot::Anaconda { kickstart, .. } => Some(Value::Url(*kickstart)),
            _ => None,
        },
        Placeholder::RepoUrl => match boot {
            Boot::Anaconda {
                source: InstallSource::Repo(url),
                ..
            } => Some(Value::Url(*url)),
            _ => None,
        },
        Placeholder::Stage2Url => match boot {
            Boot::Anaconda {
                source: InstallSource::Stage2(url),
                ..
            } => Some(Value::Url(*url)),
            _ => None,
        },
        Placeholder::ChainUrl => match boot {
            Boot::Chain { url } => Some(Value::Url(*url)),
            _ => None,
        },
        Placeholder::InitiatorIqn => iscsi.and_then(|(_, iqn)| iqn.map(Value::Iqn)),
        Placeholder::Drive => current
            .and(u8::try_from(target).ok())
            .and_then(|i| 0x80u8.checked_add(i))
            .map(Value::Drive),
        Placeholder::IscsiRoot => current.map(Value::IscsiRoot),
        Placeholder::ChapUsername => current
            .and_then(|t| t.chap)
            .map(|chap| Value::Chap(chap.username)),
        Placeholder::ChapPassword => current
            .and_then(|t| t.chap)
            .map(|chap| Value::Chap(chap.password)),
        Placeholder::IscsiTargets
        | Placeholder::ModeIs(_)
        | Placeholder::FirmwareIs(_)
        | Placeholder::OnRetriesExhaustedIs(_)
        | Placeholder::Https
        | Placeholder::PerMacDir
        | Placeholder::FallbackScript => None,
    };
    let name = p.template_name();
    let mode = boot.mode();
    value.ok_or(if p.info().modes.contains(mode) {
        TemplateErrorKind::NoValue { name }
    } else {
        TemplateErrorKind::NotForMode { name, mode }
    })
}

impl<W: Write> Renderer<Ipxe> for NodeRenderer<'_, '_, '_, W> {
    fn text(&mut self, _at: usize, text: &[u8]) -> Result<()> {
        ScriptWriter::new(self.out).template_text(TemplateText::validated(text))
    }

    fn value(&mut self, _at: usize, p: Placeholder) -> core::result::Result<(), RenderError> {
        let value =
            node_value(self.site, self.node, self.target, p).map_err(RenderError::Missing)?;
        ScriptWriter::new(self.out)
            .value(value)
            .map_err(RenderError::Write)
    }

    fn present(&mut self, p: Placeholder) -> bool {
        let (site, node) = (self.site, self.node);
        match p {
            Placeholder::ModeIs(mode) => node.boot.mode() == mode,
            Placeholder::FirmwareIs(firmware) => node.firmware == firmware,
            Placeholder::OnRetriesExhaustedIs(action) => site.on_retries_exhausted == action,
            Placeholder::Https => uses_https(site, node),
            Placeholder::IscsiTargets => self.items(p) > 0,
            Placeholder::KernelArgs => {
                !node.kernel_args.is_empty() && node_value(site, node, self.target, p).is_ok()
            }
            _ => node_value(site, node, self.target, p).is_ok(),
        }
    }

    fn items(&mut self, p: Placeholder) -> usize {
        match (p, &self.node.boot) {
            (Placeholder::IscsiTargets, Boot::Iscsi { targets, .. }) => targets.len(),
            _ => 0,
        }
    }

    fn select_item(&mut self, _p: Placeholder, index: usize) {
        self.target = index;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::output::write_to_slice;
    use crate::site::Site;
    use crate::template::TemplateError;

    fn parse(template: &str, script: Script) -> core::result::Result<(), TemplateError> {
        Template::<Ipxe>::parse(template.as_bytes(), script).map(|_| ())
    }

    fn kind(template: &str) -> TemplateErrorKind {
        parse(template, Script::NodeConfig).unwrap_err().kind
    }

    fn name(p: Placeholder) -> Name {
        p.template_name()
    }

    #[test]
    fn every_row_is_its_placeholder() {
        for (row, info) in PLACEHOLDERS.iter().enumerate() {
            let written = match info.name {
                "mode_<mode>" => "mode_deploy",
                "firmware_<firmware>" => "firmware_bios",
                "on_retries_exhausted_<action>" => "on_retries_exhausted_reboot",
                plain => plain,
            };
            let p = Placeholder::from_name(written.as_bytes()).unwrap();
            assert_eq!(p.row(), row, "{}", info.name);
            assert_eq!(name_text(u8::try_from(row).unwrap()), info.name);
        }
        assert_eq!(Placeholder::from_name(b"mode_netboot"), None);
        assert_eq!(Placeholder::from_name(b"mode_"), None);
        assert_eq!(
            Placeholder::from_name(b"firmware_uefi"),
            Some(Placeholder::FirmwareIs(Firmware::Uefi))
        );
    }

    #[test]
    fn misspelt_names_suggest_the_nearest() {
        let near = |n: &[u8]| Ipxe::nearest(n).map(Name::as_str);
        assert_eq!(near(b"kernal_url"), Some("kernel_url"));
        assert_eq!(near(b"mode_netboot"), Some("mode_<mode>"));
        assert_eq!(near(b"colour"), None);
    }

    #[test]
    fn placeholders_ipxe_would_misread_are_refused() {
        use TemplateErrorKind as K;
        let cases = [
            ("#!ipxe\necho ${{{ node_id }}}\n", K::BadTag),
            (
                "#!ipxe\necho ${a{{ node_id }}}\n",
                K::InExpansion {
                    name: name(Placeholder::NodeId),
                },
            ),
            (
                "#!ipxe\n{{ chain_url }}\n",
                K::CommandPosition {
                    name: name(Placeholder::ChainUrl),
                },
            ),
            (
                "#!ipxe\necho a || {{ node_id }}\n",
                K::CommandPosition {
                    name: name(Placeholder::NodeId),
                },
            ),
            (
                "#!ipxe\nx{{ node_id }} a\n",
                K::CommandPosition {
                    name: name(Placeholder::NodeId),
                },
            ),
            (
                "#!ipxe\n:{{ node_id }}\n",
                K::CommandPosition {
                    name: name(Placeholder::NodeId),
                },
            ),
            (
                "#!ipxe\nkernel {{ kernel_args }}\n",
                K::OptionPosition {
                    name: name(Placeholder::KernelArgs),
                },
            ),
            (
                "#!ipxe\nkernel --name {{ kernel_args }}\n",
                K::OptionPosition {
                    name: name(Placeholder::KernelArgs),
                },
            ),
            (
                "#!ipxe\nkernel --timeout 1000 {{ kernel_args }}\n",
                K::OptionPosition {
                    name: name(Placeholder::KernelArgs),
                },
            ),
            (
                "#!ipxe\n{{#each iscsi_targets}}\nset {{ chap_password }}\n{{/each}}\n",
                K::OptionPosition {
                    name: name(Placeholder::ChapPassword),
                },
            ),
            (
                "#!ipxe\nkernel {{ kernel_url }} x={{ kernel_args }}\n",
                K::NotWholeArguments {
                    name: name(Placeholder::KernelArgs),
                },
            ),
            (
                "#!ipxe\nkernel {{ kernel_url }} {{ kernel_args }}x\n",
                K::NotWholeArguments {
                    name: name(Placeholder::KernelArgs),
                },
            ),
            (
                "#!ipxe\nkernel {{ kernel_url }} {{ kernel_args }}{{ bootif }}\n",
                K::NotWholeArguments {
                    name: name(Placeholder::KernelArgs),
                },
            ),
            (
                "#!ipxe\n# ipxegen-lint: allow {{ node_id }}\n",
                K::InLintPragma {
                    name: name(Placeholder::NodeId),
                },
            ),
            (
                "#!ipxe\n# ipxegen-l{{ kernel_args }}\n",
                K::InLintPragma {
                    name: name(Placeholder::KernelArgs),
                },
            ),
            (
                "#!ipxe\n#{{ node_id }}\n",
                K::InLintPragma {
                    name: name(Placeholder::NodeId),
                },
            ),
            (
                "#!ipxe\necho {{ per_mac_dir }}\n",
                K::NotInScript {
                    name: name(Placeholder::PerMacDir),
                },
            ),
            (
                "#!ipxe\necho {{ drive }}\n",
                K::OutsideEach {
                    name: name(Placeholder::Drive),
                    list: name(Placeholder::IscsiTargets),
                },
            ),
            (
                "#!ipxe\necho {{ mode_local }}\n",
                K::NotAValue {
                    name: name(Placeholder::ModeIs(Mode::Local)),
                },
            ),
        ];
        for (template, want) in cases {
            assert_eq!(kind(template), want, "{template:?}");
        }
        // A continued line goes on: still the command's name.
        assert_eq!(
            kind("#!ipxe\nech\\\no{{ node_id }}\n"),
            K::CommandPosition {
                name: name(Placeholder::NodeId)
            }
        );
        assert_eq!(
            parse("#!ipxe\necho {{ node_id }}\n", Script::Main)
                .unwrap_err()
                .kind,
            K::NotInScript {
                name: name(Placeholder::NodeId)
            }
        );
    }

    #[test]
    fn placeholders_where_ipxe_reads_them_as_arguments_are_taken() {
        for template in [
            "#!ipxe\necho node {{ node_id }} # of {{ node_id }}\n",
            "#!ipxe\n# config of {{ node_id }}\n",
            "#!ipxe\nkernel --timeout {{ timeout_ms }} {{ kernel_url }} initrd={{ initrd_name }} {{ bootif }} {{ kernel_args }} || goto retry\n",
            "#!ipxe\nkernel {{ kernel_url }} -- {{ kernel_args }}\n",
            "#!ipxe\nkernel {{ kernel_url }}{{#if kernel_args}} {{ kernel_args }}{{/if}} || goto r\n",
            "#!ipxe\n{{#each iscsi_targets}}\nset username {{ chap_username }}\nsanhook --drive {{ drive }} {{ iscsi_root }} || goto retry\n{{/each}}\n",
            "#!ipxe\necho ${a} {{ node_id }} ${b}\n",
            "#!ipxe\nchain \\\n  {{ chain_url }} || goto x\n",
        ] {
            assert_eq!(parse(template, Script::NodeConfig), Ok(()), "{template:?}");
        }
        assert_eq!(
            parse(
                "#!ipxe\nchain {{ per_mac_dir }}/${net0/mac:hexhyp} || goto x\n",
                Script::Main
            ),
            Ok(())
        );
    }

    const SITE: &[u8] = br#"{"schema": 1, "http_server": "http://192.0.2.1/b", "http_root": "/srv",
        "kernel_args": "console=ttyS0",
        "nodes": [
          {"id": "d1", "nics": ["52:54:00:00:00:01"], "mode": "deploy", "kernel": "/k", "ramdisk": "http://x/r"},
          {"id": "i1", "nics": ["52:54:00:00:00:02"], "mode": "iscsi", "iscsi": [
            {"server": "192.0.2.3", "iqn": "iqn.2010-04.org.example:a", "username": "u\"1", "password": "-p"},
            {"server": "192.0.2.4", "port": 3261, "lun": 2, "iqn": "iqn.2010-04.org.example:b"}]},
          {"id": "a1", "nics": ["52:54:00:00:00:03"], "mode": "anaconda", "kernel": "http://x/k",
           "ramdisk": "http://x/i", "kickstart": "http://x/ks", "stage2": "http://x/s2"}
        ]}"#;

    fn render_node(template: &str, id: &str) -> Result<heapless::String<1024>> {
        let site = Site::parse(SITE).unwrap();
        let node = site.node_by_id(id).unwrap();
        let t = Template::<Ipxe>::parse(template.as_bytes(), Script::NodeConfig).unwrap();
        let mut buf = [0u8; 1024];
        let n = write_to_slice(&mut buf, |out| {
            write_node_config(&t, site.config(), &node, out)
        })?;
        Ok(heapless::String::try_from(core::str::from_utf8(&buf[..n]).unwrap()).unwrap())
    }

    #[test]
    fn node_values_are_written_as_the_built_in_scripts_write_them() {
        let t = "kernel {{ kernel_url }} initrd={{ initrd_name }} {{ bootif }} {{ kernel_args }}\ninitrd {{ initrd_url }}\n";
        assert_eq!(
            render_node(t, "d1").unwrap(),
            "kernel http://192.0.2.1/b/d1/deploy_kernel initrd=deploy_ramdisk BOOTIF=01-${netX/mac:hexhyp} console=ttyS0\ninitrd http://x/r\n"
        );
        let t = "{{#if initiator_iqn}}iqn{{else}}no iqn{{/if}}\n{{#each iscsi_targets}}\nx {{ drive }} {{ iscsi_root }}{{#if chap_username}} {{ chap_username }} {{ chap_password }}{{/if}}\n{{/each}}\n";
        assert_eq!(
            render_node(t, "i1").unwrap(),
            "no iqn\nx 0x80 iscsi:192.0.2.3:::0:iqn.2010-04.org.example:a u\"1 -p\nx 0x81 iscsi:192.0.2.4::3261:2:iqn.2010-04.org.example:b\n"
        );
        let t = "echo {{ mode }} {{#if repo_url}}repo{{/if}}{{#if stage2_url}}stage2 {{ stage2_url }}{{/if}} {{#if mode_anaconda}}A{{/if}}{{#if mode_deploy}}D{{/if}} {{ attempts }}\n";
        assert_eq!(
            render_node(t, "a1").unwrap(),
            "echo anaconda stage2 http://x/s2 A 4\n"
        );
    }

    #[test]
    fn a_value_the_node_does_not_have_is_an_error_at_the_placeholder() {
        let e = render_node("line one\n  echo {{ iso_url }}\n", "d1").unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::Template(TemplateError {
                kind: TemplateErrorKind::NotForMode {
                    name: name(Placeholder::IsoUrl),
                    mode: Mode::Deploy
                },
                line: 2,
                column: 8
            })
        );
        let e = render_node("echo {{ repo_url }}\n", "a1").unwrap_err();
        assert!(matches!(
            e.kind,
            ErrorKind::Template(TemplateError {
                kind: TemplateErrorKind::NoValue { .. },
                line: 1,
                column: 6
            })
        ));
    }
}
