//! A linter for iPXE scripts that follows iPXE's own parsing rules (see `ipxe/script.rs` and
//! iPXE's `script.c`, `exec.c`, `parseopt.c`, `settings.c`): lines split on `\n` with one `\r`
//! dropped, a trailing `\` joins the next line, a NUL cuts a line, `:label` lines, tokens split
//! on whitespace only, `||` `&&` `;` operators only as whole tokens, `#` tokens start comments,
//! `${...}` expansions nest, options are parsed (getopt, no permutation) before the first
//! plain argument.
//!
//! [`lint_script`] reports each finding to a callback as a [`Diagnostic`] with line, column,
//! a stable [`Rule`] and its severity; the message says what iPXE will do and how to fix it.
//! No allocation, never panics on any bytes: a logical line longer than [`LINE_MAX`] is
//! reported and skipped.
//!
//! Labels (for `missing-label` and `duplicate-label`) are looked up in a table of the
//! script's label lines, sorted once (by a hash of the label, then its bytes) and
//! binary-searched: with room for every label line ([`label_line_count`] entries, given to
//! [`lint_script_with`]) the whole lint takes O(n log n) time in the script's length. A table
//! too small for the script never changes the findings: the label lines it has no room for
//! are read again from the script for each lookup (O(n) per `goto`, `item` and label).

use crate::limits::TIMEOUT_MIN_MS;

/// Longest logical line (after joining `\` continuations) the linter reads.
pub const LINE_MAX: usize = 4096;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Likely wrong, or fragile.
    Warning,
    /// iPXE will misbehave.
    Error,
}

impl Severity {
    /// The word for it in reports: `error` or `warning`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The rules, with stable ids (see [`Rule::id`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // each rule is documented by `message`
pub enum Rule {
    Header,
    MissingLabel,
    DuplicateLabel,
    UnknownCommand,
    UnknownOption,
    OptionNotTaken,
    SinglePipe,
    UnbalancedExpansion,
    SelfExpansion,
    TimeoutSeconds,
    UnhandledPrompt,
    UnhandledFailure,
    AmbiguousMac,
    InitrdName,
    QuietOption,
    HttpsUrl,
    NulByte,
    TrailingBackslash,
    LineTooLong,
}

impl Rule {
    /// Every rule.
    pub const ALL: [Rule; 19] = [
        Rule::Header,
        Rule::MissingLabel,
        Rule::DuplicateLabel,
        Rule::UnknownCommand,
        Rule::UnknownOption,
        Rule::OptionNotTaken,
        Rule::SinglePipe,
        Rule::UnbalancedExpansion,
        Rule::SelfExpansion,
        Rule::TimeoutSeconds,
        Rule::UnhandledPrompt,
        Rule::UnhandledFailure,
        Rule::AmbiguousMac,
        Rule::InitrdName,
        Rule::QuietOption,
        Rule::HttpsUrl,
        Rule::NulByte,
        Rule::TrailingBackslash,
        Rule::LineTooLong,
    ];

    /// The stable id shown in output (`file:line:col: error[missing-label]: ...`).
    pub const fn id(self) -> &'static str {
        match self {
            Rule::Header => "header",
            Rule::MissingLabel => "missing-label",
            Rule::DuplicateLabel => "duplicate-label",
            Rule::UnknownCommand => "unknown-command",
            Rule::UnknownOption => "unknown-option",
            Rule::OptionNotTaken => "option-not-taken",
            Rule::SinglePipe => "single-pipe",
            Rule::UnbalancedExpansion => "unbalanced-expansion",
            Rule::SelfExpansion => "self-expansion",
            Rule::TimeoutSeconds => "timeout-seconds",
            Rule::UnhandledPrompt => "unhandled-prompt",
            Rule::UnhandledFailure => "unhandled-failure",
            Rule::AmbiguousMac => "ambiguous-mac",
            Rule::InitrdName => "initrd-name",
            Rule::QuietOption => "quiet-option",
            Rule::HttpsUrl => "https-url",
            Rule::NulByte => "nul-byte",
            Rule::TrailingBackslash => "trailing-backslash",
            Rule::LineTooLong => "line-too-long",
        }
    }

