//! Operator templates: the text of a script with `{{ name }}` placeholders for the site's and
//! the node's values, parsed without allocation into a view over the template's bytes.
//!
//! # The language
//!
//! - Literal text is written as it is. A template is printable ASCII, tabs and line feeds
//!   (LF line endings); any other byte is refused where it is.
//! - `{{ name }}` writes a value (the spaces inside the braces are optional).
//! - `{{#if name}} ... {{else}} ... {{/if}}` writes its first part when the node (or site) has
//!   `name` (a condition that holds, a value it has, a list that is not empty), else the part
//!   after `{{else}}` (which may be left out).
//! - `{{#each list}} ... {{/each}}` writes its body once per item of `list`; inside it, the
//!   list's item values are available (`{{ drive }}` of each iSCSI target). Lists do not
//!   nest.
//! - A section tag (`{{#if}}`, `{{else}}`, `{{/if}}`, `{{#each}}`, `{{/each}}`) alone on its
//!   line, with nothing but spaces and tabs around it, takes its whole line with it: the line
//!   writes nothing, not even its line feed. So sections can be written one tag per line.
//! - `{{` always opens a tag and must be closed by `}}` on the same line; tags do not nest.
//!   There is no escape for a literal `{{` (the scripts ipxegen writes never need one); a
//!   `}}` outside a tag is literal text.
//!
//! Which names exist, and what each writes, is the format's (see [`Format`]; iPXE's table is
//! [`crate::ipxe::template::PLACEHOLDERS`]). Rules of placement (where a format's reader would
//! misread a value) are the format's too: [`Template::parse`] follows the literal text the way
//! the format's reader tokenizes it and refuses a placeholder where the reader would take its
//! value for something else.
//!
//! # The contract
//!
//! [`Template::parse`] validates everything about the template itself: its bytes, every tag,
//! every section, every name (known to the format and available in the script it is parsed
//! for), and the position of every placeholder. A [`Template`] is then a view over the bytes
//! that renders without failing on its own account: [`Template::render`] fails only when the
//! renderer does (a value the node does not have, a write error). Nothing is ever escaped or
//! truncated: a value reaches the output only through the format's renderer, which writes it
//! with the same checked writer as the built-in scripts. Errors give the line and column
//! (from 1, in bytes) of what is refused. No allocation, no recursion, no panic on any input.

use crate::error::{Error, ErrorKind};
use crate::limits::{TEMPLATE_MAX, TEMPLATE_SECTIONS_MAX};
use crate::model::Mode;
use core::fmt;

/// How a name of a format is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape<P> {
    /// A value, written by `{{ name }}`; `{{#if name}}` tests whether it has one.
    Value,
    /// A condition, for `{{#if name}}` only.
    Flag,
    /// A list, for `{{#each name}}` (and `{{#if name}}`: not empty).
    List,
    /// A value of each item of the list `P`, only inside `{{#each P}}`.
    Item(P),
}

/// A target format of templates (the iPXE script is one): its names and its placement rules.
pub trait Format: Copy + fmt::Debug + PartialEq + Eq + 'static {
    /// A name templates of this format may use.
    type Placeholder: Copy + fmt::Debug + PartialEq + Eq;
    /// Which of the format's scripts a template writes (the names available differ).
    type Script: Copy + fmt::Debug + PartialEq + Eq;
    /// The state of the format's reader over the text written so far, for placement rules.
    type Scanner: Default;

    /// The name `name` stands for.
    fn placeholder(name: &[u8]) -> Option<Self::Placeholder>;
    /// The name of `p`, for messages.
    fn name(p: Self::Placeholder) -> Name;
    /// How `p` is used.
    fn shape(p: Self::Placeholder) -> Shape<Self::Placeholder>;
    /// `true` when `script` has `p`.
    fn in_script(p: Self::Placeholder, script: Self::Script) -> bool;
    /// The known name nearest to `name`, when it is close enough to be a misspelling of it.
    fn nearest(name: &[u8]) -> Option<Name>;
    /// Follows literal text that starts at byte `at` of the template.
    ///
    /// # Errors
    /// A placement rule that this text breaks (a value before it that had to stand alone),
    /// and the offset it is about.
    fn scan_text(
        scanner: &mut Self::Scanner,
        at: usize,
        text: &[u8],
    ) -> Result<(), (usize, TemplateErrorKind)>;
    /// Follows a placeholder at byte `at`: its value is written here.
    ///
    /// # Errors
    /// The placement rule it (or a value before it) breaks, and the offset it is about.
    fn scan_value(
        scanner: &mut Self::Scanner,
        at: usize,
        p: Self::Placeholder,
    ) -> Result<(), (usize, TemplateErrorKind)>;
}

/// How many edits a template's name may be from a known one to be suggested.
const NEAREST_MAX_EDITS: usize = 2;

/// The row of a format's table (`rows`, in order) nearest to `name`, when it is close enough
/// to be a misspelling of it: as for a site's keys, fewer edits than half the longer name.
/// `parameterized(row)` is `true` when `name` is an instance of a parameterized row
/// (`mode_<mode>`), which then matches with no edit.
pub(crate) fn nearest_row<'r>(
    format: FormatId,
    rows: impl Iterator<Item = &'r str>,
    name: &[u8],
    parameterized: impl Fn(&str) -> bool,
) -> Option<Name> {
    let mut best: Option<(usize, usize, usize)> = None;
    for (row, text) in rows.enumerate() {
        let distance = if parameterized(text) {
            Some(0)
        } else {
            crate::schema::edit_distance(name, text.as_bytes(), NEAREST_MAX_EDITS)
        };
        if let Some(d) = distance
            && best.is_none_or(|(b, _, _)| d < b)
        {
            best = Some((d, row, text.len()));
        }
    }
    let (d, row, len) = best?;
    if d > 0 && d.saturating_mul(2) >= name.len().max(len) {
        return None;
    }
    Some(Name::new(format, u8::try_from(row).ok()?))
}

