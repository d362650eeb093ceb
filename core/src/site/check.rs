//! The one whole-site check, which every front end runs before it writes anything: the CLI's
//! `check`, `build`, `archive`, `dhcp` and `render`, the web UI, and firmware.
//!
//! It reports every problem, not only the first, in document order:
//! - `http_root` and `tftp_root` must be separate directories, neither inside the other;
//! - the site's own names in the HTTP root (main script, per-MAC directory, the EFI loaders
//!   UEFI HTTP boot fetches, a relative fallback script, the manifest) must differ, and the
//!   BIOS loader must not share a name with a UEFI loader in the TFTP root;
//! - each node must be valid (every rule of [`Site::nodes`]);
//! - no two nodes may share an id, a MAC address, a reserved `ipv4` or `ipv6` address, or a
//!   `system_uuid` (a DHCPv6 reservation is keyed by it), and no node may list one MAC
//!   address twice;
//! - a node's id must not be one of the site's names (its directory would replace them);
//! - every template the site names must have been loaded, be readable and valid (each file's
//!   problem once, where the site first names it), and every script a template writes (the
//!   main script, each node's config) must render with every value it uses and lint clean
//!   (no finding of [`crate::ipxe::lint`], after the rules the script itself allows), at
//!   most as long as the check's buffer ([`Site::check_with`]).
//!
//! A site with `ipxe_enabled` false (the classic flow, [`crate::classic`]) has its tree in the
//! TFTP root: there its names (`pxe_bootfile_name`, `ldlinux.c32`,
//! `uefi_x64_bootfile_name`, `pxelinux.cfg`, `grub`) must differ and no node id may be one of
//! them; each node's PXELINUX and GRUB configs must be writable
//! ([`crate::classic::check_node`]: no `iso`, `iscsi` or `chain` mode, no kernel or ramdisk
//! given as a URL, nothing GRUB would change, a command line the kernel takes), and the site's
//! own `kernel_args`, `deploy_kernel` and `deploy_ramdisk` likewise, reported once; its
//! `tftp_server` must be an IPv4 address (the flow is DHCPv4 only).
//!
//! Finding shared values needs memory: the check keeps what it has seen behind
//! [`SeenValues`], so each front end chooses how (a hash map on a host, [`FixedSeen`] on a
//! small device, or [`RescanSeen`], which keeps nothing and reads the earlier nodes again).

use crate::classic;
use crate::error::{Error, ErrorKind, Field};
use crate::ipxe::lint::lint_script;
use crate::ipxe::template as ipxe_template;
use crate::json;
use crate::limits::{NICS_MAX, TEMPLATE_FILES_MAX};
use crate::manifest::MANIFEST_NAME;
use crate::model::{
    AnyTemplate, Host, JsonStr, Loaded, MacAddr, Node, Quoted, ScriptRef, SystemUuid, TemplateFile,
    TemplateSlot,
};
use crate::output::write_to_slice;
use crate::schema::Scope;
use crate::site::{CheckedSite, Site};
use crate::template::{TemplateError, TemplateErrorKind};
use core::fmt;
use core::net::{Ipv4Addr, Ipv6Addr};

/// A value no two nodes may share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unique<'a> {
    /// A node id.
    Id(&'a str),
    /// A NIC's MAC address.
    Mac(MacAddr),
    /// A reserved IPv4 address.
    Ipv4(Ipv4Addr),
    /// A reserved IPv6 address.
    Ipv6(Ipv6Addr),
    /// An SMBIOS system UUID (DHCPv6 reservations are keyed by the DUID built from it).
    SystemUuid(SystemUuid),
}

/// The node that has a value: its index in `nodes` and its id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Holder<'a> {
    /// Index in `nodes`.
    pub node: u32,
    /// Its id.
    pub id: &'a str,
}

/// A [`SeenValues`] with no room for another value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeenFull {
    /// How many values it holds.
    pub capacity: u16,
}

/// What the check remembers of the values it has seen, to find the node that had one first.
pub trait SeenValues<'a> {
    /// Records that `holder` has `value`; gives the node that had it first, if one did (and
    /// then records nothing).
    ///
    /// # Errors
    /// [`SeenFull`] when a set of fixed capacity has no room left.
    fn first_holder(
        &mut self,
        value: Unique<'a>,
        holder: Holder<'a>,
    ) -> Result<Option<Holder<'a>>, SeenFull>;
}

