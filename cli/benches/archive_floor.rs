//! The compute floor of `ipxegen archive`, beside the archive itself, in one process (a
//! benchmark that prints figures; `bench/archive.sh` runs it).
//!
//! The floor is the work no archive writer can avoid: the SHA-256 of every file entry's
//! bytes (each script, and the manifest) and one copy of the whole tar into its output. It is
//! measured on the site's real archive, made once beforehand. The archive is written as the
//! CLI writes it (one walk, the manifest spooled), into a buffer kept from run to run as the
//! floor's copy is. Each figure is the median of RUNS runs (default 11).
//!
//! Usage: cargo bench -p ipxegen-cli --bench archive_floor -- SITE

use ipxegen_core::archive::{LinkMode, write_tree_archive_spooled};
use ipxegen_core::site::{Holder, SeenFull, SeenValues, Unique};
use ipxegen_core::{CheckedSite, Site};
use ipxegen_tests::VecWriter;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

type Failure = Box<dyn std::error::Error>;

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

fn checked<'a>(site: &Site<'a>) -> Result<CheckedSite<'a>, Failure> {
    let mut seen = Seen::default();
    site.check(&mut seen, |_| {})
        .map_err(|refused| format!("the site has {} problems", refused.problems).into())
}

/// Writes the archive into `out` (emptied first), spooling the manifest in `spool`.
fn archive(site: &CheckedSite<'_>, out: &mut Vec<u8>, spool: &mut Vec<u8>) -> Result<(), Failure> {
    out.clear();
    spool.clear();
    write_tree_archive_spooled(
        site,
        LinkMode::Symlink,
        &mut VecWriter(spool),
        &mut VecWriter(out),
    )
    .map_err(|e| e.to_string().into())
}

/// The bytes of each regular file entry of a ustar archive.
fn file_entries(tar: &[u8]) -> Result<Vec<&[u8]>, Failure> {
    let mut files = Vec::new();
    let mut at = 0;
    while let Some(header) = tar.get(at..at + 512) {
        if header.iter().all(|&b| b == 0) {
            break;
        }
        let size_field = header.get(124..136).ok_or("short header")?;
        let size_text = std::str::from_utf8(size_field)?.trim_matches(|c| c == '\0' || c == ' ');
        let size = usize::from_str_radix(size_text, 8)?;
        let body = at + 512;
        if header.get(156) == Some(&b'0') {
            files.push(tar.get(body..body + size).ok_or("entry past the end")?);
        }
        at = body + size.div_ceil(512) * 512;
    }
    Ok(files)
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

    let (mut tar, mut spool) = (Vec::new(), Vec::new());
    archive(&site, &mut tar, &mut spool)?;
    let files = file_entries(&tar)?;
    let hashed: usize = files.iter().map(|f| f.len()).sum();
    let manifest = files.last().map_or(0, |f| f.len());
    let mut copy = vec![0u8; tar.len()];

    let floor = median(runs, || {
        for bytes in &files {
            black_box(Sha256::digest(bytes));
        }
        copy.copy_from_slice(&tar);
        black_box(&copy);
    });
    let scripts_floor = median(runs, || {
        for bytes in files.iter().take(files.len().saturating_sub(1)) {
            black_box(Sha256::digest(bytes));
        }
        copy.copy_from_slice(&tar);
        black_box(&copy);
    });
    let mut failed: Option<Failure> = None;
    let mut out = Vec::with_capacity(tar.len());
    let archived = median(runs, || {
        if let Err(e) = archive(&site, &mut out, &mut spool) {
            failed = Some(e);
        }
        black_box(&out);
    });
    let whole = median(runs, || {
        let run = |out: &mut Vec<u8>, spool: &mut Vec<u8>| -> Result<(), Failure> {
            let parsed = Site::parse(&doc).map_err(|e| e.to_string())?;
            archive(&checked(&parsed)?, out, spool)
        };
        if let Err(e) = run(&mut out, &mut spool) {
            failed = Some(e);
        }
        black_box(&out);
    });
    if let Some(e) = failed {
        return Err(e);
    }
    if out != tar {
        return Err("the archive differs from run to run".into());
    }
    println!(
        "{} nodes: tar {} bytes, {} files ({hashed} bytes, the manifest {manifest}); median of {runs} runs",
        site.node_count(),
        tar.len(),
        files.len(),
    );
    println!(
        "floor (SHA-256 of every file entry + one copy of the tar): {:.1} ms",
        ms(floor)
    );
    println!(
        "  the same without hashing the manifest:                  {:.1} ms",
        ms(scripts_floor)
    );
    println!(
        "archive of the checked site:  {:.1} ms = {:.2}x the floor ({:.2}x without the manifest's hash)",
        ms(archived),
        ms(archived) / ms(floor),
        ms(archived) / ms(scripts_floor)
    );
    println!(
        "read + check + archive:       {:.1} ms = {:.2}x the floor",
        ms(whole),
        ms(whole) / ms(floor)
    );
    Ok(())
}
