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
use ipxegen_tests::{GOLDEN_CASES, Render, VecWriter, render_case};
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
        // The classic flow's PXELINUX and GRUB configs are not iPXE scripts.
        if !matches!(case.render, Render::Main | Render::Node(_)) {
            continue;
        }
        let script = render_case(case).unwrap();
        assert_eq!(lint(&script), [], "{}", case.name);
    }
    let mut sites: Vec<&[u8]> = GOLDEN_CASES.iter().map(|c| c.site).collect();
    sites.dedup();
    for doc in sites {
        let site = Site::parse(doc).unwrap();
        if !site.config().ipxe_enabled {
            continue;
        }
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

mod generated_sites {
    //! Property: for any valid site (every boot mode, option combination and NIC count the
    //! generator below draws), the main script and every node config lint clean.

    use super::lint;
    use ipxegen_core::{Site, ipxe};
    use ipxegen_tests::VecWriter;
    use proptest::prelude::*;

    const MODES: [&str; 7] = [
        "deploy", "local", "ramdisk", "iso", "iscsi", "anaconda", "chain",
    ];

    fn url(https: bool, path: &str) -> String {
        format!(
            "{}://images.example.com/{path}",
            if https { "https" } else { "http" }
        )
    }

    /// One node of `mode` with `nics` NICs (the first may be marked not to boot).
    fn node(
        i: usize,
        mode: &str,
        nics: usize,
        https: bool,
        local_files: bool,
        firmware: &str,
        args: &str,
    ) -> String {
        let macs: Vec<String> = (0..nics)
            .map(|n| {
                let mac = format!("52:54:00:{:02x}:{:02x}:{:02x}", i / 256, i % 256, n);
                if n == 0 && nics > 1 {
                    format!(r#"{{"mac": "{mac}", "pxe": false}}"#)
                } else {
                    format!("\"{mac}\"")
                }
            })
            .collect();
        let image = |name: &str| {
            if local_files {
                format!("/srv/images/{name}")
            } else {
                url(https, name)
            }
        };
        let kernel_args = if args.is_empty() {
            String::new()
        } else {
            format!(r#", "kernel_args": "{args}""#)
        };
        let extra = match mode {
            "deploy" | "ramdisk" => format!(r#", "kernel": "{}", "ramdisk": "{}"{kernel_args}"#, image("vmlinuz"), image("initrd")),
            "iso" => format!(r#", "iso": "{}""#, image("boot.iso")),
            "iscsi" => r#", "initiator_iqn": "iqn.2026-11.com.example:i", "iscsi": [{"server": "192.0.2.30", "iqn": "iqn.2010-04.org.example:a", "username": "u", "password": "p"}, {"server": "2001:db8::1", "port": 3261, "lun": 2, "iqn": "iqn.2010-04.org.example:b"}]"#.to_string(),
            "anaconda" => format!(
                r#", "kernel": "{}", "ramdisk": "{}", "kickstart": "{}", "{}": "{}"{kernel_args}"#,
                image("vmlinuz"),
                image("initrd"),
                url(https, "ks.cfg"),
                if i.is_multiple_of(2) { "repo" } else { "stage2" },
                url(https, "os/")
            ),
            "chain" => format!(r#", "url": "{}""#, url(https, "next.ipxe")),
            _ => String::new(),
        };
        format!(
            r#"{{"id": "node-{i}", "nics": [{}], "mode": "{mode}", "firmware": "{firmware}", "retries": {}, "timeout_ms": {}{extra}}}"#,
            macs.join(", "),
            i % 4,
            1000 + 1000 * (i % 7)
        )
    }

    fn site_doc(
        nodes: &[(usize, usize, bool, bool, usize, usize)],
        base_https: bool,
        fallback: u8,
        reboot: bool,
    ) -> String {
        let nodes: Vec<String> = nodes
            .iter()
            .enumerate()
            .map(|(i, &(mode, nics, https, local, firmware, args))| {
                let args = ["", "quiet", "console=ttyS0,115200n8 ipa-debug=1 -- single"][args % 3];
                node(
                    i,
                    MODES[mode % 7],
                    nics,
                    https,
                    local,
                    ["any", "bios", "uefi"][firmware % 3],
                    args,
                )
            })
            .collect();
        let fallback = match fallback % 3 {
            0 => String::new(),
            1 => r#", "ipxe_fallback_script": "fallback.ipxe""#.to_string(),
            _ => r#", "ipxe_fallback_script": "https://menu.example.com/menu.ipxe""#.to_string(),
        };
        format!(
            r#"{{"schema": 1, "http_server": "{}://boot.example.com:8080/ironic", "http_root": "/srv/http", "tftp_server": "192.0.2.10", "on_retries_exhausted": "{}", "kernel_args": "console=tty0"{fallback}, "nodes": [{}]}}"#,
            if base_https { "https" } else { "http" },
            if reboot { "reboot" } else { "poweroff" },
            nodes.join(", ")
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn every_generated_script_lints_clean(
            nodes in prop::collection::vec((0usize..7, 1usize..4, any::<bool>(), any::<bool>(), 0usize..3, 0usize..3), 1..8),
            base_https in any::<bool>(),
            fallback in any::<u8>(),
            reboot in any::<bool>(),
        ) {
            let doc = site_doc(&nodes, base_https, fallback, reboot);
            let site = Site::parse(doc.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{doc}"));
            let mut main = Vec::new();
            ipxe::write_main_script(site.config(), &mut VecWriter(&mut main)).unwrap();
            prop_assert_eq!(lint(&main), vec![], "main script of {}", doc);
            for node in site.nodes() {
                let node = node.unwrap_or_else(|e| panic!("{e}\n{doc}"));
                let mut out = Vec::new();
                ipxe::write_node_config(site.config(), &node, &mut VecWriter(&mut out)).unwrap();
                prop_assert_eq!(lint(&out), vec![], "{}:\n{}", node.id.as_str(), String::from_utf8_lossy(&out));
            }
        }
    }
}