/// The formats templates are written in: what a [`Name`] belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatId {
    /// iPXE scripts ([`crate::ipxe::template`]).
    Ipxe,
    /// PXELINUX and GRUB configs ([`crate::classic::template`]).
    Classic,
    /// The engine's own tests.
    #[cfg(test)]
    Test,
}

/// A name of a format's table, as errors hold it: two bytes, resolved to its text (and to
/// the scripts that have it) only when a message is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name {
    format: FormatId,
    index: u8,
}

impl Name {
    /// Row `index` of `format`'s table.
    pub const fn new(format: FormatId, index: u8) -> Name {
        Name { format, index }
    }

    /// The name, as templates write it.
    pub fn as_str(self) -> &'static str {
        match self.format {
            FormatId::Ipxe => crate::ipxe::template::name_text(self.index),
            FormatId::Classic => crate::classic::template::name_text(self.index),
            #[cfg(test)]
            FormatId::Test => tests::name_text(self.index),
        }
    }

    /// Which scripts have it, for messages ("node configs").
    pub fn scripts(self) -> &'static str {
        match self.format {
            FormatId::Ipxe => crate::ipxe::template::name_scripts(self.index),
            FormatId::Classic => crate::classic::template::name_loaders(self.index),
            #[cfg(test)]
            FormatId::Test => "configs",
        }
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with a template, or with what it renders for a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateErrorKind {
    /// The template is longer than its capacity.
    TooLong {
        /// The capacity, in bytes.
        max: u16,
    },
    /// A control byte other than tab and line feed.
    ControlByte,
    /// A byte that is not ASCII.
    NotAscii,
    /// `{{` not closed by `}}` on its line.
    UnclosedTag,
    /// `{{` inside a tag.
    NestedTag,
    /// Text between `{{` and `}}` that is no tag.
    BadTag,
    /// A name the format does not have.
    UnknownName {
        /// The known name nearest to it, if one is close.
        nearest: Option<Name>,
    },
    /// A name the script the template is for does not have.
    NotInScript {
        /// The name.
        name: Name,
    },
    /// `{{ name }}` of a condition or a list, which has no value to write.
    NotAValue {
        /// The name.
        name: Name,
    },
    /// `{{#each name}}` of a name that is not a list.
    NotAList {
        /// The name.
        name: Name,
    },
    /// A value of a list's items outside `{{#each}}` of that list.
    OutsideEach {
        /// The name.
        name: Name,
        /// The list it belongs to.
        list: Name,
    },
    /// `{{#each}}` inside `{{#each}}`.
    EachInEach,
    /// Sections nested deeper than the template capacity.
    TooDeep {
        /// The deepest nesting.
        max: u8,
    },
    /// A section with no closing tag.
    Unclosed {
        /// `true` for `{{#each}}`, `false` for `{{#if}}`.
        each: bool,
    },
    /// A closing tag with no open section, or closing another kind of section.
    UnexpectedClose {
        /// `true` for `{{/each}}`, `false` for `{{/if}}`.
        each: bool,
    },
    /// `{{else}}` outside `{{#if}}`, or a second one in the same `{{#if}}`.
    MisplacedElse,
    /// A placeholder inside a `${...}` expansion: iPXE would take its value as a setting's
    /// name.
    InExpansion {
        /// The name.
        name: Name,
    },
    /// A placeholder in a command's name or a label, where iPXE would run (or jump to) its
    /// value.
    CommandPosition {
        /// The name.
        name: Name,
    },
    /// A value that may begin with `-` where iPXE may still read options.
    OptionPosition {
        /// The name.
        name: Name,
    },
    /// A value of several arguments that does not stand between whitespace.
    NotWholeArguments {
        /// The name.
        name: Name,
    },
    /// A placeholder on a line the linter reads as `# ipxegen-lint: allow <rule>`, where a
    /// value could turn a rule off.
    InLintPragma {
        /// The name.
        name: Name,
    },
    /// A value of whole arguments inside quotes, where GRUB would take its own quotes
    /// literally.
    InQuotes {
        /// The name.
        name: Name,
    },
    /// GRUB's `bootif`, which reads `$m1` to `$m6`, without the line that sets them before
    /// it.
    BootifUnset {
        /// The name.
        name: Name,
    },
    /// A line of what the template renders that is longer than a loader takes without
    /// cutting the kernel command line it builds from it.
    LineTooLong {
        /// The rendered script's line (from 1, saturating).
        line: u16,
        /// The longest line, in bytes.
        max: u16,
    },
    /// A value the node's boot mode does not have.
    NotForMode {
        /// The name.
        name: Name,
        /// The node's mode.
        mode: Mode,
    },
    /// A value the node (or site) may have but does not (an optional field it left out).
    NoValue {
        /// The name.
        name: Name,
    },
    /// What the template renders is longer than the check's buffer.
    OutputTooLong {
        /// The buffer's length, in bytes (saturating at 65,535).
        max: u16,
    },
    /// What the template renders does not lint clean: the finding, where it is in the
    /// rendered script.
    Lint {
        /// The linter's rule.
        rule: crate::ipxe::lint::Rule,
        /// Its line in the rendered script (from 1, saturating).
        line: u16,
        /// Its column there (from 1, saturating).
        column: u16,
    },
}

/// A template error and where it is in the template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemplateError {
    /// What is wrong.
    pub kind: TemplateErrorKind,
    /// Its line in the template, from 1 (a template's lines fit).
    pub line: u16,
    /// Its column in that line, from 1, in bytes (a template is ASCII).
    pub column: u16,
}

impl TemplateError {
    /// The error `kind` at byte `at` of `bytes`.
    pub fn at(bytes: &[u8], at: usize, kind: TemplateErrorKind) -> Self {
        let (line, column) = line_and_column(bytes, at);
        TemplateError { kind, line, column }
    }
}

/// 1-based line and column of byte `at` of `bytes` (each saturating at `u16::MAX`).
pub fn line_and_column(bytes: &[u8], at: usize) -> (u16, u16) {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = before.len().saturating_sub(line_start);
    let count = |n: usize| u16::try_from(n.saturating_add(1)).unwrap_or(u16::MAX);
    (count(line), count(column))
}

