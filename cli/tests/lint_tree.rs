//! `ipxegen lint` on every script of the tree built from the example site reports nothing.

#![allow(clippy::unwrap_used, clippy::panic, reason = "test")]

use embedded_io_adapters::std::FromStd;
use ipxegen_core::Site;
use ipxegen_core::archive::{LinkMode, write_tree_archive};
use ipxegen_core::site::RescanSeen;
use std::process::Command;

#[test]
fn every_script_of_the_example_tree_lints_clean() {
    let dir = std::env::temp_dir().join(format!("ipxegen-lint-tree-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let site = Site::parse(include_bytes!("../../examples/site.json")).unwrap();
    let site = site.checked(&mut RescanSeen::new(&site)).unwrap();
    let mut tar = FromStd::new(Vec::new());
    write_tree_archive(&site, LinkMode::Copy, &mut tar).unwrap();
    std::fs::write(dir.join("tree.tar"), tar.into_inner()).unwrap();
    let tree = dir.join("tree");
    std::fs::create_dir_all(&tree).unwrap();
    assert!(
        Command::new("tar")
            .arg("-xf")
            .arg(dir.join("tree.tar"))
            .arg("-C")
            .arg(&tree)
            .status()
            .unwrap()
            .success()
    );
    let mut scripts = Vec::new();
    let mut pending = vec![tree.clone()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_none_or(|e| e != "json") {
                scripts.push(path);
            }
        }
    }
    assert!(scripts.len() >= 7, "{scripts:?}");
    let out = Command::new(env!("CARGO_BIN_EXE_ipxegen"))
        .arg("lint")
        .arg("--deny-warnings")
        .args(&scripts)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    std::fs::remove_dir_all(&dir).unwrap();
}