    /// How bad it is.
    pub const fn severity(self) -> Severity {
        match self {
            Rule::DuplicateLabel
            | Rule::TimeoutSeconds
            | Rule::UnhandledFailure
            | Rule::AmbiguousMac
            | Rule::InitrdName
            | Rule::HttpsUrl => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// What iPXE will do, and how to fix it.
    pub const fn message(self) -> &'static str {
        match self {
            Rule::Header => {
                "not an iPXE script: it must start with `#!ipxe` and a whitespace byte (BIOS iPXE hangs silently on anything else, UEFI says \"Exec format error\"); write `#!ipxe` alone on the first line"
            }
            Rule::MissingLabel => {
                "no `:label` line for this target: iPXE fails with a generic \"not found\" and ends the script; add the label or fix the name"
            }
            Rule::DuplicateLabel => {
                "label defined twice: `goto` jumps to the first one; rename one of them"
            }
            Rule::UnknownCommand => {
                "unknown command: iPXE fails and ends the script (check the spelling, or that this iPXE build has it)"
            }
            Rule::UnknownOption => {
                "unknown option for this command: iPXE prints usage and the command fails"
            }
            Rule::OptionNotTaken => {
                "this command takes no options: iPXE prints usage and the command fails"
            }
            Rule::SinglePipe => {
                "a single `|` or `&` is a plain argument, not an operator: write `||` (on failure) or `&&` (on success)"
            }
            Rule::UnbalancedExpansion => {
                "unbalanced `${`: iPXE cannot expand this argument and the command fails"
            }
            Rule::SelfExpansion => {
                "this setting expands to itself: expansion is recursive, so iPXE hangs"
            }
            Rule::TimeoutSeconds => {
                "timeout below 1000: iPXE timeouts are in milliseconds, so this is under a second (write 60000 for one minute)"
            }
            Rule::UnhandledPrompt => {
                "`prompt` fails when no key is pressed (or on timeout), which ends the script: add `||`"
            }
            Rule::UnhandledFailure => {
                "if this download or boot fails, iPXE ends the script: add `|| goto <retry label>` (or `||`)"
            }
            Rule::AmbiguousMac => {
                "`${mac}` without a NIC block picks the first match in the settings tree, ambiguous on a machine with several NICs: write `${netX/mac}` (e.g. `${net0/mac}`)"
            }
            Rule::InitrdName => {
                "the kernel command line lacks `initrd=<name>` of the loaded initrd (or names another image): UEFI kernels will not find their initrd"
            }
            Rule::QuietOption => {
                "`--quiet` is rejected by iPXE 2.0 and unknown to older builds: remove it"
            }
            Rule::HttpsUrl => {
                "https:// is absent from stock BIOS builds and older iPXE: check `${platform}` or feature 175.20 first, or use http://"
            }
            Rule::NulByte => "a NUL byte cuts the line short here: remove it",
            Rule::TrailingBackslash => {
                "the last line ends in `\\`, which joins it to a line that does not exist: remove the backslash"
            }
            Rule::LineTooLong => {
                "line longer than the linter reads (4096 bytes after joining continuations); not checked"
            }
        }
    }
}

/// One finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line (of the first physical line of a joined line).
    pub line: u32,
    /// 1-based column in that logical line (bytes).
    pub column: u32,
    /// The rule.
    pub rule: Rule,
}

impl Diagnostic {
    /// The rule's severity.
    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }
}

/// `line:column: severity[rule]: message`, as every front end reports a finding (after the
/// file name, where there is one).
impl core::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "{}:{}: {}[{}]: {}",
            self.line,
            self.column,
            self.severity().as_str(),
            self.rule.id(),
            self.rule.message()
        )
    }
}