impl fmt::Display for TemplateErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TemplateErrorKind::TooLong { max } => {
                write!(f, "the template is longer than {max} bytes")
            }
            TemplateErrorKind::ControlByte => f.write_str(
                "a control character: a template holds printable ASCII, tabs and line feeds (save it with LF line endings)",
            ),
            TemplateErrorKind::NotAscii => f.write_str(
                "a byte that is not ASCII: a template holds printable ASCII, tabs and line feeds",
            ),
            TemplateErrorKind::UnclosedTag => {
                f.write_str("`{{` is not closed by `}}` on its line")
            }
            TemplateErrorKind::NestedTag => f.write_str("`{{` inside a tag: tags do not nest"),
            TemplateErrorKind::BadTag => f.write_str(
                "not a tag: write `{{ name }}`, `{{#if name}}`, `{{else}}`, `{{/if}}`, `{{#each name}}` or `{{/each}}`",
            ),
            TemplateErrorKind::UnknownName { nearest: Some(near) } => {
                write!(f, "unknown placeholder; did you mean `{near}`?")
            }
            TemplateErrorKind::UnknownName { nearest: None } => {
                f.write_str("unknown placeholder (README's placeholder table lists them)")
            }
            TemplateErrorKind::NotInScript { name } => write!(
                f,
                "`{name}` is not available in this script (only in {})",
                name.scripts()
            ),
            TemplateErrorKind::NotAValue { name } => write!(
                f,
                "`{name}` has no value to write: it is for `{{{{#if {name}}}}}` (or `{{{{#each}}}}` of a list)"
            ),
            TemplateErrorKind::NotAList { name } => {
                write!(f, "`{{{{#each}}}}` takes a list, and `{name}` is not one")
            }
            TemplateErrorKind::OutsideEach { name, list } => write!(
                f,
                "`{name}` is a value of each item of `{list}`: write it inside `{{{{#each {list}}}}}`"
            ),
            TemplateErrorKind::EachInEach => {
                f.write_str("`{{#each}}` inside `{{#each}}`: lists do not nest")
            }
            TemplateErrorKind::TooDeep { max } => {
                write!(f, "sections nested deeper than {max}")
            }
            TemplateErrorKind::Unclosed { each } => {
                let section = section_word(each);
                write!(f, "`{{{{#{section}}}}}` is not closed by `{{{{/{section}}}}}`")
            }
            TemplateErrorKind::UnexpectedClose { each } => {
                let section = section_word(each);
                write!(f, "`{{{{/{section}}}}}` closes no `{{{{#{section}}}}}`")
            }
            TemplateErrorKind::MisplacedElse => f.write_str(
                "`{{else}}` outside `{{#if}}`, or a second one in the same `{{#if}}`",
            ),
            TemplateErrorKind::InExpansion { name } if name.format == FormatId::Classic => write!(
                f,
                "`{name}` inside `${{...}}` or after `$`: GRUB would expand its value as part of a variable's name"
            ),
            TemplateErrorKind::InExpansion { name } => write!(
                f,
                "`{name}` inside `${{...}}`: iPXE would expand its value as the name of a setting"
            ),
            TemplateErrorKind::CommandPosition { name } if name.format == FormatId::Classic => {
                write!(
                    f,
                    "`{name}` in a command's name (GRUB) or a keyword (PXELINUX): the loader would run its value"
                )
            }
            TemplateErrorKind::CommandPosition { name } => write!(
                f,
                "`{name}` in a command's name or a label: iPXE would run (or jump to) its value"
            ),
            TemplateErrorKind::OptionPosition { name } => write!(
                f,
                "`{name}` where iPXE may still read options: a value beginning with `-` would be taken as one (write it after a plain argument)"
            ),
            TemplateErrorKind::NotWholeArguments { name } => write!(
                f,
                "`{name}` holds whole arguments: write it between spaces, not joined to other text"
            ),
            TemplateErrorKind::InLintPragma { name } => write!(
                f,
                "`{name}` on an `# ipxegen-lint:` line, where a value could turn a lint rule off"
            ),
            TemplateErrorKind::InQuotes { name } => write!(
                f,
                "`{name}` inside quotes: its value is whole words GRUB quotes itself; write it outside quotes, between spaces"
            ),
            TemplateErrorKind::BootifUnset { name } => write!(
                f,
                "`{name}` reads $m1 to $m6, which no line before it sets: copy the `regexp` line of examples/templates/config.grub.cfg above it ({})",
                crate::classic::grub::SPLIT_BOOT_MAC
            ),
            TemplateErrorKind::LineTooLong { line, max } => write!(
                f,
                "renders its line {line} longer than {max} bytes here: PXELINUX and GRUB would cut the kernel command line built from it without a word"
            ),
            TemplateErrorKind::NotForMode { name, mode } => write!(
                f,
                "`{name}` has no value in mode {}",
                mode.as_str()
            ),
            TemplateErrorKind::NoValue { name } => write!(
                f,
                "`{name}` has no value here: write it inside `{{{{#if {name}}}}}`"
            ),
            TemplateErrorKind::OutputTooLong { max } => {
                write!(f, "renders a script longer than {max} bytes here")
            }
            TemplateErrorKind::Lint { rule, line, column } => write!(
                f,
                "renders a script that fails the linter at its line {line}, column {column}: {}[{}]: {}",
                rule.severity().as_str(),
                rule.id(),
                rule.message()
            ),
        }
    }
}

/// `each` or `if`.
fn section_word(each: bool) -> &'static str {
    if each { "each" } else { "if" }
}

impl fmt::Display for TemplateError {
    /// `line 12, column 5: <what is wrong>` (a front end names the file before it).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.kind
        )
    }
}

