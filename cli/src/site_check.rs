//! Checking a whole site before a command uses it: the core's whole-site check (every
//! problem, one line each, as [`Failure::problem`] formats them, on standard error), and, for
//! the commands that place files, each local file the nodes name (kernel, ramdisk, ISO) that
//! cannot be read.

use crate::failure::{EX_DATAERR, Failure};
use crate::seen::SeenMaps;
use crate::site_file::SiteFile;
use crate::sources::{SourceState, Sources};
use ipxegen_core::limits::SCRIPT_MAX;
use ipxegen_core::model::{Node, Quoted, Source};
use ipxegen_core::site::CheckEvent;
use ipxegen_core::{CheckedSite, Field, Site};
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
#[derive(Debug)]
pub struct Checked<'a> {
    /// Nodes read (valid or not).
    pub nodes: usize,
    /// Problems reported.
    pub errors: usize,
    /// Local files that cannot be read but may be placed by hand: (field, source, reason).
    pub by_hand: Vec<(String, String, String)>,
    /// The site to build from, when the core found no problem.
    pub site: Option<CheckedSite<'a>>,
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

impl<'a> Checked<'a> {
    /// The checked site, or `<file>: N problems found<consequence>` when the check reported
    /// any (each was already printed on standard error).
    pub fn refuse_if_problems(
        self,
        file: &SiteFile,
        consequence: &str,
    ) -> Result<CheckedSite<'a>, Failure> {
        match self.site {
            Some(site) if self.errors == 0 => Ok(site),
            _ => Err(Failure::new(
                EX_DATAERR,
                format!(
                    "{}: {}{consequence}",
                    file.name,
                    problems(self.errors.max(1))
                ),
            )),
        }
    }
}

/// `N problem(s) found` with the right plural.
pub fn problems(n: usize) -> String {
    format!("{n} problem{} found", if n == 1 { "" } else { "s" })
}

fn report(line: String) {
    let _ = Failure::new(EX_DATAERR, line).report();
}

/// Runs the core's whole-site check on `site` (with its template files, which the caller
/// read: [`crate::templates::Templates`]) and reports each problem on standard error. With
/// `sources` (and a `missing` policy other than `Ignore`), also opens each local file the
/// nodes name, once per file.
pub fn check_site<'a>(
    file: &'a SiteFile,
    site: &Site<'a>,
    mut sources: Option<&mut Sources>,
    missing: MissingFiles,
) -> Checked<'a> {
    let mut seen = SeenMaps::new(&file.bytes);
    let mut errors = 0usize;
    let mut by_hand = Vec::new();
    let mut site_sources_seen: Vec<String> = Vec::new();
    // Each script a template writes is rendered here to be linted.
    let mut scratch = vec![0u8; SCRIPT_MAX];
    let result = site.check_with(&mut seen, &mut scratch, |event| match event {
        CheckEvent::Problem(problem) => {
            errors += 1;
            let _ = Failure::problem(file, problem).report();
        }
        CheckEvent::Node(index, node) => {
            let Some(sources) = sources.as_deref_mut() else {
                return;
            };
            if missing == MissingFiles::Ignore {
                return;
            }
            let files = check_files(file, index, node, sources, missing, &mut site_sources_seen);
            errors += files.0;
            by_hand.extend(files.1);
        }
    });
    let (nodes, site) = match result {
        Ok(checked) => (checked.node_count(), Some(checked)),
        Err(refused) => (refused.nodes, None),
    };
    Checked {
        nodes,
        errors,
        by_hand,
        site,
    }
}

/// The local files of one node that cannot be read: how many are errors, and those to place
/// by hand. A file the site's `deploy_kernel` or `deploy_ramdisk` names is looked at once.
fn check_files(
    file: &SiteFile,
    index: usize,
    node: &Node<'_>,
    sources: &mut Sources,
    missing: MissingFiles,
    site_sources_seen: &mut Vec<String>,
) -> (usize, Vec<(String, String, String)>) {
    let mut errors = 0;
    let mut by_hand = Vec::new();
    let id = node.id.as_str();
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
            by_hand.push((place, path, why));
            continue;
        }
        errors += 1;
        let resolved = sources.resolve(Path::new(&path));
        if from_site {
            report(format!(
                "{}: {place}: cannot read {}: {why}",
                file.name,
                resolved.display()
            ));
        } else {
            report(format!(
                "{}: node {}: {place}: cannot read {}: {why}",
                file.name,
                Quoted(id),
                resolved.display()
            ));
        }
    }
    (errors, by_hand)
}