/// Options a command accepts: (long name, short letter, takes a value).
type Opt = (&'static str, u8, bool);

const IMAGE_OPTS: &[Opt] = &[
    ("name", b'n', true),
    ("timeout", b't', true),
    ("autofree", b'a', false),
    ("replace", b'r', false),
];
const SAN_OPTS: &[Opt] = &[
    ("drive", b'd', true),
    ("no-describe", b'n', false),
    ("keep", b'k', false),
    ("filename", b'f', true),
    ("extra", b'e', true),
    ("label", b'l', true),
    ("uuid", b'u', true),
];
const PROMPT_OPTS: &[Opt] = &[("key", b'k', true), ("timeout", b't', true)];
const IFCONF_OPTS: &[Opt] = &[("configurator", b'c', true), ("timeout", b't', true)];
const MENU_OPTS: &[Opt] = &[("name", b'n', true), ("delete", b'd', false)];
const ITEM_OPTS: &[Opt] = &[
    ("menu", b'm', true),
    ("key", b'k', true),
    ("default", b'd', false),
    ("gap", b'g', false),
];
const CHOOSE_OPTS: &[Opt] = &[
    ("menu", b'm', true),
    ("default", b'd', true),
    ("timeout", b't', true),
    ("keep", b'k', false),
];
const ECHO_OPTS: &[Opt] = &[("n", b'n', false)];
const REBOOT_OPTS: &[Opt] = &[("warm", b'w', false)];
const IMGVERIFY_OPTS: &[Opt] = &[("signer", b's', true), ("keep", b'k', false)];
const IMGTRUST_OPTS: &[Opt] = &[("allow", b'a', false), ("permanent", b'p', false)];

/// Known commands: name and options (`None`: not option-checked).
const COMMANDS: &[(&str, Option<&[Opt]>)] = &[
    ("kernel", Some(IMAGE_OPTS)),
    ("imgfetch", Some(IMAGE_OPTS)),
    ("module", Some(IMAGE_OPTS)),
    ("initrd", Some(IMAGE_OPTS)),
    ("chain", Some(IMAGE_OPTS)),
    ("boot", Some(IMAGE_OPTS)),
    ("imgexec", Some(IMAGE_OPTS)),
    ("imgload", Some(IMAGE_OPTS)),
    ("imgselect", Some(IMAGE_OPTS)),
    ("imgargs", Some(&[])),
    ("imgfree", Some(&[])),
    ("imgstat", Some(&[])),
    ("sanboot", Some(SAN_OPTS)),
    ("sanhook", Some(SAN_OPTS)),
    ("sanunhook", Some(SAN_OPTS)),
    ("set", Some(&[])),
    ("clear", Some(&[])),
    ("inc", Some(&[])),
    ("isset", Some(&[])),
    ("iseq", Some(&[])),
    ("read", Some(&[])),
    ("echo", Some(ECHO_OPTS)),
    ("goto", Some(&[])),
    ("exit", Some(&[])),
    ("sleep", Some(&[])),
    ("prompt", Some(PROMPT_OPTS)),
    ("dhcp", Some(IFCONF_OPTS)),
    ("ifconf", Some(IFCONF_OPTS)),
    ("ifopen", Some(&[])),
    ("ifclose", Some(&[])),
    ("ifstat", Some(&[])),
    ("menu", Some(MENU_OPTS)),
    ("item", Some(ITEM_OPTS)),
    ("choose", Some(CHOOSE_OPTS)),
    ("reboot", Some(REBOOT_OPTS)),
    ("poweroff", Some(&[])),
    ("shell", Some(&[])),
    ("imgtrust", Some(IMGTRUST_OPTS)),
    ("imgverify", Some(IMGVERIFY_OPTS)),
    ("show", None),
    ("login", None),
    ("help", None),
    ("nslookup", None),
    ("ping", None),
    ("ntp", None),
    ("time", None),
    ("cpuid", None),
    ("route", None),
    ("config", None),
    ("console", None),
    ("colour", None),
    ("cpair", None),
    ("param", None),
    ("params", None),
    ("certstat", None),
    ("ipstat", None),
    ("vcreate", None),
    ("vdestroy", None),
    ("pciscan", None),
    ("sync", None),
    ("fcstat", None),
    ("fcels", None),
    ("lotest", None),
    ("profstat", None),
    ("nstat", None),
    ("neighbour", None),
    ("ibstat", None),
    ("digest", None),
    ("md5sum", None),
    ("sha1sum", None),
    ("gdbstub", None),
    ("pxebs", None),
    ("stoppxe", None),
    ("startpxe", None),
];

/// Commands that take an image (a URI or an image's name) and then that image's command line:
/// iPXE passes the command line on (a kernel's `inst.ks=https://...`) and never fetches it.
const IMAGE_AND_COMMAND_LINE: &[&str] = &[
    "chain",
    "kernel",
    "initrd",
    "imgfetch",
    "module",
    "imgexec",
    "imgload",
    "imgselect",
    "imgargs",
];

/// Commands whose failure (a download, a boot) should be handled.
const FAILING: &[&str] = &[
    "chain", "kernel", "initrd", "imgfetch", "module", "sanboot", "boot", "imgexec",
];

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// A token of a logical line and its 0-based column.
#[derive(Clone, Copy)]
struct Token<'a> {
    text: &'a [u8],
    column: usize,
}

fn tokens(line: &[u8]) -> impl Iterator<Item = Token<'_>> {
    let mut pos = 0;
    core::iter::from_fn(move || {
        while line.get(pos).is_some_and(|&b| is_space(b)) {
            pos += 1;
        }
        let start = pos;
        while line.get(pos).is_some_and(|&b| !is_space(b)) {
            pos += 1;
        }
        (pos > start).then(|| Token {
            text: line.get(start..pos).unwrap_or_default(),
            column: start,
        })
    })
}

/// The first physical line of `rest` (without its `\n`) and what follows it.
fn split_physical(rest: &[u8]) -> (&[u8], &[u8]) {
    match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (
            rest.get(..i).unwrap_or_default(),
            rest.get(i + 1..).unwrap_or_default(),
        ),
        None => (rest, &[][..]),
    }
}

/// What a physical line adds to its logical line: (content, where a NUL cut it, whether it
/// ends in the `\` that joins the next line). One `\r` before the `\n` is dropped, a NUL cuts
/// the line, then a final `\` is taken off.
fn physical_content(mut line: &[u8]) -> (&[u8], Option<usize>, bool) {
    if let Some(stripped) = line.strip_suffix(b"\r") {
        line = stripped;
    }
    let nul = line.iter().position(|&b| b == 0);
    if let Some(at) = nul {
        line = line.get(..at).unwrap_or_default();
    }
    match line.strip_suffix(b"\\") {
        Some(content) => (content, nul, true),
        None => (line, nul, false),
    }
}