/// A tag, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag<'t> {
    /// `{{ name }}`
    Value(&'t [u8]),
    /// `{{#if name}}`
    If(&'t [u8]),
    /// `{{else}}`
    Else,
    /// `{{/if}}`
    EndIf,
    /// `{{#each name}}`
    Each(&'t [u8]),
    /// `{{/each}}`
    EndEach,
}

impl Tag<'_> {
    /// `true` for the tags of sections, which a line of their own takes with them.
    fn is_section(self) -> bool {
        !matches!(self, Tag::Value(_))
    }
}

/// A piece of a template: text to write as it is, or a tag (`at`: the offset of its `{{`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece<'t> {
    Text { at: usize, text: &'t [u8] },
    Tag { at: usize, tag: Tag<'t> },
}

/// An error of the reading of pieces: where and what.
type PieceError = (usize, TemplateErrorKind);

/// The pieces of a template, in order. Position [`Pieces::pos`] can be set back to the end
/// of a tag already read (to repeat an `{{#each}}` body).
struct Pieces<'t> {
    bytes: &'t [u8],
    pos: usize,
    /// A tag found after the text just given, and where the pieces go on after it.
    pending: Option<(usize, Tag<'t>, usize)>,
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `bytes` without leading and trailing spaces.
fn trim_spaces(mut bytes: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = bytes {
        bytes = rest;
    }
    while let [rest @ .., b' '] = bytes {
        bytes = rest;
    }
    bytes
}

/// The name in `bytes` (trimmed), if it is one: letters, digits and `_`.
fn name_of(bytes: &[u8]) -> Option<&[u8]> {
    let name = trim_spaces(bytes);
    (!name.is_empty() && name.iter().all(|&b| is_name_byte(b))).then_some(name)
}

/// The tag whose content (between `{{` and `}}`) is `content`.
fn tag_of(content: &[u8]) -> Option<Tag<'_>> {
    let content = trim_spaces(content);
    if let Some(rest) = content.strip_prefix(b"#if ") {
        return name_of(rest).map(Tag::If);
    }
    if let Some(rest) = content.strip_prefix(b"#each ") {
        return name_of(rest).map(Tag::Each);
    }
    match content {
        b"else" => Some(Tag::Else),
        b"/if" => Some(Tag::EndIf),
        b"/each" => Some(Tag::EndEach),
        _ => name_of(content).map(Tag::Value),
    }
}

impl<'t> Pieces<'t> {
    fn new(bytes: &'t [u8]) -> Self {
        Pieces {
            bytes,
            pos: 0,
            pending: None,
        }
    }

    /// The tag that starts at `open` (a `{{`): the tag and where it ends (after its `}}`).
    fn tag_at(&self, open: usize) -> Result<(Tag<'t>, usize), PieceError> {
        let inner = open + 2;
        let rest = self.bytes.get(inner..).unwrap_or_default();
        let mut i = 0;
        loop {
            match (rest.get(i), rest.get(i + 1)) {
                (Some(b'}'), Some(b'}')) => break,
                (Some(b'{'), Some(b'{')) => return Err((inner + i, TemplateErrorKind::NestedTag)),
                (None | Some(b'\n'), _) => return Err((open, TemplateErrorKind::UnclosedTag)),
                _ => i += 1,
            }
        }
        let content = rest.get(..i).unwrap_or_default();
        let tag = tag_of(content).ok_or((open, TemplateErrorKind::BadTag))?;
        Ok((tag, inner + i + 2))
    }

    /// Where the tag `open..close` takes its whole line with it (a section tag with nothing
    /// but blanks around it on its line, and no other piece before it there): the start of
    /// its line and where the pieces go on (after the line feed).
    fn standalone(&self, open: usize, close: usize) -> Option<(usize, usize)> {
        let before = self.bytes.get(..open)?;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        if line_start < self.pos || !before.get(line_start..)?.iter().all(|&b| is_blank(b)) {
            return None;
        }
        let after = self.bytes.get(close..)?;
        let blanks = after.iter().take_while(|&&b| is_blank(b)).count();
        match after.get(blanks) {
            None => Some((line_start, close + blanks)),
            Some(b'\n') => Some((line_start, close + blanks + 1)),
            Some(_) => None,
        }
    }
}

impl<'t> Iterator for Pieces<'t> {
    type Item = Result<Piece<'t>, PieceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some((at, tag, next)) = self.pending.take() {
            self.pos = next;
            return Some(Ok(Piece::Tag { at, tag }));
        }
        let rest = self.bytes.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        let start = self.pos;
        let Some(open) = rest.windows(2).position(|w| w == b"{{").map(|i| start + i) else {
            self.pos = self.bytes.len();
            return Some(Ok(Piece::Text {
                at: start,
                text: rest,
            }));
        };
        let (tag, close) = match self.tag_at(open) {
            Ok(found) => found,
            Err(e) => {
                self.pos = self.bytes.len();
                return Some(Err(e));
            }
        };
        let (text_end, next) = match tag.is_section().then(|| self.standalone(open, close)) {
            Some(Some(line)) => line,
            _ => (open, close),
        };
        let text = self.bytes.get(start..text_end).unwrap_or_default();
        if text.is_empty() {
            self.pos = next;
            return Some(Ok(Piece::Tag { at: open, tag }));
        }
        self.pending = Some((open, tag, next));
        self.pos = text_end;
        Some(Ok(Piece::Text { at: start, text }))
    }
}

/// An open section while a template is parsed or rendered.
#[derive(Clone, Copy, Debug)]
struct Frame<P> {
    /// `true` for `{{#each}}`, `false` for `{{#if}}`.
    each: bool,
    /// Where its opening tag is.
    at: usize,
    /// Whether the text around the section was written (`true` outside every section).
    outer_active: bool,
    /// `{{#if}}`: whether its condition held; whether `{{else}}` was met.
    holds: bool,
    else_seen: bool,
    /// `{{#each}}`: its list, where its body starts, the item being written and how many
    /// there are.
    list: Option<P>,
    body: usize,
    item: usize,
    items: usize,
}

impl<P> Frame<P> {
    fn new(each: bool, at: usize, outer_active: bool) -> Self {
        Frame {
            each,
            at,
            outer_active,
            holds: false,
            else_seen: false,
            list: None,
            body: 0,
            item: 0,
            items: 0,
        }
    }
}

/// The open sections, innermost last: a fixed stack.
struct Sections<P> {
    frames: [Option<Frame<P>>; TEMPLATE_SECTIONS_MAX],
    depth: usize,
}

