//! Rules every generated script keeps, checked on every golden case and on every node of
//! every golden site: the `#!ipxe` header, no single `|` or `&` used as an operator, every
//! `goto` has its label, every `--timeout` is at least 1000 ms, no ambiguous `${mac}`, and
//! each kernel's `initrd=` names the initrd it is booted with.

use ipxegen_core::{Site, ipxe};
use ipxegen_tests::{GOLDEN_CASES, VecWriter, render_case};
use std::collections::BTreeSet;

fn defects(script: &str) -> Vec<String> {
    let mut found = Vec::new();
    if !script.starts_with("#!ipxe\n") {
        found.push("does not start with `#!ipxe` and a newline".to_string());
    }
    let labels: BTreeSet<&str> = script
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix(':'))
        .collect();
    let mut initrd_names = BTreeSet::new();
    let mut kernel_initrds = BTreeSet::new();
    for (n, line) in script.lines().enumerate() {
        let n = n + 1;
        let tokens: Vec<&str> = line.split_whitespace().collect();
        if tokens.first().is_some_and(|t| t.starts_with('#')) {
            continue;
        }
        for (i, token) in tokens.iter().enumerate() {
            match *token {
                "|" | "&" => found.push(format!(
                    "line {n}: single `{token}` is not an operator in iPXE"
                )),
                "goto" => match tokens.get(i + 1) {
                    Some(label) if labels.contains(label) => {}
                    other => found.push(format!("line {n}: goto {other:?} has no label")),
                },
                "--timeout" => match tokens.get(i + 1).and_then(|t| t.parse::<u32>().ok()) {
                    Some(ms) if ms >= 1000 => {}
                    other => found.push(format!("line {n}: --timeout {other:?} below 1000 ms")),
                },
                _ => {}
            }
            if token.contains("${mac") {
                found.push(format!("line {n}: ambiguous ${{mac}} (use ${{netX/mac}})"));
            }
            if let Some(name) = token.strip_prefix("initrd=") {
                kernel_initrds.insert(name.to_string());
            }
        }
        if tokens.first() == Some(&"initrd") {
            match tokens
                .iter()
                .position(|t| *t == "--name")
                .and_then(|i| tokens.get(i + 1))
            {
                Some(name) => {
                    initrd_names.insert(name.to_string());
                }
                None => found.push(format!("line {n}: initrd without --name")),
            }
        }
    }
    if kernel_initrds != initrd_names {
        found.push(format!(
            "kernel initrd= {kernel_initrds:?} but initrd --name {initrd_names:?}"
        ));
    }
    found
}

#[test]
fn the_checker_catches_field_defects() {
    let bad = "#!ipxeset x\nchain x | goto nowhere\nprompt --timeout 180\nchain pxelinux.cfg/${mac:hexhyp}\n";
    let found = defects(bad);
    assert_eq!(found.len(), 5, "{found:#?}");
}

#[test]
fn golden_scripts_keep_the_rules() {
    for case in GOLDEN_CASES.iter().filter(|c| c.render.is_ipxe()) {
        let script = String::from_utf8(render_case(case).unwrap()).unwrap();
        assert_eq!(defects(&script), Vec::<String>::new(), "{}", case.name);
    }
}

#[test]
fn every_node_of_every_golden_site_keeps_the_rules() {
    let mut sites: Vec<&[u8]> = GOLDEN_CASES.iter().map(|c| c.site).collect();
    sites.dedup();
    let mut checked = 0;
    for doc in sites {
        let site = Site::parse(doc).unwrap();
        for node in site.nodes() {
            let node = node.unwrap();
            let mut out = Vec::new();
            ipxe::write_node_config(site.config(), &node, &mut VecWriter(&mut out)).unwrap();
            let script = String::from_utf8(out).unwrap();
            assert_eq!(
                defects(&script),
                Vec::<String>::new(),
                "node {}",
                node.id.as_str()
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} nodes checked");
}

#[test]
fn defaults_emit_no_timeout_below_one_second() {
    let doc = br#"{"schema": 1, "http_server": "h", "http_root": "/r", "nodes": [
        {"id": "n", "nics": ["52:54:00:00:00:01"], "mode": "deploy", "kernel": "/k", "ramdisk": "/r"},
        {"id": "c", "nics": ["52:54:00:00:00:02"], "mode": "chain", "url": "http://h/x"}]}"#;
    let site = Site::parse(doc).unwrap();
    let mut all = Vec::new();
    ipxe::write_main_script(site.config(), &mut VecWriter(&mut all)).unwrap();
    for node in site.nodes() {
        ipxe::write_node_config(site.config(), &node.unwrap(), &mut VecWriter(&mut all)).unwrap();
    }
    let text = String::from_utf8(all).unwrap();
    let timeouts: Vec<u32> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[0] == "--timeout")
        .map(|w| w[1].parse().unwrap())
        .collect();
    assert!(timeouts.len() >= 4, "{timeouts:?}");
    assert!(timeouts.iter().all(|&ms| ms >= 1000), "{timeouts:?}");
}