/// A fixed-capacity [`SeenValues`] (linear search, no allocation): for devices whose sites
/// are small. `N` is how many ids, MACs and addresses it holds.
#[derive(Debug, Default)]
pub struct FixedSeen<'a, const N: usize> {
    seen: heapless::Vec<(Unique<'a>, Holder<'a>), N>,
}

impl<const N: usize> FixedSeen<'_, N> {
    /// An empty set.
    pub const fn new() -> Self {
        FixedSeen {
            seen: heapless::Vec::new(),
        }
    }
}

impl<'a, const N: usize> SeenValues<'a> for FixedSeen<'a, N> {
    fn first_holder(
        &mut self,
        value: Unique<'a>,
        holder: Holder<'a>,
    ) -> Result<Option<Holder<'a>>, SeenFull> {
        if let Some((_, first)) = self.seen.iter().find(|(v, _)| *v == value) {
            return Ok(Some(*first));
        }
        self.seen.push((value, holder)).map_err(|_| SeenFull {
            capacity: u16::try_from(N).unwrap_or(u16::MAX),
        })?;
        Ok(None)
    }
}

/// A [`SeenValues`] that keeps nothing but the values of the node being checked: it finds
/// the first holder of a value by reading the earlier nodes of the site again. Memory O(1),
/// time O(n²) in the number of nodes.
pub struct RescanSeen<'s, 'a> {
    site: &'s Site<'a>,
    /// The node whose values `own` holds.
    current: Option<u32>,
    /// That node's values seen so far (a node may list one MAC twice).
    own: heapless::Vec<Unique<'a>, { 4 + NICS_MAX }>,
}

impl<'s, 'a> RescanSeen<'s, 'a> {
    /// Reads `site` again for each value.
    pub fn new(site: &'s Site<'a>) -> Self {
        RescanSeen {
            site,
            current: None,
            own: heapless::Vec::new(),
        }
    }
}

impl<'a> SeenValues<'a> for RescanSeen<'_, 'a> {
    fn first_holder(
        &mut self,
        value: Unique<'a>,
        holder: Holder<'a>,
    ) -> Result<Option<Holder<'a>>, SeenFull> {
        if self.current != Some(holder.node) {
            self.current = Some(holder.node);
            self.own.clear();
        }
        let earlier = self
            .site
            .nodes()
            .enumerate()
            .take_while(|(i, _)| u32::try_from(*i).is_ok_and(|i| i < holder.node));
        for (i, node) in earlier {
            let Ok(node) = node else { continue };
            if unique_values(&node).any(|v| v == value) {
                return Ok(Some(Holder {
                    node: u32::try_from(i).unwrap_or(u32::MAX),
                    id: node.id.as_str(),
                }));
            }
        }
        if self.own.contains(&value) {
            return Ok(Some(holder));
        }
        self.own.push(value).map_err(|_| SeenFull {
            capacity: u16::try_from(self.own.capacity()).unwrap_or(u16::MAX),
        })?;
        Ok(None)
    }
}

/// The values of `node` that no other node may have: its id, every NIC's MAC, its reserved
/// addresses, its system UUID.
fn unique_values<'n, 'a>(node: &'n Node<'a>) -> impl Iterator<Item = Unique<'a>> + 'n {
    let id = Unique::Id(node.id.as_str());
    let macs = node.nics.iter().map(|nic| Unique::Mac(nic.mac));
    let v4 = node.ipv4.map(Unique::Ipv4);
    let v6 = node.ipv6.map(Unique::Ipv6);
    let uuid = node.system_uuid.map(Unique::SystemUuid);
    core::iter::once(id)
        .chain(macs)
        .chain(v4)
        .chain(v6)
        .chain(uuid)
}

/// One problem of a site: the error, and what a message about it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Problem<'a> {
    /// What is wrong, and where (field, node, item, byte offset).
    pub error: Error,
    /// The id of the node it concerns, as written (when it is a plain string).
    pub node_id: Option<&'a str>,
    /// The value at fault, for problems whose message quotes it (a name that is taken).
    pub value: Option<&'a str>,
    /// The node that had the value first (a value two nodes share).
    pub first: Option<Holder<'a>>,
    /// A front end's own words the message ends with: why a template file could not be
    /// read.
    pub detail: Option<&'a str>,
}