impl<P: Copy> Sections<P> {
    fn new() -> Self {
        Sections {
            frames: [None; TEMPLATE_SECTIONS_MAX],
            depth: 0,
        }
    }

    fn push(&mut self, frame: Frame<P>) -> bool {
        match self.frames.get_mut(self.depth) {
            Some(slot) => {
                *slot = Some(frame);
                self.depth += 1;
                true
            }
            None => false,
        }
    }

    fn top(&mut self) -> Option<&mut Frame<P>> {
        let i = self.depth.checked_sub(1)?;
        self.frames.get_mut(i)?.as_mut()
    }

    fn pop(&mut self) -> Option<Frame<P>> {
        let i = self.depth.checked_sub(1)?;
        let frame = self.frames.get_mut(i)?.take();
        self.depth = i;
        frame
    }

    fn each_of(&self) -> Option<P> {
        self.frames
            .iter()
            .take(self.depth)
            .flatten()
            .find(|f| f.each)
            .and_then(|f| f.list)
    }
}

/// A template validated for one script of format `F`: a view over its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Template<'t, F: Format> {
    bytes: &'t [u8],
    script: F::Script,
}

/// What a template writes its output through: the format's renderer of values, given the
/// node (or site) being rendered.
pub trait Renderer<F: Format> {
    /// Writes literal text of the template (`at`: where it is in the template).
    ///
    /// # Errors
    /// A write error.
    fn text(&mut self, at: usize, text: &[u8]) -> Result<(), Error>;
    /// Writes the value of `p` (a placeholder at byte `at`).
    ///
    /// # Errors
    /// [`RenderError::Missing`] when the node does not have the value; a write error.
    fn value(&mut self, at: usize, p: F::Placeholder) -> Result<(), RenderError>;
    /// `true` when `{{#if p}}` holds.
    fn present(&mut self, p: F::Placeholder) -> bool;
    /// How many items the list `p` has here.
    fn items(&mut self, p: F::Placeholder) -> usize;
    /// Makes item `index` of the list `p` the current one.
    fn select_item(&mut self, p: F::Placeholder, index: usize);
}

/// Why a renderer could not write a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderError {
    /// The node (or site) does not have the value: the template error to report where the
    /// placeholder is.
    Missing(TemplateErrorKind),
    /// Writing failed.
    Write(Error),
}

impl From<Error> for RenderError {
    fn from(e: Error) -> Self {
        RenderError::Write(e)
    }
}

impl<'t, F: Format> Template<'t, F> {
    /// Validates `bytes` as a template of `script` (see the module docs: every rule of the
    /// language, the names `script` has, and the format's placement rules).
    ///
    /// # Errors
    /// The first problem in the template, with its line and column.
    pub fn parse(bytes: &'t [u8], script: F::Script) -> Result<Self, TemplateError> {
        let fail = |at: usize, kind| TemplateError::at(bytes, at, kind);
        if bytes.len() > TEMPLATE_MAX {
            let max = u16::try_from(TEMPLATE_MAX).unwrap_or(u16::MAX);
            return Err(fail(0, TemplateErrorKind::TooLong { max }));
        }
        for (at, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' | b'\t' | 0x20..=0x7e => {}
                0x80..=0xff => return Err(fail(at, TemplateErrorKind::NotAscii)),
                _ => return Err(fail(at, TemplateErrorKind::ControlByte)),
            }
        }
        let mut scanner = F::Scanner::default();
        let mut sections = Sections::<F::Placeholder>::new();
        for piece in Pieces::new(bytes) {
            let piece = piece.map_err(|(at, kind)| fail(at, kind))?;
            check_piece::<F>(piece, script, &mut scanner, &mut sections)
                .map_err(|(at, kind)| fail(at, kind))?;
        }
        if let Some(open) = sections.pop() {
            let kind = TemplateErrorKind::Unclosed { each: open.each };
            return Err(fail(open.at, kind));
        }
        Ok(Template { bytes, script })
    }

    /// The template's bytes.
    pub fn bytes(&self) -> &'t [u8] {
        self.bytes
    }

    /// The script it was validated for.
    pub fn script(&self) -> F::Script {
        self.script
    }

    /// Line and column (from 1) of byte `at` of the template.
    pub fn line_and_column(&self, at: usize) -> (u16, u16) {
        line_and_column(self.bytes, at)
    }

    /// Writes the template through `renderer`: its text, and the value of each placeholder
    /// the sections taken reach (a placeholder in a section not taken is not looked at).
    ///
    /// # Errors
    /// A value the renderer does not have, as [`ErrorKind::Template`] at the placeholder's
    /// line and column; a write error of the renderer.
    pub fn render(&self, renderer: &mut impl Renderer<F>) -> Result<(), Error> {
        let internal = || Error::new(ErrorKind::Internal);
        let mut sections = Sections::<F::Placeholder>::new();
        let mut active = true;
        let mut pieces = Pieces::new(self.bytes);
        while let Some(piece) = pieces.next() {
            match piece.map_err(|_| internal())? {
                Piece::Text { at, text } => {
                    if active {
                        renderer.text(at, text)?;
                    }
                }
                Piece::Tag { at, tag } => match tag {
                    Tag::Value(name) => {
                        if !active {
                            continue;
                        }
                        let p = F::placeholder(name).ok_or_else(internal)?;
                        match renderer.value(at, p) {
                            Ok(()) => {}
                            Err(RenderError::Write(e)) => return Err(e),
                            Err(RenderError::Missing(kind)) => {
                                let e = TemplateError::at(self.bytes, at, kind);
                                return Err(Error::new(ErrorKind::Template(e)));
                            }
                        }
                    }
                    Tag::If(name) => {
                        let p = F::placeholder(name).ok_or_else(internal)?;
                        let mut frame = Frame::new(false, at, active);
                        frame.holds = active && renderer.present(p);
                        active = frame.holds;
                        if !sections.push(frame) {
                            return Err(internal());
                        }
                    }
                    Tag::Else => {
                        let frame = sections.top().ok_or_else(internal)?;
                        active = frame.outer_active && !frame.holds;
                    }
                    Tag::EndIf => {
                        active = sections.pop().ok_or_else(internal)?.outer_active;
                    }
                    Tag::Each(name) => {
                        let list = F::placeholder(name).ok_or_else(internal)?;
                        let mut frame = Frame::new(true, at, active);
                        frame.list = Some(list);
                        frame.body = pieces.pos;
                        frame.items = if active { renderer.items(list) } else { 0 };
                        if frame.items > 0 {
                            renderer.select_item(list, 0);
                        }
                        active = frame.items > 0;
                        if !sections.push(frame) {
                            return Err(internal());
                        }
                    }
                    Tag::EndEach => {
                        let frame = sections.top().ok_or_else(internal)?;
                        if frame.item + 1 < frame.items {
                            frame.item += 1;
                            let list = frame.list.ok_or_else(internal)?;
                            renderer.select_item(list, frame.item);
                            pieces.pos = frame.body;
                            pieces.pending = None;
                        } else {
                            active = sections.pop().ok_or_else(internal)?.outer_active;
                        }
                    }
                },
            }
        }
        Ok(())
    }

    /// Byte offset in the template of what writes the byte at `line` and `column` (both
    /// from 1) of the output `renderer` produces, or of the last piece written before it:
    /// the template's place of something found in its output. `output` tells where the
    /// renderer's output is (the line and column of its next byte).
    ///
    /// # Errors
    /// As [`Template::render`].
    pub fn source_of<R: Renderer<F>>(
        &self,
        renderer: &mut R,
        output: impl Fn(&R) -> (u16, u16),
        line: u16,
        column: u16,
    ) -> Result<usize, Error> {
        let mut tracer = Tracer {
            inner: renderer,
            output,
            target: (line, column),
            found: None,
        };
        self.render(&mut tracer)?;
        Ok(tracer.found.unwrap_or(0))
    }
}