/// The bytes of the first logical line of `script` (continuations joined), as
/// [`for_each_line`] reads it, without its length limit.
fn first_line_bytes(script: &[u8]) -> impl Iterator<Item = u8> + '_ {
    let mut rest = script;
    let mut part: &[u8] = &[];
    let mut joins_next = true;
    core::iter::from_fn(move || {
        loop {
            if let Some((&b, tail)) = part.split_first() {
                part = tail;
                return Some(b);
            }
            if !joins_next {
                return None;
            }
            let (line, after) = split_physical(rest);
            rest = after;
            let (content, _, continues) = physical_content(line);
            part = content;
            joins_next = continues && !rest.is_empty();
        }
    })
}

/// The logical lines of a script: (1-based first physical line, byte offset in `script` where
/// the line starts, content), continuations joined into `buf`. Calls `f` for each; reports NUL
/// bytes, overlong lines and a final `\`. Out of line, so that its [`LINE_MAX`] buffer is on the
/// stack only while it reads (a lint reads a script three times, one after the other).
#[inline(never)]
fn for_each_line(
    script: &[u8],
    report: &mut impl FnMut(Diagnostic),
    mut f: impl FnMut(u32, usize, &[u8]),
) {
    let mut buf = [0u8; LINE_MAX];
    let mut len = 0usize;
    let mut overflow = false;
    let mut first_line = 1u32;
    let mut line_start = 0usize;
    let mut physical = 0u32;
    let mut rest = script;
    while !rest.is_empty() {
        physical = physical.saturating_add(1);
        if len == 0 {
            first_line = physical;
            line_start = script.len().saturating_sub(rest.len());
        }
        let (line, after) = split_physical(rest);
        rest = after;
        let (content, nul, continues) = physical_content(line);
        if let Some(nul) = nul {
            let column =
                u32::try_from(len.saturating_add(nul).saturating_add(1)).unwrap_or(u32::MAX);
            report(Diagnostic {
                line: physical,
                column,
                rule: Rule::NulByte,
            });
        }
        match buf.get_mut(len..len + content.len()) {
            Some(slot) if !overflow => {
                for (to, from) in slot.iter_mut().zip(content) {
                    *to = *from;
                }
                len += content.len();
            }
            _ => overflow = true,
        }
        if continues && rest.is_empty() {
            report(Diagnostic {
                line: physical,
                column: 1,
                rule: Rule::TrailingBackslash,
            });
        }
        if continues && !rest.is_empty() {
            continue;
        }
        if overflow {
            report(Diagnostic {
                line: first_line,
                column: 1,
                rule: Rule::LineTooLong,
            });
        } else {
            f(first_line, line_start, buf.get(..len).unwrap_or_default());
        }
        len = 0;
        overflow = false;
    }
}

/// The label defined by a line, if it is a label line.
fn label_of(line: &[u8]) -> Option<&[u8]> {
    let first = tokens(line).next()?;
    first.text.strip_prefix(b":")
}

/// How many lines of `script` define `label` (one pass over the whole script).
fn count_labels(script: &[u8], label: &[u8]) -> usize {
    let mut count = 0usize;
    for_each_line(script, &mut |_| {}, |_, _, line| {
        if label_of(line) == Some(label) {
            count = count.saturating_add(1);
        }
    });
    count
}

/// The number of label lines in `script`: a table of that many entries lets
/// [`lint_script_with`] look every label up in O(log n).
pub fn label_line_count(script: &[u8]) -> usize {
    let mut count = 0usize;
    for_each_line(script, &mut |_| {}, |_, _, line| {
        if label_of(line).is_some() {
            count = count.saturating_add(1);
        }
    });
    count
}

/// One label line in the table [`lint_script_with`] sorts: the hash of its label and where
/// its logical line starts in the script (the label's bytes are read from there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelEntry {
    hash: u32,
    line_start: usize,
}

impl LabelEntry {
    /// An unused entry, to fill a table with.
    pub const EMPTY: LabelEntry = LabelEntry {
        hash: 0,
        line_start: 0,
    };
}

/// How many label lines [`lint_script`] keeps in its own table (on the stack).
pub const OWN_TABLE_ENTRIES: usize = 64;