impl<'a> Problem<'a> {
    fn of(error: Error) -> Self {
        Problem {
            error,
            node_id: None,
            value: None,
            first: None,
            detail: None,
        }
    }

    /// The problem `error` is in the site document `doc` (an error [`Site::parse`] or
    /// [`Site::nodes`] gave for it): with the id of the node it is in, and the value its
    /// message quotes, both taken from the document. Every front end words an error about a
    /// document this way.
    pub fn in_document(doc: &'a [u8], error: Error) -> Self {
        let node_id = error
            .node
            .and_then(|n| usize::try_from(n).ok())
            .and_then(|index| super::raw_node_id(doc, index));
        let value = core::str::from_utf8(doc)
            .ok()
            .and_then(|doc| quoted_value(doc, &error));
        Problem {
            node_id,
            value,
            ..Problem::of(error)
        }
    }
}

/// The text of `doc` a message about `error` quotes: the key of an unknown field.
fn quoted_value<'a>(doc: &'a str, error: &Error) -> Option<&'a str> {
    match error.kind {
        ErrorKind::UnknownField { .. } => {
            json::string_at(doc, usize::try_from(error.offset?).ok()?)
        }
        _ => None,
    }
}

/// The message every front end shows: `node "b": nodes[2].nics[0].mac: MAC address already
/// used by another node (nodes[0] "a")`. A front end puts the file (and, given
/// [`Error::offset`], the line and column) before it.
impl fmt::Display for Problem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(id) = self.node_id.filter(|id| !id.is_empty()) {
            write!(f, "node {}: ", Quoted(id))?;
        }
        match (self.error.kind, self.value) {
            (
                ErrorKind::NameTaken { .. }
                | ErrorKind::TftpNameTaken { .. }
                | ErrorKind::LoaderNameTaken
                | ErrorKind::RootsOverlap { .. },
                Some(value),
            ) => {
                if let Some(field) = self.error.field {
                    write!(f, "{}: ", field.key())?;
                }
                write!(f, "{} {}", Quoted(value), self.error.kind)?;
            }
            (ErrorKind::ReplacesSiteName { .. }, Some(value)) => {
                write!(f, "{} ({})", self.error, Quoted(value))?;
            }
            (ErrorKind::UnknownField { .. }, value) => self.error.write_quoting(f, value)?,
            (
                ErrorKind::Template(_)
                | ErrorKind::TemplateNotLoaded
                | ErrorKind::TemplateUnreadable,
                value,
            ) => {
                self.error.write_quoting(f, value)?;
                if let Some(detail) = self.detail {
                    write!(f, ": {detail}")?;
                }
            }
            _ => fmt::Display::fmt(&self.error, f)?,
        }
        match (self.error.kind, self.first) {
            (ErrorKind::DuplicateId, Some(first)) => write!(f, " (nodes[{}])", first.node),
            (_, Some(first)) => write!(f, " (nodes[{}] {})", first.node, Quoted(first.id)),
            (_, None) => Ok(()),
        }
    }
}

/// What the check tells its caller as it goes, in document order.
#[derive(Clone, Copy, Debug)]
pub enum CheckEvent<'c, 'a> {
    /// A problem.
    Problem(&'c Problem<'a>),
    /// A valid node, after its own problems (if any) were reported: a front end adds its
    /// own checks of the node here (the CLI opens the files it places).
    Node(usize, &'c Node<'a>),
}

/// The check found problems: the site cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    /// How many.
    pub problems: usize,
    /// How many nodes the site has (valid or not).
    pub nodes: usize,
}

