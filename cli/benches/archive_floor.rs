//! The compute floor of `ipxegen archive`, beside the archive itself, in one process (a
//! benchmark that prints figures; `bench/archive.sh` runs it).
//!
//! The floor is the work no archive writer can avoid: the SHA-256 of every script entry's
//! bytes (the manifest lists them) and one copy of the whole tar into its output. It is
//! measured on the site's real entries, rendered once beforehand. Each figure is the median of
//! RUNS runs (default 11).
//!
//! Usage: cargo bench -p ipxegen-cli --bench archive_floor -- SITE

use embedded_io_adapters::std::FromStd;
use ipxegen_core::archive::{LinkMode, write_tree_archive};
use ipxegen_core::site::{Holder, SeenFull, SeenValues, Unique};
use ipxegen_core::tree::{Tree, write_script};
use ipxegen_core::{CheckedSite, Site};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A plain hash-map set for the check (the CLI's own is in its binary).
#[derive(Default)]
struct Seen<'a>(HashMap<Unique<'a>, Holder<'a>>);

impl<'a> SeenValues<'a> for Seen<'a> {
    fn first_holder(
        &mut self,
        value: Unique<'a>,
        holder: Holder<'a>,
    ) -> Result<Option<Holder<'a>>, SeenFull> {
        Ok(match self.0.entry(value) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(holder);
                None
            }
        })
    }
}

fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times.get(runs / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

type Failure = Box<dyn std::error::Error>;

fn checked<'a>(site: &Site<'a>) -> Result<CheckedSite<'a>, Failure> {
    let mut seen = Seen::default();
    site.check(&mut seen, |_| {})
        .map_err(|refused| format!("the site has {} problems", refused.problems).into())
}

/// Renders the archive into a buffer with room for `capacity` bytes.
fn archive(site: &CheckedSite<'_>, capacity: usize) -> Result<Vec<u8>, Failure> {
    let mut out = FromStd::new(Vec::with_capacity(capacity));
    write_tree_archive(site, LinkMode::Symlink, &mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

fn main() -> Result<(), Failure> {
    let path = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .ok_or("usage: archive_floor SITE")?;
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(11);
    let doc = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    let site = Site::parse(&doc).map_err(|e| format!("{path}: {e}"))?;
    let site = checked(&site)?;

    // The entries' bytes and the whole tar, made once.
    let mut scripts: Vec<Vec<u8>> = Vec::new();
    let mut tree = Tree::new(&site);
    while let Some(entry) = tree.next_entry() {
        let entry = entry.map_err(|e| e.to_string())?;
        if let ipxegen_core::tree::EntryKind::Script(script) = entry.kind {
            let mut out = FromStd::new(Vec::new());
            write_script(site.config(), script, &mut out).map_err(|e| e.to_string())?;
            scripts.push(out.into_inner());
        }
    }
    let tar = archive(&site, 0)?;
    let mut copy = vec![0u8; tar.len()];

    let floor = median(runs, || {
        for bytes in &scripts {
            black_box(Sha256::digest(bytes));
        }
        copy.copy_from_slice(&tar);
        black_box(&copy);
    });
    let mut failed: Option<Failure> = None;
    let archived = median(runs, || match archive(&site, tar.len()) {
        Ok(bytes) => drop(black_box(bytes)),
        Err(e) => failed = Some(e),
    });
    let whole = median(runs, || {
        let run = || -> Result<Vec<u8>, Failure> {
            let parsed = Site::parse(&doc).map_err(|e| e.to_string())?;
            archive(&checked(&parsed)?, tar.len())
        };
        match run() {
            Ok(bytes) => drop(black_box(bytes)),
            Err(e) => failed = Some(e),
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let hashed: usize = scripts.iter().map(Vec::len).sum();
    println!(
        "{} nodes: {} scripts ({hashed} bytes) hashed, tar {} bytes; median of {runs} runs",
        site.node_count(),
        scripts.len(),
        tar.len()
    );
    println!(
        "floor (SHA-256 of every script + one copy of the tar): {:.1} ms",
        ms(floor)
    );
    println!(
        "archive of the checked site:                            {:.1} ms ({:.2}x the floor)",
        ms(archived),
        ms(archived) / ms(floor)
    );
    println!(
        "read + check + archive:                                 {:.1} ms ({:.2}x the floor)",
        ms(whole),
        ms(whole) / ms(floor)
    );
    Ok(())
}