/// FNV-1a (32 bits) of a label: orders the table so that most comparisons need one integer.
fn label_hash(label: &[u8]) -> u32 {
    label.iter().fold(0x811c_9dc5, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The label of the label line that starts at `line_start` in `script`.
fn listed_label(script: &[u8], line_start: usize) -> impl Iterator<Item = u8> + '_ {
    let mut bytes =
        first_line_bytes(script.get(line_start..).unwrap_or_default()).skip_while(|&b| is_space(b));
    let _colon = bytes.next();
    bytes.take_while(|&b| !is_space(b))
}

/// How a table of label lines is sorted, by the order it is given.
type SortLabels = fn(&mut [LabelEntry], &dyn Fn(&LabelEntry, &LabelEntry) -> core::cmp::Ordering);

/// A heapsort without a panic path, for tables of any size: O(n log n) comparisons.
fn sort_large(
    table: &mut [LabelEntry],
    order: &dyn Fn(&LabelEntry, &LabelEntry) -> core::cmp::Ordering,
) {
    let len = table.len();
    for root in (0..len / 2).rev() {
        sift_down(table, root, len, order);
    }
    for end in (1..len).rev() {
        swap_entries(table, 0, end);
        sift_down(table, 0, end, order);
    }
}

/// Moves entry `root` down the heap held in `table[..end]` until neither child is greater.
fn sift_down(
    table: &mut [LabelEntry],
    mut root: usize,
    end: usize,
    order: &dyn Fn(&LabelEntry, &LabelEntry) -> core::cmp::Ordering,
) {
    let greater = |table: &[LabelEntry], a: usize, b: usize| match (table.get(a), table.get(b)) {
        (Some(a), Some(b)) => order(a, b) == core::cmp::Ordering::Greater,
        _ => false,
    };
    loop {
        let left = root.saturating_mul(2).saturating_add(1);
        if left >= end {
            return;
        }
        let right = left.saturating_add(1);
        let child = if right < end && greater(table, right, left) {
            right
        } else {
            left
        };
        if !greater(table, child, root) {
            return;
        }
        swap_entries(table, root, child);
        root = child;
    }
}

/// Swaps entries `a` and `b` of `table` (nothing when either is out of it).
fn swap_entries(table: &mut [LabelEntry], a: usize, b: usize) {
    let (Some(x), Some(y)) = (table.get(a).copied(), table.get(b).copied()) else {
        return;
    };
    if let Some(slot) = table.get_mut(a) {
        *slot = y;
    }
    if let Some(slot) = table.get_mut(b) {
        *slot = x;
    }
}

/// An insertion sort without a panic path, for [`lint_script`]'s own small table.
fn sort_small(
    table: &mut [LabelEntry],
    order: &dyn Fn(&LabelEntry, &LabelEntry) -> core::cmp::Ordering,
) {
    for i in 1..table.len() {
        let mut j = i;
        while let Some(before) = j.checked_sub(1) {
            let (Some(a), Some(b)) = (table.get(before).copied(), table.get(j).copied()) else {
                break;
            };
            if order(&a, &b) != core::cmp::Ordering::Greater {
                break;
            }
            if let Some(slot) = table.get_mut(before) {
                *slot = b;
            }
            if let Some(slot) = table.get_mut(j) {
                *slot = a;
            }
            j = before;
        }
    }
}

/// Where a script's labels are: the sorted table of the label lines it had room for, then a
/// scan of the script from the first label line it had no room for.
struct Labels<'s, 't> {
    script: &'s [u8],
    sorted: &'t [LabelEntry],
    /// Offset of the first label line not in `sorted` (`None`: the table holds them all).
    unlisted_from: Option<usize>,
}

impl Labels<'_, '_> {
    /// Fills `table` with the label lines of `script` (as many as fit, in script order) and
    /// sorts them with `sort`.
    fn index<'s, 't>(
        script: &'s [u8],
        table: &'t mut [LabelEntry],
        sort: SortLabels,
    ) -> Labels<'s, 't> {
        let mut filled = 0usize;
        let mut unlisted_from = None;
        for_each_line(script, &mut |_| {}, |_, line_start, line| {
            if let Some(label) = label_of(line)
                && unlisted_from.is_none()
            {
                match table.get_mut(filled) {
                    Some(slot) => {
                        *slot = LabelEntry {
                            hash: label_hash(label),
                            line_start,
                        };
                        filled = filled.saturating_add(1);
                    }
                    None => unlisted_from = Some(line_start),
                }
            }
        });
        let sorted = table.get_mut(..filled).unwrap_or_default();
        sort(sorted, &|a, b| {
            a.hash.cmp(&b.hash).then_with(|| {
                listed_label(script, a.line_start).cmp(listed_label(script, b.line_start))
            })
        });
        Labels {
            script,
            sorted,
            unlisted_from,
        }
    }

    /// Where entry `entry` stands against `label` (whose hash is `hash`) in the table's order.
    fn order(&self, entry: &LabelEntry, hash: u32, label: &[u8]) -> core::cmp::Ordering {
        entry
            .hash
            .cmp(&hash)
            .then_with(|| listed_label(self.script, entry.line_start).cmp(label.iter().copied()))
    }

    /// Where `label` (whose hash is `hash`) is or would be in the sorted table. Hashes are
    /// spread evenly, so the search starts where this one would sit in proportion, widens a
    /// window by doubling until it holds every entry of that hash, and binary-searches it:
    /// a few memory reads instead of one per halving of the whole table.
    fn search(&self, hash: u32, label: &[u8]) -> Result<usize, usize> {
        let sorted = self.sorted;
        let len = sorted.len();
        let guess = u64::try_from(len)
            .ok()
            .and_then(|n| n.checked_mul(u64::from(hash)))
            .and_then(|p| usize::try_from(p >> 32).ok())
            .unwrap_or(0)
            .min(len);
        let mut step = 1usize;
        let (mut lo, mut hi) = (
            guess.saturating_sub(step),
            guess.saturating_add(step).min(len),
        );
        loop {
            let lo_ok = lo
                .checked_sub(1)
                .is_none_or(|i| sorted.get(i).is_some_and(|e| e.hash < hash));
            let hi_ok = sorted.get(hi).is_none_or(|e| e.hash > hash);
            if lo_ok && hi_ok {
                break;
            }
            step = step.saturating_mul(2);
            if !lo_ok {
                lo = guess.saturating_sub(step);
            }
            if !hi_ok {
                hi = guess.saturating_add(step).min(len);
            }
        }
        sorted
            .get(lo..hi)
            .unwrap_or_default()
            .binary_search_by(|e| self.order(e, hash, label))
            .map(|i| i.saturating_add(lo))
            .map_err(|i| i.saturating_add(lo))
    }

    /// `true` when table entry `i` exists and holds `label`.
    fn entry_holds(&self, i: usize, hash: u32, label: &[u8]) -> bool {
        self.sorted
            .get(i)
            .is_some_and(|e| self.order(e, hash, label).is_eq())
    }

    /// How many label lines the table had no room for define `label`.
    fn unlisted_count(&self, label: &[u8]) -> usize {
        self.unlisted_from.map_or(0, |from| {
            count_labels(self.script.get(from..).unwrap_or_default(), label)
        })
    }

    /// `true` when some line defines `label`.
    fn defines(&self, label: &[u8]) -> bool {
        let hash = label_hash(label);
        self.search(hash, label).is_ok() || self.unlisted_count(label) > 0
    }

    /// `true` when more than one line defines `label`.
    fn repeats(&self, label: &[u8]) -> bool {
        let hash = label_hash(label);
        match self.search(hash, label) {
            // Equal labels sit side by side in the sorted table.
            Ok(i) => {
                i.checked_sub(1)
                    .is_some_and(|before| self.entry_holds(before, hash, label))
                    || self.entry_holds(i.saturating_add(1), hash, label)
                    || self.unlisted_count(label) > 0
            }
            Err(_) => self.unlisted_count(label) > 1,
        }
    }
}

/// `true` when `${` and `}` do not balance.
fn unbalanced(text: &[u8]) -> bool {
    let mut depth = 0i32;
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        if b == b'$' && text.get(i + 1) == Some(&b'{') {
            depth += 1;
            i += 2;
            continue;
        }
        if b == b'}' && depth > 0 {
            depth -= 1;
        }
        i += 1;
    }
    depth != 0
}