/// The site's names in its HTTP root, with the field (or the manifest) that names each. The
/// fixed name comes first and the names with defaults an operator rarely changes next, so a
/// clash is reported at the field more likely to have been set by hand.
fn http_root_names<'a>(site: &Site<'a>) -> [Option<(&'a str, Field)>; 6] {
    let c = site.config();
    let fallback = match c.fallback {
        Some(ScriptRef::Relative(name)) => Some((name.as_str(), Field::FallbackScript)),
        _ => None,
    };
    [
        Some((MANIFEST_NAME, Field::Manifest)),
        Some((c.uefi_x64_bootfile.as_str(), Field::UefiX64BootfileName)),
        Some((c.uefi_arm64_bootfile.as_str(), Field::UefiArm64BootfileName)),
        Some((c.boot_script.as_str(), Field::IpxeBootScript)),
        Some((c.per_mac_dir.as_str(), Field::PerMacDir)),
        fallback,
    ]
}

/// The names the classic tree places in the TFTP root, with the field (or pseudo field) that
/// names each; the fixed ones first, so a clash is reported at the field set by hand.
fn tftp_root_names<'a>(site: &Site<'a>) -> [(&'a str, Field); 5] {
    let c = site.config();
    [
        (classic::LDLINUX.as_str(), Field::LdlinuxModule),
        (classic::PXELINUX_DIR.as_str(), Field::PerMacDir),
        (classic::GRUB_DIR.as_str(), Field::GrubDir),
        (c.pxe_bootfile.as_str(), Field::PxeBootfileName),
        (c.uefi_x64_bootfile.as_str(), Field::UefiX64BootfileName),
    ]
}

/// The site's name in the root that holds its nodes' directories (the HTTP root's, or the
/// TFTP root's in the classic flow) that is `id`, with the field that names it. One list of
/// names is on the stack at a time.
fn tree_name_of<'a>(site: &Site<'a>, id: &str) -> Option<(&'a str, Field)> {
    if site.config().ipxe_enabled {
        http_root_names(site)
            .into_iter()
            .flatten()
            .find(|(n, _)| *n == id)
    } else {
        tftp_root_names(site).into_iter().find(|(n, _)| *n == id)
    }
}

/// Runs the site-level rules of the classic flow.
fn check_classic_site<'a>(site: &Site<'a>, report: &mut dyn FnMut(Problem<'a>)) {
    let names = tftp_root_names(site);
    for (i, (name, field)) in names.iter().enumerate() {
        let earlier = names.iter().take(i).find(|(n, _)| n == name);
        if let Some((_, other)) = earlier {
            report(Problem {
                value: Some(name),
                ..Problem::of(Error::at(ErrorKind::TftpNameTaken { by: *other }, *field))
            });
        }
    }
    for error in classic::site_problems(site.config()).into_iter().flatten() {
        report(Problem::of(error));
    }
    // The classic flow is DHCPv4: `siaddr` is an IPv4 address.
    if !matches!(site.config().tftp_server, Some(Host::V4(_))) {
        report(Problem::of(Error::at(
            ErrorKind::WrongAddressFamily,
            Field::TftpServer,
        )));
    }
}

/// Runs the site-level rules.
fn check_names<'a>(site: &Site<'a>, report: &mut dyn FnMut(Problem<'a>)) {
    if !site.config().ipxe_enabled {
        check_classic_site(site, report);
        let c = site.config();
        if let Some(tftp_root) = c.tftp_root
            && paths_overlap(tftp_root.text(), c.http_root.text())
        {
            report(roots_overlap(tftp_root.text().raw()));
        }
        return;
    }
    let names = http_root_names(site);
    for (i, (name, field)) in names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| Some((i, (*n)?)))
    {
        let earlier = names.iter().take(i).flatten().find(|(n, _)| *n == name);
        if let Some((_, other)) = earlier {
            report(Problem {
                value: Some(name),
                ..Problem::of(Error::at(ErrorKind::NameTaken { by: *other }, field))
            });
        }
    }
    let c = site.config();
    if let Some(tftp_root) = c.tftp_root
        && paths_overlap(tftp_root.text(), c.http_root.text())
    {
        report(roots_overlap(tftp_root.text().raw()));
    }
    if c.tftp_root.is_some()
        && (c.pxe_bootfile == c.uefi_x64_bootfile || c.pxe_bootfile == c.uefi_arm64_bootfile)
    {
        report(Problem {
            value: Some(c.pxe_bootfile.as_str()),
            ..Problem::of(Error::at(
                ErrorKind::LoaderNameTaken,
                Field::PxeBootfileName,
            ))
        });
    }
}

/// The problem of a `tftp_root` that is, holds or is inside `http_root`.
fn roots_overlap(tftp_root: &str) -> Problem<'_> {
    Problem {
        value: Some(tftp_root),
        ..Problem::of(Error::at(
            ErrorKind::RootsOverlap {
                other: Field::HttpRoot,
            },
            Field::TftpRoot,
        ))
    }
}

