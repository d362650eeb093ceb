//! Validating a whole site and reporting every problem, not only the first: each invalid
//! node, each duplicate id or MAC, each node id that collides with a name of the tree, and
//! each local file (kernel, ramdisk, ISO) that cannot be read. One line per problem, as
//! [`Failure::in_site`] formats them, on standard error.
//!
//! Duplicates are found with hash maps in O(n) time (the core's `check_unique` is O(n²), for
//! targets without an allocator). Node ids are kept as 128-bit fingerprints rather than
//! strings so memory stays at about 50 bytes per node: two different ids have the same
//! fingerprint with a probability below 2^-90 at a million nodes.

use crate::failure::{EX_DATAERR, Failure};
use crate::site_file::SiteFile;
use crate::sources::{SourceState, Sources};
use ipxegen_core::manifest::MANIFEST_NAME;
use ipxegen_core::model::{ScriptRef, Source};
use ipxegen_core::{Error, ErrorKind, Field, Site, raw_node_id};
use std::collections::HashMap;
use std::collections::hash_map::{DefaultHasher, Entry};
use std::hash::{Hash, Hasher};
use std::path::Path;

/// What to do about a local file the site names that cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingFiles {
    /// Do not look at local files (the archive does not hold them).
    Ignore,
    /// Each is an error.
    Refuse,
    /// Each is listed as a file to place by hand (the built-in example, `--allow-missing`).
    PlaceByHand,
}

/// The outcome of a check.
#[derive(Debug, Default)]
pub struct Checked {
    /// Nodes read (valid or not).
    pub nodes: usize,
    /// Problems reported.
    pub errors: usize,
    /// Local files that cannot be read but may be placed by hand: (field, source, reason).
    pub by_hand: Vec<(String, String, String)>,
}

/// A 128-bit fingerprint of `s` (two SipHash-1-3 runs with different prefixes).
fn fingerprint(s: &str) -> u128 {
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        salt.hash(&mut h);
        s.hash(&mut h);
        h.finish()
    };
    (u128::from(half(1)) << 64) | u128::from(half(2))
}

fn mac_key(mac: [u8; 6]) -> u64 {
    mac.iter().fold(0u64, |k, b| (k << 8) | u64::from(*b))
}

/// Names the site itself puts at the top of the HTTP root; a node id equal to one of them
/// would make the node's directory collide with it.
fn top_level_names<'s>(site: &'s Site<'_>) -> Vec<(&'s str, Field)> {
    let c = site.config();
    let mut names = vec![
        (c.boot_script.as_str(), Field::IpxeBootScript),
        (c.per_mac_dir.as_str(), Field::PerMacDir),
        (c.uefi_x64_bootfile.as_str(), Field::UefiX64BootfileName),
        (c.uefi_arm64_bootfile.as_str(), Field::UefiArm64BootfileName),
        (MANIFEST_NAME, Field::Document),
    ];
    if let Some(ScriptRef::Relative(name)) = &c.fallback {
        names.push((name.as_str(), Field::FallbackScript));
    }
    names
}

impl MissingFiles {
    /// The policy of `build` and `check`: files to place by hand for the built-in example
    /// (`site` is `None`) or with `--allow-missing`, errors otherwise.
    pub fn for_site(site: Option<&Path>, allow_missing: bool) -> Self {
        if allow_missing || site.is_none() {
            MissingFiles::PlaceByHand
        } else {
            MissingFiles::Refuse
        }
    }
}

impl Checked {
    /// Fails with `<file>: N problems found<consequence>` when the check reported any (each
    /// was already printed on standard error).
    pub fn refuse_if_problems(&self, file: &SiteFile, consequence: &str) -> Result<(), Failure> {
        if self.errors == 0 {
            return Ok(());
        }
        Err(Failure::new(
            EX_DATAERR,
            format!("{}: {}{consequence}", file.name, problems(self.errors)),
        ))
    }
}

/// `N problem(s) found` with the right plural.
pub fn problems(n: usize) -> String {
    format!("{n} problem{} found", if n == 1 { "" } else { "s" })
}

fn report(line: String) {
    let _ = Failure::new(EX_DATAERR, line).report();
}