/// `true` when `text` holds `${mac}` or `${mac:type}` (no NIC block).
fn has_bare_mac(text: &[u8]) -> bool {
    text.windows(6).any(|w| w == b"${mac}" || w == b"${mac:")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    // `max(1)`: a window is never empty, so `windows` cannot panic (every needle here has a
    // byte; an empty one would be found nowhere).
    haystack.windows(needle.len().max(1)).any(|w| w == needle)
}

fn number(text: &[u8]) -> Option<u32> {
    core::str::from_utf8(text).ok()?.parse().ok()
}

/// The command segments of a line: tokens between operators, with the operator after each.
fn segments<'a>(toks: &[Token<'a>], mut f: impl FnMut(&[Token<'a>], Option<&'a [u8]>)) {
    let mut start = 0;
    for (i, t) in toks.iter().enumerate() {
        if matches!(t.text, b"||" | b"&&" | b";") {
            f(toks.get(start..i).unwrap_or_default(), Some(t.text));
            start = i + 1;
        }
    }
    f(toks.get(start..).unwrap_or_default(), None);
}

/// The comment that turns a rule off for the whole script: `# ipxegen-lint: allow <rule-id>`
/// (ipxegen writes one for `https-url` when the site itself chose https:// URLs).
pub const ALLOW_PRAGMA: &str = "# ipxegen-lint: allow ";

/// The rules a script turns off with [`ALLOW_PRAGMA`] lines (up to 8).
fn allowed_rules(script: &[u8]) -> [Option<Rule>; 8] {
    let mut allowed = [None; 8];
    let mut n = 0;
    for line in script.split(|&b| b == b'\n') {
        let Some(rest) = line.strip_prefix(ALLOW_PRAGMA.as_bytes()) else {
            continue;
        };
        let id = rest.split(|&b| is_space(b)).next().unwrap_or_default();
        if let (Some(rule), Some(slot)) = (
            Rule::ALL.into_iter().find(|r| r.id().as_bytes() == id),
            allowed.get_mut(n),
        ) {
            *slot = Some(rule);
            n += 1;
        }
    }
    allowed
}