/// `true` when two directory paths, as written, name one directory or one holds the other
/// (`/srv/a` and `/srv/a/`, `/srv/a/tftp`, `/`), compared character by character, JSON
/// escapes decoded. Relative paths are relative to the same directory (the site file's).
fn paths_overlap(a: JsonStr<'_>, b: JsonStr<'_>) -> bool {
    let (mut a, mut b) = (a.chars(), b.chars());
    let mut last = None;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => last = Some(x),
            (Some(_), Some(_)) => return false,
            (None, None) => return true,
            // One ended: the other goes on into a directory of it, or only adds a `/`.
            (Some(rest), None) | (None, Some(rest)) => return rest == '/' || last == Some('/'),
        }
    }
}

/// Runs the rules of one valid node that involve the rest of the site.
fn check_node<'a, S: SeenValues<'a>>(
    site: &Site<'a>,
    index: usize,
    node: &Node<'a>,
    seen: &mut S,
    report: &mut dyn FnMut(Problem<'a>),
) {
    let id = node.id.as_str();
    let holder = Holder {
        node: u32::try_from(index).unwrap_or(u32::MAX),
        id,
    };
    let problem = |error: Error| Problem {
        node_id: Some(id),
        ..Problem::of(error.in_node(index))
    };
    let mut first_holder =
        |value: Unique<'a>, report: &mut dyn FnMut(Problem<'a>), e: Error| match seen
            .first_holder(value, holder)
        {
            Ok(None) => {}
            Ok(Some(first)) if first.node == holder.node && e.kind == ErrorKind::DuplicateMac => {
                report(problem(Error {
                    kind: ErrorKind::MacRepeatedInNode,
                    ..e
                }));
            }
            Ok(Some(first)) => report(Problem {
                first: Some(first),
                ..problem(e)
            }),
            Err(full) => report(problem(Error::at(
                ErrorKind::CheckCapacity { max: full.capacity },
                Field::Nodes,
            ))),
        };
    first_holder(
        Unique::Id(id),
        report,
        Error::at(ErrorKind::DuplicateId, Field::NodeId),
    );
    if let Some((_, field)) = tree_name_of(site, id) {
        report(Problem {
            value: Some(id),
            ..problem(Error::at(
                ErrorKind::ReplacesSiteName { name: field },
                Field::NodeId,
            ))
        });
    }
    for (item, nic) in node.nics.iter().enumerate() {
        let e = Error::at(ErrorKind::DuplicateMac, Field::NicMac).in_item(item);
        first_holder(Unique::Mac(nic.mac), report, e);
    }
    if let Some(addr) = node.ipv4 {
        let e = Error::at(ErrorKind::DuplicateAddress, Field::Ipv4);
        first_holder(Unique::Ipv4(addr), report, e);
    }
    if let Some(addr) = node.ipv6 {
        let e = Error::at(ErrorKind::DuplicateAddress, Field::Ipv6);
        first_holder(Unique::Ipv6(addr), report, e);
    }
    if let Some(uuid) = node.system_uuid {
        let e = Error::at(ErrorKind::DuplicateSystemUuid, Field::SystemUuid);
        first_holder(Unique::SystemUuid(uuid), report, e);
    }
    if !site.config().ipxe_enabled
        && let Err(error) = classic::check_node(node)
        // A site field's problem is reported once, by the site-level rules.
        && error.field.is_none_or(|field| field.scope() != Scope::Site)
    {
        report(problem(error));
    }
}

impl<'a> Site<'a> {
    /// Checks the whole site with `seen` (see [`Site::check`]), for a caller that needs only
    /// the first problem.
    ///
    /// # Errors
    /// The first problem's error.
    pub fn checked<S: SeenValues<'a>>(&self, seen: &mut S) -> Result<CheckedSite<'a>, Error> {
        first_problem(|on| self.check_all::<false, S>(seen, &mut [], on))
    }

