//! The linter on large scripts (a benchmark that prints figures, not a timed test): 1,000,000
//! lines of `goto`s and the labels they name, 1,000,000 labels, and 1,000,000 `goto`s to one
//! label, each linted as `ipxegen lint` does (a label table of `label_line_count` entries);
//! then 10,000 lines of `goto`s and labels with a table of 64 entries (what `lint_script`
//! keeps), where the labels beyond the table are read again for each lookup. Each figure is
//! the median of RUNS runs (default 5).
//!
//! Usage: cargo bench -p ipxegen-cli --bench lint_scale

use ipxegen_core::ipxe::lint::{LabelEntry, label_line_count, lint_script_with};
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// `#!ipxe`, then `lines` lines made by `line` from their 0-based index.
fn script(lines: usize, line: impl Fn(usize, &mut String)) -> Vec<u8> {
    let mut text = String::from("#!ipxe\n");
    for i in 0..lines {
        line(i, &mut text);
        text.push('\n');
    }
    text.into_bytes()
}

/// Lints `script` with a label table of `entries` entries (`None`: as many as it has label
/// lines); returns the number of findings.
fn lint(script: &[u8], entries: Option<usize>) -> usize {
    let mut table = vec![LabelEntry::EMPTY; entries.unwrap_or_else(|| label_line_count(script))];
    let mut findings = 0usize;
    lint_script_with(script, &mut table, |_| findings += 1);
    findings
}

/// CPU time this thread has run (Linux: /proc/thread-self/schedstat; zero elsewhere).
fn cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// The median wall-clock and CPU time of `runs` runs of `work`.
fn median(runs: usize, mut work: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<(Duration, Duration)> = (0..runs)
        .map(|_| {
            let (start, cpu) = (Instant::now(), cpu_time());
            work();
            (start.elapsed(), cpu_time().saturating_sub(cpu))
        })
        .collect();
    let mut pick = |key: fn(&(Duration, Duration)) -> Duration| {
        times.sort_by_key(key);
        times.get(runs / 2).map(key).unwrap_or_default()
    };
    (pick(|t| t.0), pick(|t| t.1))
}

/// `lines` lines alternating `goto lN` and `:lN`.
fn gotos_and_labels(lines: usize) -> Vec<u8> {
    script(lines, |i, s| {
        let _ = if i % 2 == 0 {
            write!(s, "goto l{}", i / 2)
        } else {
            write!(s, ":l{}", i / 2)
        };
    })
}

fn main() {
    let runs = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let cases: [(&str, Vec<u8>, Option<usize>); 4] = [
        (
            "1,000,000 lines of gotos and labels",
            gotos_and_labels(1_000_000),
            None,
        ),
        (
            "1,000,000 labels",
            script(1_000_000, |i, s| {
                let _ = write!(s, ":l{i}");
            }),
            None,
        ),
        (
            "1,000,000 gotos to one label",
            script(1_000_000, |i, s| {
                s.push_str(if i == 0 { ":l" } else { "goto l" });
            }),
            None,
        ),
        (
            "10,000 lines of gotos and labels, table of 64",
            gotos_and_labels(10_000),
            Some(64),
        ),
    ];
    for (name, text, entries) in &cases {
        let mut findings = 0;
        let (wall, cpu) = median(runs, || findings = lint(black_box(text), *entries));
        println!(
            "{name}: {:.3} s ({:.3} s CPU; {} KiB, {findings} findings, median of {runs})",
            wall.as_secs_f64(),
            cpu.as_secs_f64(),
            text.len() / 1024
        );
    }
}