/// A renderer that notes which piece of the template writes a given place of the output.
struct Tracer<'r, R, O> {
    inner: &'r mut R,
    /// Where the output is now: (line, column) of the next byte, from 1.
    output: O,
    target: (u16, u16),
    found: Option<usize>,
}

impl<R, O> Tracer<'_, R, O>
where
    O: Fn(&R) -> (u16, u16),
{
    /// Notes `at` if the output has not yet passed the target.
    fn note(&mut self, at: usize) {
        if self.found.is_none() || (self.output)(self.inner) <= self.target {
            self.found = Some(at);
        }
    }
}

impl<F: Format, R: Renderer<F>, O: Fn(&R) -> (u16, u16)> Renderer<F> for Tracer<'_, R, O> {
    fn text(&mut self, at: usize, text: &[u8]) -> Result<(), Error> {
        // A text piece may hold the target's line; find the byte that writes it.
        let (mut line, mut column) = (self.output)(self.inner);
        for (i, &b) in text.iter().enumerate() {
            if (line, column) <= self.target {
                self.found = Some(at + i);
            }
            if b == b'\n' {
                line = line.saturating_add(1);
                column = 1;
            } else {
                column = column.saturating_add(1);
            }
        }
        self.inner.text(at, text)
    }

    fn value(&mut self, at: usize, p: F::Placeholder) -> Result<(), RenderError> {
        self.note(at);
        self.inner.value(at, p)
    }

    fn present(&mut self, p: F::Placeholder) -> bool {
        self.inner.present(p)
    }

    fn items(&mut self, p: F::Placeholder) -> usize {
        self.inner.items(p)
    }

    fn select_item(&mut self, p: F::Placeholder, index: usize) {
        self.inner.select_item(p, index);
    }
}