    /// [`Site::checked`] with `scratch` as the buffer each templated script is rendered into
    /// to lint it (see [`Site::check_with`]).
    ///
    /// # Errors
    /// The first problem's error.
    pub fn checked_with<S: SeenValues<'a>>(
        &self,
        seen: &mut S,
        scratch: &mut [u8],
    ) -> Result<CheckedSite<'a>, Error> {
        first_problem(|on| self.check_all::<true, S>(seen, scratch, on))
    }

    /// Checks the whole site (see the module docs), telling `on` every problem and every
    /// valid node as it goes; gives the site to walk again without validating when there
    /// was no problem. This check reads no templates: a site that names one is refused
    /// ([`ErrorKind::TemplateNotLoaded`] at each field naming one), and an image that checks
    /// only this way links no template checks (nor the linter). [`Site::check_with`] checks
    /// templates.
    ///
    /// # Errors
    /// [`Refused`], with how many problems were reported.
    pub fn check<S: SeenValues<'a>>(
        &self,
        seen: &mut S,
        mut on: impl FnMut(CheckEvent<'_, 'a>),
    ) -> Result<CheckedSite<'a>, Refused> {
        self.check_all::<false, S>(seen, &mut [], &mut on)
    }

    /// [`Site::check`], rendering each script a template writes into `scratch` to lint it:
    /// one that does not fit is refused ([`TemplateErrorKind::OutputTooLong`]), so give
    /// [`SCRIPT_MAX`](crate::limits::SCRIPT_MAX) bytes to allow every script the core
    /// writes (a device may give less, and refuse longer scripts).
    ///
    /// # Errors
    /// [`Refused`], with how many problems were reported.
    pub fn check_with<S: SeenValues<'a>>(
        &self,
        seen: &mut S,
        scratch: &mut [u8],
        mut on: impl FnMut(CheckEvent<'_, 'a>),
    ) -> Result<CheckedSite<'a>, Refused> {
        self.check_all::<true, S>(seen, scratch, &mut on)
    }

    /// The check; with `TEMPLATES`, of the templates too (else a site naming one is refused
    /// at each field that does).
    fn check_all<const TEMPLATES: bool, S: SeenValues<'a>>(
        &self,
        seen: &mut S,
        scratch: &mut [u8],
        mut on: &mut dyn FnMut(CheckEvent<'_, 'a>),
    ) -> Result<CheckedSite<'a>, Refused> {
        let mut problems = 0usize;
        let mut nodes = 0usize;
        let mut report = |p: Problem<'a>, on: &mut dyn FnMut(CheckEvent<'_, 'a>)| {
            problems += 1;
            on(CheckEvent::Problem(&p));
        };
        check_names(self, &mut |p| report(p, &mut on));
        let c = self.config();
        let site_slots = [
            c.boot_script_template,
            c.config_template,
            c.grub_config_template,
        ];
        let has_templates = !c.templates.is_empty() || site_slots.iter().any(Option::is_some);
        if has_templates && TEMPLATES {
            check_site_templates(self, scratch, &mut |p| report(p, &mut on));
        } else if has_templates {
            for slot in site_slots.iter().flatten() {
                let problem = template_problem(slot, None, ErrorKind::TemplateNotLoaded);
                report(problem, &mut on);
            }
        }
        let mut all = self.nodes();
        while let Some((node, raw_id)) = all.next_with_raw_id() {
            let index = nodes;
            nodes += 1;
            match node {
                Err(error) => {
                    let value = self
                        .nodes
                        .and_then(|nodes| quoted_value(nodes.document(), &error));
                    report(
                        Problem {
                            node_id: raw_id,
                            value,
                            ..Problem::of(error)
                        },
                        &mut on,
                    );
                    // The template files the site first names here have their problems too.
                    if TEMPLATES && !self.config().templates.is_empty() {
                        let at = u32::try_from(index).ok();
                        check_template_files(self, at, raw_id, &mut |p| report(p, &mut on));
                    }
                }
                Ok(node) => {
                    check_node(self, index, &node, seen, &mut |p| report(p, &mut on));
                    let slots = [node.config_template, node.grub_config_template];
                    if TEMPLATES && slots.iter().any(Option::is_some) {
                        check_node_template(self, index, &node, scratch, &mut |p| {
                            report(p, &mut on);
                        });
                    } else {
                        for slot in slots.iter().flatten().filter(|s| is_node_own(s.field)) {
                            let at = u32::try_from(index).ok();
                            let problem = Problem {
                                node_id: Some(node.id.as_str()),
                                ..template_problem(slot, at, ErrorKind::TemplateNotLoaded)
                            };
                            report(problem, &mut on);
                        }
                    }
                    on(CheckEvent::Node(index, &node));
                }
            }
        }
        if problems > 0 {
            return Err(Refused { problems, nodes });
        }
        Ok(CheckedSite {
            site: self.clone(),
            count: nodes,
        })
    }
}