/// Checks the site-level names for collisions with each other.
fn check_names(file: &SiteFile, site: &Site<'_>, out: &mut Checked) {
    let names = top_level_names(site);
    for (i, (name, field)) in names.iter().enumerate() {
        if let Some((_, other)) = names.iter().take(i).find(|(n, _)| n == name) {
            out.errors += 1;
            report(format!(
                "{}: {}: {name:?} is also the name of {} in the HTTP root",
                file.name,
                field.key(),
                other.key()
            ));
        }
    }
    let c = site.config();
    if c.tftp_root.is_some()
        && (c.pxe_bootfile == c.uefi_x64_bootfile || c.pxe_bootfile == c.uefi_arm64_bootfile)
    {
        out.errors += 1;
        report(format!(
            "{}: pxe_bootfile_name: {:?} is also the name of a UEFI loader in the TFTP root",
            file.name,
            c.pxe_bootfile.as_str()
        ));
    }
}

/// Validates every node of `site` and reports each problem on standard error. With
/// `sources`, also opens each local file the nodes name.
pub fn check_site(
    file: &SiteFile,
    site: &Site<'_>,
    mut sources: Option<&mut Sources>,
    missing: MissingFiles,
) -> Checked {
    let mut out = Checked::default();
    check_names(file, site, &mut out);
    let reserved: Vec<(&str, Field)> = top_level_names(site);
    let mut ids: HashMap<u128, u32> = HashMap::new();
    let mut macs: HashMap<u64, u32> = HashMap::new();
    let mut site_sources_seen: Vec<String> = Vec::new();
    for (index, node) in site.nodes().enumerate() {
        out.nodes += 1;
        let node = match node {
            Ok(node) => node,
            Err(e) => {
                out.errors += 1;
                let _ = Failure::in_site(&file.name, &file.bytes, e).report();
                continue;
            }
        };
        let index32 = u32::try_from(index).unwrap_or(u32::MAX);
        let id = node.id.as_str();
        let here = |e: Error| format!("{}: node {id:?}: {}", file.name, e.in_node(index));
        match ids.entry(fingerprint(id)) {
            Entry::Occupied(first) => {
                out.errors += 1;
                let e = Error::at(ErrorKind::DuplicateId, Field::NodeId);
                report(format!("{} (nodes[{}])", here(e), first.get()));
            }
            Entry::Vacant(slot) => {
                slot.insert(index32);
            }
        }
        if let Some((_, field)) = reserved.iter().find(|(name, _)| *name == id) {
            out.errors += 1;
            let what = if *field == Field::Document {
                "manifest"
            } else {
                field.key()
            };
            report(format!(
                "{}: node {id:?}: nodes[{index}].id: the node's directory would replace the site's {what} ({id:?})",
                file.name
            ));
        }
        for (k, nic) in node.nics.iter().enumerate() {
            match macs.entry(mac_key(nic.mac.0)) {
                Entry::Occupied(first) => {
                    out.errors += 1;
                    let j = *first.get();
                    let other = usize::try_from(j)
                        .ok()
                        .and_then(|j| raw_node_id(&file.bytes, j))
                        .map(|id| format!(" {id:?}"))
                        .unwrap_or_default();
                    let e = Error::at(ErrorKind::DuplicateMac, Field::NicMac).in_item(k);
                    report(format!("{} (nodes[{j}]{other})", here(e)));
                }
                Entry::Vacant(slot) => {
                    slot.insert(index32);
                }
            }
        }
        let Some(sources) = sources.as_deref_mut() else {
            continue;
        };
        if missing == MissingFiles::Ignore {
            continue;
        }
        for image in node.boot.images().into_iter().flatten() {
            let Source::File(path) = &image.source else {
                continue;
            };
            let field = image.field;
            let from_site = matches!(field, Field::DeployKernel | Field::DeployRamdisk);
            let path = path.to_string();
            if from_site && site_sources_seen.contains(&path) {
                continue;
            }
            let SourceState::Unreadable(why) = sources.state(Path::new(&path)) else {
                continue;
            };
            let why = why.clone();
            let place = if from_site {
                field.key().to_owned()
            } else {
                format!("nodes[{index}].{}", field.key())
            };
            if from_site {
                site_sources_seen.push(path.clone());
            }
            if missing == MissingFiles::PlaceByHand {
                out.by_hand.push((place, path.clone(), why));
                continue;
            }
            out.errors += 1;
            let resolved = sources.resolve(Path::new(&path));
            if from_site {
                report(format!(
                    "{}: {place}: cannot read {}: {why}",
                    file.name,
                    resolved.display()
                ));
            } else {
                report(format!(
                    "{}: node {id:?}: {place}: cannot read {}: {why}",
                    file.name,
                    resolved.display()
                ));
            }
        }
    }
    out
}