/// Lints `script`, calling `report` for each finding, line by line, except rules the
/// script allows with [`ALLOW_PRAGMA`]. Keeps up to 64 label lines in a table of its own:
/// a script with more takes time quadratic in its length; give a table of
/// [`label_line_count`] entries to [`lint_script_with`] for O(n log n).
pub fn lint_script(script: &[u8], mut report: impl FnMut(Diagnostic)) {
    let table = &mut [LabelEntry::EMPTY; OWN_TABLE_ENTRIES];
    lint_allowing(script, table, sort_small, &mut report);
}

/// [`lint_script`] with `label_table` as the table of label lines (its entries are
/// overwritten). The findings are the same for every table size; with at least
/// [`label_line_count`]`(script)` entries the lint takes O(n log n) time, with fewer the label
/// lines beyond the table are read again from the script for each lookup.
pub fn lint_script_with(
    script: &[u8],
    label_table: &mut [LabelEntry],
    mut report: impl FnMut(Diagnostic),
) {
    lint_allowing(script, label_table, sort_large, &mut report);
}

/// Lints `script` with `label_table` sorted by `sort`, reporting what the script does not
/// allow. `report` is a `dyn`: the linter is compiled once, whatever the callers' closures.
fn lint_allowing(
    script: &[u8],
    label_table: &mut [LabelEntry],
    sort: SortLabels,
    report: &mut dyn FnMut(Diagnostic),
) {
    let allowed = allowed_rules(script);
    lint_all(script, label_table, sort, &mut |d| {
        if !allowed.contains(&Some(d.rule)) {
            report(d);
        }
    });
}

fn lint_all(
    script: &[u8],
    label_table: &mut [LabelEntry],
    sort: SortLabels,
    report: &mut dyn FnMut(Diagnostic),
) {
    let at = |line: u32, column: usize, rule: Rule| Diagnostic {
        line,
        column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        rule,
    };
    // The signature: `#!ipxe` (or `#!gpxe`) followed by one whitespace byte.
    let header_ok = matches!(script.get(..6), Some(b"#!ipxe" | b"#!gpxe"))
        && script.get(6).is_some_and(|&b| is_space(b));
    if !header_ok {
        report(at(1, 0, Rule::Header));
    }
    let has_initrd = {
        let mut found = false;
        for_each_line(script, &mut |_| {}, |_, _, line| {
            let mut t = tokens(line);
            let first = t.next().map(|t| t.text);
            let first = if first.is_some_and(|f| f.starts_with(b":")) {
                t.next().map(|t| t.text)
            } else {
                first
            };
            found |= first == Some(b"initrd");
        });
        found
    };
    let labels = Labels::index(script, label_table, sort);
    let report = core::cell::RefCell::new(report);
    // Never borrowed twice at once (the two closures run one after the other); `try_` keeps
    // the panic path of a double borrow out of firmware.
    let mut line_report = |d: Diagnostic| {
        if let Ok(mut report) = report.try_borrow_mut() {
            report(d);
        }
    };
    for_each_line(script, &mut line_report, |line_no, _, line| {
        let mut report = |d: Diagnostic| {
            if let Ok(mut report) = report.try_borrow_mut() {
                report(d);
            }
        };
        // The first 128 tokens before a comment (a Vec, not an array: nothing to fill per line).
        let mut toks_buf: heapless::Vec<Token<'_>, 128> = heapless::Vec::new();
        for t in tokens(line) {
            if t.text.first() == Some(&b'#') {
                break;
            }
            if toks_buf.push(t).is_err() {
                break;
            }
        }
        let mut toks = toks_buf.as_slice();
        if let Some(first) = toks.first()
            && let Some(label) = first.text.strip_prefix(b":")
        {
            if labels.repeats(label) {
                report(at(line_no, first.column, Rule::DuplicateLabel));
            }
            toks = toks.get(1..).unwrap_or_default();
        }
        for t in toks {
            if matches!(t.text, b"|" | b"&") {
                report(at(line_no, t.column, Rule::SinglePipe));
            }
            if unbalanced(t.text) {
                report(at(line_no, t.column, Rule::UnbalancedExpansion));
            }
            if has_bare_mac(t.text) {
                report(at(line_no, t.column, Rule::AmbiguousMac));
            }
            if t.text == b"--quiet" || t.text == b"-q" {
                report(at(line_no, t.column, Rule::QuietOption));
            }
        }
        segments(toks, |seg, op_after| {
            lint_command(&labels, line_no, seg, op_after, has_initrd, &mut report)
        });
    });
}