/// The first problem `check` reports (telling it to its callback), as an error.
fn first_problem<'a>(
    check: impl FnOnce(&mut dyn FnMut(CheckEvent<'_, 'a>)) -> Result<CheckedSite<'a>, Refused>,
) -> Result<CheckedSite<'a>, Error> {
    let mut first = None;
    let checked = check(&mut |event| {
        if let (CheckEvent::Problem(problem), None) = (event, &first) {
            first = Some(problem.error);
        }
    });
    checked.map_err(|_| first.unwrap_or(Error::new(ErrorKind::Internal)))
}

/// The problem `kind` of the template `slot` names (`path` as the document writes it), at
/// the slot's field; in node `node` when the slot is the node's own.
fn template_problem<'a>(
    slot: &TemplateSlot<'a>,
    node: Option<u32>,
    kind: ErrorKind,
) -> Problem<'a> {
    let mut error = Error::at(kind, slot.field);
    error.node = node;
    error.offset = Some(slot.offset);
    Problem {
        value: Some(slot.path.text().raw()),
        ..Problem::of(error)
    }
}

/// Reports each template file that could not be read or parsed, and more files than
/// [`TEMPLATE_FILES_MAX`], where the site first names them, of those it first names at
/// `node` (`None`: in its own fields).
fn check_template_files<'a>(
    site: &Site<'a>,
    node: Option<u32>,
    node_id: Option<&'a str>,
    report: &mut dyn FnMut(Problem<'a>),
) {
    let files: &'a [TemplateFile<'a>] = site.config().templates;
    for (i, file) in files.iter().enumerate() {
        let r = file.reference();
        if r.node != node {
            continue;
        }
        let problem = |kind| Problem {
            node_id,
            ..template_problem(&r.slot, r.node, kind)
        };
        if i == TEMPLATE_FILES_MAX {
            let max = u16::try_from(TEMPLATE_FILES_MAX).unwrap_or(u16::MAX);
            report(problem(ErrorKind::TooMany { max }));
        }
        match file.loaded() {
            Loaded::Template(_) => {}
            Loaded::Invalid(e) => report(problem(ErrorKind::Template(*e))),
            Loaded::Unreadable(why) => report(Problem {
                detail: Some(why),
                ..problem(ErrorKind::TemplateUnreadable)
            }),
        }
    }
}

/// Reports the problems of the template files the site's own fields name first, a site
/// field whose template was not loaded, and every problem of the main script its template
/// writes.
///
/// Out of line, and called only when there is a template: the linter's buffers are on the
/// stack only while a templated script is checked, not in every check's frame.
#[inline(never)]
fn check_site_templates<'a>(
    site: &Site<'a>,
    scratch: &mut [u8],
    report: &mut dyn FnMut(Problem<'a>),
) {
    let c = site.config();
    let files: &'a [TemplateFile<'a>] = c.templates;
    check_template_files(site, None, None, report);
    let slots = [
        c.boot_script_template,
        c.config_template,
        c.grub_config_template,
    ];
    for slot in slots.iter().flatten() {
        if !files.iter().any(|file| file.is_for(slot)) {
            report(template_problem(slot, None, ErrorKind::TemplateNotLoaded));
        }
    }
    let Some(slot) = &c.boot_script_template else {
        return;
    };
    let Some(AnyTemplate::Ipxe(template)) = loaded_template(files, slot) else {
        return;
    };
    let rendered = write_to_slice(scratch, |out| {
        ipxe_template::write_main_script(template, c, out)
    });
    let problem = |kind| template_problem(slot, None, kind);
    check_rendered(rendered, scratch, report, &problem, |line, column| {
        ipxe_template::main_source_of(template, c, line, column)
    });
}

/// The valid template loaded for `slot`, if any.
fn loaded_template<'f, 'a>(
    files: &'f [TemplateFile<'a>],
    slot: &TemplateSlot<'_>,
) -> Option<&'f AnyTemplate<'a>> {
    files.iter().find(|file| file.is_for(slot))?.template()
}

/// `true` for a node's own template field (not the site's, which a node falls back to).
fn is_node_own(field: Field) -> bool {
    matches!(
        field,
        Field::NodeIpxeConfigTemplate
            | Field::NodePxeConfigTemplate
            | Field::NodeGrubConfigTemplate
    )
}

