//! The linter's label lookups (a table of label lines, sorted and binary-searched) give the
//! same findings as reading the whole script again for every lookup, whatever the table's
//! size: with room for every label line, with none, and with any size in between; and a
//! script of many gotos and labels gets exactly the `missing-label` and `duplicate-label`
//! findings its lines call for.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test"
)]

use ipxegen_core::ipxe::lint::{
    Diagnostic, LabelEntry, Rule, label_line_count, lint_script, lint_script_with,
};
use proptest::prelude::*;

/// The findings with a table of `entries` entries.
fn lint_with(script: &[u8], entries: usize) -> Vec<Diagnostic> {
    let mut table = vec![LabelEntry::EMPTY; entries];
    let mut found = Vec::new();
    lint_script_with(script, &mut table, |d| found.push(d));
    found
}

/// Labels and targets, short so that they repeat, some sharing prefixes or holding `:`.
const NAMES: [&str; 9] = ["a", "b", "ab", "ba", "x1", "node-0001", "${x}", "::", ""];

/// One line (or a few physical lines) of a script about labels, chosen by `kind`.
fn line(kind: usize, name: &str, other: &str) -> String {
    let (head, tail) = name.split_at(name.len() / 2);
    match kind % 20 {
        0 => format!(":{name}"),
        1 => format!("  :{name}   # comment"),
        2 => format!(":{head}\\\n{tail}"),
        3 => format!("\\\n:{name}"),
        4 => format!(":{name}\r"),
        5 => format!(":{name}\0cut"),
        6 => format!(":{name}\\"),
        7 => format!("goto {name}"),
        8 => format!("goto {name} || goto {other}"),
        9 => format!("item {name} text"),
        10 => format!("item --key x {name} text"),
        11 => format!("echo :{name}"),
        12 => format!("#:{name}"),
        13 => format!(":{name} {}", "x".repeat(4100)),
        14 => format!(":{name}\\\n{}", "y".repeat(4100)),
        15 => format!(":{name}:{other}"),
        16 => format!("\t:{name}\t\\\n\\\n  goto {other}"),
        17 => "goto".to_string(),
        18 => format!(":{name}\x0b{other}"),
        _ => format!("prompt --timeout 10 && goto {name}"),
    }
}

fn script(lines: &[(usize, usize, usize, bool)], header: bool, final_newline: bool) -> Vec<u8> {
    let mut text = String::new();
    if header {
        text.push_str("#!ipxe\n");
    }
    for &(kind, name, other, crlf) in lines {
        text.push_str(&line(kind, NAMES[name % 9], NAMES[other % 9]));
        text.push_str(if crlf { "\r\n" } else { "\n" });
    }
    if !final_newline {
        text.pop();
    }
    text.into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn every_table_size_gives_the_findings_of_a_full_rescan(
        lines in prop::collection::vec((0usize..20, 0usize..9, 0usize..9, any::<bool>()), 0..40),
        header in any::<bool>(),
        final_newline in any::<bool>(),
        small in 1usize..8,
    ) {
        let script = script(&lines, header, final_newline);
        // No table: every lookup reads the whole script again.
        let rescan = lint_with(&script, 0);
        let labels = label_line_count(&script);
        for entries in [labels, labels + 3, small, labels.saturating_sub(1)] {
            prop_assert_eq!(
                &lint_with(&script, entries),
                &rescan,
                "table of {} ({} label lines) on {:?}",
                entries,
                labels,
                String::from_utf8_lossy(&script)
            );
        }
        let mut own = Vec::new();
        lint_script(&script, |d| own.push(d));
        prop_assert_eq!(own, rescan);
    }

    #[test]
    fn arbitrary_bytes_give_the_same_findings_with_and_without_a_table(
        bytes in prop::collection::vec(
            prop::sample::select(b"#!ipxe \t\n\r\\${}:|&;-abgotoitem\0\x0b".to_vec()),
            0..200,
        ),
    ) {
        let rescan = lint_with(&bytes, 0);
        prop_assert_eq!(lint_with(&bytes, label_line_count(&bytes)), rescan.clone());
        prop_assert_eq!(lint_with(&bytes, 1), rescan);
    }
}

#[test]
fn many_gotos_and_labels_get_exactly_their_label_findings() {
    // Line 1 is the header; line 2 + 2i is `goto t<i>`, line 3 + 2i is `:l<i>`. Every 7th
    // label is defined a second time (at the end), every 11th goto names a label that is
    // not defined, every 13th label is `l0`.
    let pairs = 50_000usize;
    let label = |i: usize| if i % 13 == 12 { 0 } else { i };
    let mut text = String::from("#!ipxe\n");
    for i in 0..pairs {
        if i % 11 == 10 {
            text.push_str(&format!("goto none{i}\n"));
        } else {
            text.push_str(&format!("goto l{}\n", label(i)));
        }
        text.push_str(&format!(":l{}\n", label(i)));
    }
    let again: Vec<usize> = (0..pairs).filter(|i| i % 7 == 0 && i % 13 != 12).collect();
    for &i in &again {
        text.push_str(&format!(":l{i}\n"));
    }
    let script = text.into_bytes();
    let line = |n: usize| u32::try_from(n).unwrap();
    let mut want = Vec::new();
    for i in 0..pairs {
        if i % 11 == 10 {
            want.push(Diagnostic {
                line: line(2 + 2 * i),
                column: 6,
                rule: Rule::MissingLabel,
            });
        }
        let l = label(i);
        if l == 0 || l % 7 == 0 {
            want.push(Diagnostic {
                line: line(3 + 2 * i),
                column: 1,
                rule: Rule::DuplicateLabel,
            });
        }
    }
    for (k, _) in again.iter().enumerate() {
        want.push(Diagnostic {
            line: line(2 + 2 * pairs + k),
            column: 1,
            rule: Rule::DuplicateLabel,
        });
    }
    assert_eq!(label_line_count(&script), pairs + again.len());
    let found = lint_with(&script, label_line_count(&script));
    assert_eq!(found.len(), want.len());
    assert_eq!(found, want);
}
