//! The linter on its corpus (tests/lint/): every rule has a `bad-<rule>.ipxe` that triggers it
//! and a `good-<rule>.ipxe` that triggers nothing; every generated golden script, and every
//! node of every golden site, lints clean; the field defects listed in the iPXE reference are
//! caught by the rule meant for them; arbitrary bytes never panic the linter.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test"
)]

use ipxegen_core::ipxe::lint::{Diagnostic, Rule, lint_script};
use ipxegen_core::{Site, ipxe};
use ipxegen_tests::{GOLDEN_CASES, VecWriter, render_case};
use std::path::Path;

fn lint(script: &[u8]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    lint_script(script, |d| found.push(d));
    found
}

fn corpus(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("lint")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn each_rule_has_a_failing_and_a_passing_example() {
    for rule in Rule::ALL {
        let bad = lint(&corpus(&format!("bad-{}.ipxe", rule.id())));
        assert!(
            bad.iter().any(|d| d.rule == rule),
            "bad-{}.ipxe: {bad:?}",
            rule.id()
        );
        let good = lint(&corpus(&format!("good-{}.ipxe", rule.id())));
        assert!(good.is_empty(), "good-{}.ipxe: {good:?}", rule.id());
    }
}

#[test]
fn field_defects_are_caught_by_their_rule() {
    let cases: &[(&[u8], Rule)] = &[
        (b"#!ipxe\nchain fallback.ipxe | goto boot_failed\n:boot_failed\n", Rule::SinglePipe),
        (b"#!ipxe\nprompt --timeout 180 ||\n", Rule::TimeoutSeconds),
        (b"#!ipxeset netid:int32 -1\n", Rule::Header),
        (b"#!ipxe\nchain pxelinux.cfg/${mac:hexhyp} ||\n", Rule::AmbiguousMac),
        (b"#!ipxe\nkernel http://x/k || goto f\ninitrd --name ramdisk http://x/r || goto f\n:f\n", Rule::InitrdName),
    ];
    for (script, rule) in cases {
        assert!(
            lint(script).iter().any(|d| d.rule == *rule),
            "{rule:?} in {:?}",
            String::from_utf8_lossy(script)
        );
    }
}

#[test]
fn generated_scripts_lint_clean() {
    for case in GOLDEN_CASES {
        let script = render_case(case).unwrap();
        assert_eq!(lint(&script), [], "{}", case.name);
    }
    let mut sites: Vec<&[u8]> = GOLDEN_CASES.iter().map(|c| c.site).collect();
    sites.dedup();
    for doc in sites {
        let site = Site::parse(doc).unwrap();
        for node in site.nodes() {
            let node = node.unwrap();
            let mut out = Vec::new();
            ipxe::write_node_config(site.config(), &node, &mut VecWriter(&mut out)).unwrap();
            assert_eq!(lint(&out), [], "{}", node.id.as_str());
        }
    }
}

#[test]
fn diagnostics_point_at_the_token() {
    let found = lint(b"#!ipxe\necho ok\n  kernel --timeout 180 http://x/k ||\n");
    assert_eq!(
        found,
        [Diagnostic {
            line: 3,
            column: 20,
            rule: Rule::TimeoutSeconds
        }]
    );
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A deterministic pseudo-random stream (xorshift) over bytes iPXE scripts are made of.
    let alphabet = b"#!ipxe \t\n\r\\${}:|&;-0123456789abcdefgotochainkernelinitrd=/.\0\xff";
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..3000 {
        let len = usize::try_from(state % 300).unwrap();
        let mut script = Vec::with_capacity(len);
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            script.push(
                alphabet[usize::try_from(state % u64::try_from(alphabet.len()).unwrap()).unwrap()],
            );
        }
        let _ = lint(&script);
    }
}