/// The script a template rendered into `scratch` (`rendered`: its length, or the render's
/// error), or `None` after reporting why there is none: a value missing, a script longer
/// than the buffer, a value the writer refused.
fn rendered_script<'s, 'a>(
    rendered: crate::Result<usize>,
    scratch: &'s [u8],
    report: &mut dyn FnMut(Problem<'a>),
    problem: &dyn Fn(ErrorKind) -> Problem<'a>,
) -> Option<&'s [u8]> {
    let len = match rendered {
        Ok(len) => len,
        Err(e) if matches!(e.kind, ErrorKind::Template(_)) => {
            report(problem(e.kind));
            return None;
        }
        Err(e) if e.kind == ErrorKind::Write(embedded_io::ErrorKind::WriteZero) => {
            let max = u16::try_from(scratch.len()).unwrap_or(u16::MAX);
            let at = TemplateError {
                kind: TemplateErrorKind::OutputTooLong { max },
                line: 1,
                column: 1,
            };
            report(problem(ErrorKind::Template(at)));
            return None;
        }
        Err(e) => {
            report(problem(e.kind));
            return None;
        }
    };
    scratch.get(..len)
}

/// Reports what is wrong with a script a template rendered into `scratch` (see
/// [`rendered_script`]), and each lint finding (at the place of the template that writes
/// it, `source_of` finds it).
fn check_rendered<'a>(
    rendered: crate::Result<usize>,
    scratch: &[u8],
    report: &mut dyn FnMut(Problem<'a>),
    problem: &dyn Fn(ErrorKind) -> Problem<'a>,
    source_of: impl Fn(u16, u16) -> crate::Result<(u16, u16)>,
) {
    let Some(script) = rendered_script(rendered, scratch, report, problem) else {
        return;
    };
    lint_script(script, |d| {
        let saturate = |n: u32| u16::try_from(n).unwrap_or(u16::MAX);
        let (line, column) = (saturate(d.line), saturate(d.column));
        let kind = TemplateErrorKind::Lint {
            rule: d.rule,
            line,
            column,
        };
        let (at_line, at_column) = source_of(line, column).unwrap_or((1, 1));
        report(problem(ErrorKind::Template(TemplateError {
            kind,
            line: at_line,
            column: at_column,
        })));
    });
}

/// Reports what is wrong with the config a template writes for `node`: the problems of the
/// template files the site first names at this node, a node's own template not loaded, a
/// value the node does not have, a config longer than the check's buffer, each lint
/// finding. (A file's own problems are reported only where the site first names it.)
///
/// Out of line, and called only when there is a template: the linter's buffers are on the
/// stack only while a templated script is checked, not in every check's frame.
#[inline(never)]
fn check_node_template<'a>(
    site: &Site<'a>,
    index: usize,
    node: &Node<'a>,
    scratch: &mut [u8],
    report: &mut dyn FnMut(Problem<'a>),
) {
    let slots = [node.config_template, node.grub_config_template];
    let at = u32::try_from(index).ok();
    if slots.iter().flatten().any(|slot| is_node_own(slot.field)) {
        check_template_files(site, at, Some(node.id.as_str()), report);
    }
    let c = site.config();
    let files: &'a [TemplateFile<'a>] = c.templates;
    for slot in slots.iter().flatten() {
        let own = is_node_own(slot.field);
        let problem = |kind| Problem {
            node_id: Some(node.id.as_str()),
            ..template_problem(slot, if own { at } else { None }, kind)
        };
        if !files.iter().any(|file| file.is_for(slot)) {
            // The site's own field was reported once already.
            if own {
                report(problem(ErrorKind::TemplateNotLoaded));
            }
            continue;
        }
        match loaded_template(files, slot) {
            Some(AnyTemplate::Ipxe(template)) => {
                let rendered = write_to_slice(scratch, |out| {
                    ipxe_template::write_node_config(template, c, node, out)
                });
                check_rendered(rendered, scratch, report, &problem, |line, column| {
                    ipxe_template::node_source_of(template, c, node, line, column)
                });
            }
            Some(AnyTemplate::Classic(template)) => {
                let rendered = write_to_slice(scratch, |out| {
                    classic::template::write_node_config(template, node, out)
                });
                let Some(config) = rendered_script(rendered, scratch, report, &problem) else {
                    continue;
                };
                if let Some(line) = classic::template::long_line(config) {
                    let saturate = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
                    let kind = TemplateErrorKind::LineTooLong {
                        line: saturate(line),
                        max: saturate(classic::template::LINE_MAX),
                    };
                    let at = TemplateError {
                        kind,
                        line: 1,
                        column: 1,
                    };
                    report(problem(ErrorKind::Template(at)));
                }
            }
            None => {}
        }
    }
}