/// Checks one piece while a template is parsed: its tag's name and section, and the format's
/// placement rules.
fn check_piece<F: Format>(
    piece: Piece<'_>,
    script: F::Script,
    scanner: &mut F::Scanner,
    sections: &mut Sections<F::Placeholder>,
) -> Result<(), PieceError> {
    let (at, tag) = match piece {
        Piece::Text { at, text } => return F::scan_text(scanner, at, text),
        Piece::Tag { at, tag } => (at, tag),
    };
    let resolve = |name: &[u8]| -> Result<F::Placeholder, PieceError> {
        let p = F::placeholder(name).ok_or((
            at,
            TemplateErrorKind::UnknownName {
                nearest: F::nearest(name),
            },
        ))?;
        if !F::in_script(p, script) {
            return Err((at, TemplateErrorKind::NotInScript { name: F::name(p) }));
        }
        Ok(p)
    };
    let in_its_list = |p: F::Placeholder, each: Option<F::Placeholder>| match F::shape(p) {
        Shape::Item(list) if each != Some(list) => Err((
            at,
            TemplateErrorKind::OutsideEach {
                name: F::name(p),
                list: F::name(list),
            },
        )),
        _ => Ok(()),
    };
    let open = |sections: &mut Sections<F::Placeholder>, frame| {
        if sections.push(frame) {
            Ok(())
        } else {
            let max = u8::try_from(TEMPLATE_SECTIONS_MAX).unwrap_or(u8::MAX);
            Err((at, TemplateErrorKind::TooDeep { max }))
        }
    };
    match tag {
        Tag::Value(name) => {
            let p = resolve(name)?;
            match F::shape(p) {
                Shape::Flag | Shape::List => {
                    return Err((at, TemplateErrorKind::NotAValue { name: F::name(p) }));
                }
                Shape::Value | Shape::Item(_) => in_its_list(p, sections.each_of())?,
            }
            F::scan_value(scanner, at, p)
        }
        Tag::If(name) => {
            let p = resolve(name)?;
            in_its_list(p, sections.each_of())?;
            open(sections, Frame::new(false, at, true))
        }
        Tag::Else => match sections.top() {
            Some(frame) if !frame.each && !frame.else_seen => {
                frame.else_seen = true;
                Ok(())
            }
            _ => Err((at, TemplateErrorKind::MisplacedElse)),
        },
        Tag::Each(name) => {
            let p = resolve(name)?;
            if F::shape(p) != Shape::List {
                return Err((at, TemplateErrorKind::NotAList { name: F::name(p) }));
            }
            if sections.each_of().is_some() {
                return Err((at, TemplateErrorKind::EachInEach));
            }
            let mut frame = Frame::new(true, at, true);
            frame.list = Some(p);
            open(sections, frame)
        }
        Tag::EndIf | Tag::EndEach => {
            let each = tag == Tag::EndEach;
            match sections.top() {
                Some(frame) if frame.each == each => {
                    sections.pop();
                    Ok(())
                }
                _ => Err((at, TemplateErrorKind::UnexpectedClose { each })),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy format: `a`, `b` values, `f` and `g` flags, `list` with item `x`; `main` lacks
    /// `b`. Its only placement rule: no placeholder right after `$`.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    struct Toy;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum P {
        A,
        B,
        F,
        G,
        List,
        X,
    }

    /// The name of row `index` of the toy format's table.
    pub(super) fn name_text(index: u8) -> &'static str {
        NAMES.get(usize::from(index)).map_or("", |(n, _)| n)
    }

    const NAMES: [(&str, P); 6] = [
        ("a", P::A),
        ("b", P::B),
        ("f", P::F),
        ("g", P::G),
        ("list", P::List),
        ("x", P::X),
    ];

    #[derive(Default)]
    struct ToyScanner {
        after_dollar: bool,
    }

    impl Format for Toy {
        type Placeholder = P;
        type Script = bool;
        type Scanner = ToyScanner;

        fn placeholder(name: &[u8]) -> Option<P> {
            NAMES
                .iter()
                .find(|(n, _)| n.as_bytes() == name)
                .map(|(_, p)| *p)
        }
        fn name(p: P) -> Name {
            let i = NAMES.iter().position(|(_, q)| *q == p).unwrap_or(0);
            Name::new(FormatId::Test, u8::try_from(i).unwrap())
        }
        fn shape(p: P) -> Shape<P> {
            match p {
                P::A | P::B => Shape::Value,
                P::F | P::G => Shape::Flag,
                P::List => Shape::List,
                P::X => Shape::Item(P::List),
            }
        }
        fn in_script(p: P, main: bool) -> bool {
            !(main && p == P::B)
        }
        fn nearest(name: &[u8]) -> Option<Name> {
            (name == b"aa").then(|| Toy::name(P::A))
        }
        fn scan_text(
            s: &mut ToyScanner,
            _at: usize,
            text: &[u8],
        ) -> Result<(), (usize, TemplateErrorKind)> {
            s.after_dollar = text.last() == Some(&b'$');
            Ok(())
        }
        fn scan_value(
            s: &mut ToyScanner,
            at: usize,
            p: P,
        ) -> Result<(), (usize, TemplateErrorKind)> {
            if s.after_dollar {
                return Err((at, TemplateErrorKind::InExpansion { name: Toy::name(p) }));
            }
            s.after_dollar = false;
            Ok(())
        }
    }

    /// Renders values as `<a>`, `<b>`, `<x0>`...; `f` holds, `g` does not; `list` has
    /// `items` items; `b` is missing.
    struct Out {
        text: heapless::String<512>,
        items: usize,
        item: usize,
    }

    impl Renderer<Toy> for Out {
        fn text(&mut self, _at: usize, text: &[u8]) -> Result<(), Error> {
            self.text
                .push_str(core::str::from_utf8(text).unwrap())
                .map_err(|_| Error::new(ErrorKind::Internal))
        }
        fn value(&mut self, _at: usize, p: P) -> Result<(), RenderError> {
            use core::fmt::Write as _;
            let r = match p {
                P::A => write!(self.text, "<a>"),
                P::X => write!(self.text, "<x{}>", self.item),
                _ => {
                    let name = n(P::B);
                    return Err(RenderError::Missing(TemplateErrorKind::NoValue { name }));
                }
            };
            r.map_err(|_| RenderError::Write(Error::new(ErrorKind::Internal)))
        }
        fn present(&mut self, p: P) -> bool {
            matches!(p, P::F | P::A) || (p == P::List && self.items > 0)
        }
        fn items(&mut self, _p: P) -> usize {
            self.items
        }
        fn select_item(&mut self, _p: P, index: usize) {
            self.item = index;
        }
    }

    fn render(template: &str, items: usize) -> Result<heapless::String<512>, Error> {
        let t = Template::<Toy>::parse(template.as_bytes(), false).unwrap();
        let mut out = Out {
            text: heapless::String::new(),
            items,
            item: 0,
        };
        t.render(&mut out)?;
        Ok(out.text)
    }

    fn n(p: P) -> Name {
        Toy::name(p)
    }

    fn parse_error(template: &[u8]) -> (u16, u16, TemplateErrorKind) {
        let e = Template::<Toy>::parse(template, true).unwrap_err();
        (e.line, e.column, e.kind)
    }

    #[test]
    fn writes_text_values_and_sections() {
        assert_eq!(render("x {{ a }} y {{a}}\n", 0).unwrap(), "x <a> y <a>\n");
        assert_eq!(
            render(
                "{{#if f}}F{{else}}not F{{/if}} {{#if g}}G{{else}}not G{{/if}}",
                0
            )
            .unwrap(),
            "F not G"
        );
        assert_eq!(render("{{#if g}}G{{/if}}.", 0).unwrap(), ".");
        assert_eq!(
            render("[{{#each list}}{{ x }},{{/each}}]", 3).unwrap(),
            "[<x0>,<x1>,<x2>,]"
        );
        assert_eq!(render("[{{#each list}}{{ x }}{{/each}}]", 0).unwrap(), "[]");
        // A value missing in a section not taken is not looked at.
        assert_eq!(render("{{#if g}}{{ b }}{{/if}}ok", 0).unwrap(), "ok");
        assert_eq!(render("}} is text", 0).unwrap(), "}} is text");
    }

    #[test]
    fn section_tags_alone_on_their_line_take_it_with_them() {
        let t = "a\n  {{#if f}}  \nb\n{{else}}\nc\n{{/if}}\nd";
        assert_eq!(render(t, 0).unwrap(), "a\nb\nd");
        // Not alone: the line stays.
        assert_eq!(
            render("a {{#if f}}\nb\n{{/if}} c\n", 0).unwrap(),
            "a \nb\n c\n"
        );
        assert_eq!(
            render("{{#each list}}\n- {{ x }}\n{{/each}}\nend\n", 2).unwrap(),
            "- <x0>\n- <x1>\nend\n"
        );
        // Two section tags on one line: only the first could stand alone, and it does not.
        assert_eq!(render("{{#if f}}{{/if}}\nz", 0).unwrap(), "\nz");
        // A value tag alone on its line keeps it.
        assert_eq!(render("{{ a }}\n", 0).unwrap(), "<a>\n");
        // The last line, without a line feed.
        assert_eq!(render("a\n{{#if f}}\nb{{/if}}", 0).unwrap(), "a\nb");
        assert_eq!(render("a\n{{#if g}}\nb\n{{/if}}", 0).unwrap(), "a\n");
    }

    #[test]
    fn a_missing_value_names_its_place() {
        let e = render("line\n  {{ b }}", 0).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::Template(TemplateError {
                kind: TemplateErrorKind::NoValue { name: n(P::B) },
                line: 2,
                column: 3
            })
        );
    }

    #[test]
    fn malformed_templates_are_refused_where_they_are() {
        use TemplateErrorKind as K;
        type Case<'a> = (&'a [u8], (u16, u16, K));
        let cases: &[Case<'_>] = &[
            (b"a {{ a", (1, 3, K::UnclosedTag)),
            (b"a {{ a\n}}", (1, 3, K::UnclosedTag)),
            (b"{{ a {{ a }} }}", (1, 6, K::NestedTag)),
            (b"{{{ a }}}", (1, 1, K::BadTag)),
            (b"{{ }}", (1, 1, K::BadTag)),
            (b"{{ a b }}", (1, 1, K::BadTag)),
            (b"{{ a-b }}", (1, 1, K::BadTag)),
            (b"{{#unless f}}", (1, 1, K::BadTag)),
            (
                b"{{ aa }}",
                (
                    1,
                    1,
                    K::UnknownName {
                        nearest: Some(n(P::A)),
                    },
                ),
            ),
            (b"\n {{ zz }}", (2, 2, K::UnknownName { nearest: None })),
            (b"{{ b }}", (1, 1, K::NotInScript { name: n(P::B) })),
            (b"{{ f }}", (1, 1, K::NotAValue { name: n(P::F) })),
            (b"{{ list }}", (1, 1, K::NotAValue { name: n(P::List) })),
            (
                b"{{#each a}}{{/each}}",
                (1, 1, K::NotAList { name: n(P::A) }),
            ),
            (
                b"{{ x }}",
                (
                    1,
                    1,
                    K::OutsideEach {
                        name: n(P::X),
                        list: n(P::List),
                    },
                ),
            ),
            (
                b"{{#each list}}{{#each list}}{{/each}}{{/each}}",
                (1, 15, K::EachInEach),
            ),
            (b"{{#if f}}", (1, 1, K::Unclosed { each: false })),
            (b"{{#each list}}\n", (1, 1, K::Unclosed { each: true })),
            (b"{{/if}}", (1, 1, K::UnexpectedClose { each: false })),
            (
                b"{{#if f}}{{/each}}",
                (1, 10, K::UnexpectedClose { each: true }),
            ),
            (b"{{else}}", (1, 1, K::MisplacedElse)),
            (
                b"{{#if f}}{{else}}{{else}}{{/if}}",
                (1, 18, K::MisplacedElse),
            ),
            (
                b"{{#each list}}{{else}}{{/each}}",
                (1, 15, K::MisplacedElse),
            ),
            (b"ok\tok\n\x01", (2, 1, K::ControlByte)),
            (b"a\r\n", (1, 2, K::ControlByte)),
            (b"a\0", (1, 2, K::ControlByte)),
            ("caf\u{e9}".as_bytes(), (1, 4, K::NotAscii)),
            (b"a ${{{ a }}}", (1, 4, K::BadTag)),
            (b"$${{ a }}", (1, 3, K::InExpansion { name: n(P::A) })),
        ];
        for (template, want) in cases {
            assert_eq!(
                parse_error(template),
                *want,
                "{:?}",
                core::str::from_utf8(template)
            );
        }
        // Nested deeper than the capacity.
        let mut deep = heapless::String::<256>::new();
        for _ in 0..=TEMPLATE_SECTIONS_MAX {
            deep.push_str("{{#if f}}").unwrap();
        }
        assert_eq!(
            parse_error(deep.as_bytes()).2,
            K::TooDeep {
                max: u8::try_from(TEMPLATE_SECTIONS_MAX).unwrap()
            }
        );
        // Items inside their list, and conditions on them, are fine.
        assert!(
            Template::<Toy>::parse(b"{{#each list}}{{#if x}}{{ x }}{{/if}}{{/each}}", true).is_ok()
        );
    }

    #[test]
    fn oversize_templates_are_refused() {
        static BIG: [u8; TEMPLATE_MAX + 1] = [b'a'; TEMPLATE_MAX + 1];
        let max = u16::try_from(TEMPLATE_MAX).unwrap();
        assert_eq!(
            parse_error(&BIG),
            (1, 1, TemplateErrorKind::TooLong { max })
        );
        assert!(Template::<Toy>::parse(&BIG[1..], true).is_ok());
    }

    #[test]
    fn source_of_finds_the_piece_that_writes_a_place() {
        let t = Template::<Toy>::parse(b"one\n{{ a }} two\nthree {{ a }}\n", false).unwrap();
        let mut out = Out {
            text: heapless::String::new(),
            items: 0,
            item: 0,
        };
        let position = |o: &Out| {
            let text = o.text.as_bytes();
            let (line, column) = line_and_column(text, text.len());
            (line, column)
        };
        // Line 2, column 1 of the output is written by `{{ a }}` at byte 4.
        assert_eq!(t.source_of(&mut out, position, 2, 1).unwrap(), 4);
        out.text.clear();
        // Line 3, column 3: the literal `three`.
        assert_eq!(t.source_of(&mut out, position, 3, 3).unwrap(), 18);
    }
}