fn lint_command(
    labels: &Labels<'_, '_>,
    line_no: u32,
    seg: &[Token<'_>],
    op_after: Option<&[u8]>,
    has_initrd: bool,
    report: &mut impl FnMut(Diagnostic),
) {
    let at = |column: usize, rule: Rule| Diagnostic {
        line: line_no,
        column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        rule,
    };
    let Some(cmd) = seg.first() else { return };
    let https = |tokens: &[Token<'_>], report: &mut dyn FnMut(Diagnostic)| {
        // A URL is https:// when its scheme is (`http://x/a-https://-b` is not).
        let https_url = |t: &&Token<'_>| {
            t.text
                .get(..8)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case(b"https://"))
        };
        for t in tokens.iter().filter(https_url) {
            report(at(t.column, Rule::HttpsUrl));
        }
    };
    if contains(cmd.text, b"${") {
        https(seg, report);
        return;
    }
    let Some((_, opts)) = COMMANDS
        .iter()
        .find(|(name, _)| name.as_bytes() == cmd.text)
    else {
        report(at(cmd.column, Rule::UnknownCommand));
        https(seg, report);
        return;
    };
    let name = cmd.text;
    // Options, as getopt reads them: up to the first plain argument or `--`.
    let mut args_start = seg.len();
    let mut i = 1;
    while let Some(t) = seg.get(i) {
        if t.text == b"--" {
            args_start = i + 1;
            break;
        }
        if !t.text.starts_with(b"-") || t.text == b"-" || contains(t.text, b"${") {
            args_start = i;
            break;
        }
        let found = opts.map(|list| {
            list.iter()
                .find(|(long, short, _)| match t.text.strip_prefix(b"--") {
                    Some(l) => l == long.as_bytes(),
                    None => t.text.get(1..) == Some(&[*short][..]),
                })
        });
        let takes_value = match found {
            Some(Some((_, _, takes_value))) => *takes_value,
            Some(None) => {
                let rule = if opts.is_some_and(<[Opt]>::is_empty) {
                    Rule::OptionNotTaken
                } else {
                    Rule::UnknownOption
                };
                if t.text != b"--quiet" {
                    report(at(t.column, rule));
                }
                false
            }
            None => false,
        };
        if (t.text == b"--timeout" || t.text == b"-t")
            && let Some(v) = seg.get(i + 1)
            && let Some(ms) = number(v.text)
            && ms < TIMEOUT_MIN_MS
        {
            report(at(v.column, Rule::TimeoutSeconds));
        }
        i += if takes_value { 2 } else { 1 };
        args_start = i;
    }
    let args = seg.get(args_start.min(seg.len())..).unwrap_or_default();
    // https-url: what iPXE fetches, not an image's command line after its image.
    let fetched = if IMAGE_AND_COMMAND_LINE.contains(&core::str::from_utf8(name).unwrap_or("")) {
        seg.get(..args_start.saturating_add(1).min(seg.len()))
            .unwrap_or_default()
    } else {
        seg
    };
    https(fetched, report);
    let handled = matches!(op_after, Some(b"||"));
    match name {
        b"goto" => {
            if let Some(target) = args.first()
                && !contains(target.text, b"${")
                && !labels.defines(target.text)
            {
                report(at(target.column, Rule::MissingLabel));
            }
        }
        b"item" => {
            if let Some(target) = args.first()
                && !contains(target.text, b"${")
                && !labels.defines(target.text)
            {
                report(at(target.column, Rule::MissingLabel));
            }
        }
        b"prompt" if !handled => report(at(cmd.column, Rule::UnhandledPrompt)),
        b"set" => {
            if let Some(setting) = args.first() {
                let base = setting
                    .text
                    .split(|&b| b == b':')
                    .next()
                    .unwrap_or_default();
                let mut pattern: heapless::Vec<u8, 132> = heapless::Vec::new();
                let built = pattern.extend_from_slice(b"${").is_ok()
                    && pattern.extend_from_slice(base).is_ok()
                    && pattern.push(b'}').is_ok();
                let values = args.get(1..).unwrap_or_default();
                if built && !base.is_empty() && values.iter().any(|v| contains(v.text, &pattern)) {
                    report(at(setting.column, Rule::SelfExpansion));
                }
            }
        }
        _ => {}
    }
    if FAILING.contains(&core::str::from_utf8(name).unwrap_or("")) && !handled {
        report(at(cmd.column, Rule::UnhandledFailure));
    }
    if matches!(
        name,
        b"kernel" | b"chain" | b"imgexec" | b"imgselect" | b"imgload"
    ) && has_initrd
    {
        let has_initrd_arg = args
            .get(1..)
            .unwrap_or_default()
            .iter()
            .any(|t| t.text.starts_with(b"initrd="));
        if !has_initrd_arg && name == b"kernel" {
            report(at(cmd.column, Rule::InitrdName));
        }
    }
}
