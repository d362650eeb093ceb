//! The archive of a site's tree: read by GNU tar and Python's tarfile, byte-identical across
//! runs, holding exactly the tree's HTTP entries (the TFTP root's for a site of the classic
//! flow) and a manifest (golden file) that lists the files to place by hand.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test"
)]

use ipxegen_core::Site;
use ipxegen_core::archive::{
    LinkMode, write_archive_manifest, write_tree_archive, write_tree_archive_spooled,
};
use ipxegen_core::site::RescanSeen;
use ipxegen_tests::{VecWriter, check_golden, golden_dir, require_tools};
use std::process::Command;

const SITE: &[u8] = include_bytes!("../../examples/site.json");
/// A site of the classic flow (`ipxe_enabled` false): PXELINUX and GRUB from the TFTP root.
const CLASSIC: &[u8] = include_bytes!("../golden/sites/classic.json");

fn archive(links: LinkMode) -> Vec<u8> {
    let site = Site::parse(SITE).unwrap();
    let site = site.checked(&mut RescanSeen::new(&site)).unwrap();
    let mut out = Vec::new();
    write_tree_archive(&site, links, &mut VecWriter(&mut out)).unwrap();
    out
}

#[test]
fn one_walk_with_a_spool_gives_the_same_bytes() {
    let modes = std::fs::read(golden_dir().join("sites/modes.json")).unwrap();
    let fallback = std::fs::read(golden_dir().join("sites/fallback.json")).unwrap();
    for site_doc in [SITE, &modes, &fallback, CLASSIC] {
        let site = Site::parse(site_doc).unwrap();
        let site = site.checked(&mut RescanSeen::new(&site)).unwrap();
        for links in [LinkMode::Symlink, LinkMode::Copy] {
            let mut two_walks = Vec::new();
            write_tree_archive(&site, links, &mut VecWriter(&mut two_walks)).unwrap();
            let (mut spooled, mut spool) = (Vec::new(), Vec::new());
            let out = &mut VecWriter(&mut spooled);
            write_tree_archive_spooled(&site, links, &mut VecWriter(&mut spool), out).unwrap();
            assert!(spooled == two_walks, "{links:?}");
            assert!(!spool.is_empty());
        }
    }
}

#[test]
fn archive_is_deterministic() {
    assert_eq!(archive(LinkMode::Symlink), archive(LinkMode::Symlink));
    assert_eq!(archive(LinkMode::Copy), archive(LinkMode::Copy));
    assert_ne!(archive(LinkMode::Symlink), archive(LinkMode::Copy));
}

#[test]
fn gnu_tar_lists_the_tree() {
    if !require_tools("tree_archive gnu_tar_lists_the_tree", &[("tar", "tar")]) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("ipxegen-tar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tree.tar");
    std::fs::write(&file, archive(LinkMode::Symlink)).unwrap();
    let out = Command::new("tar").arg("-tvf").arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = listing
        .lines()
        .map(|l| l.split_whitespace().nth(5).unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "boot.ipxe",
            "pxelinux.cfg/",
            "1be26c0b-03f2-4d2e-ae87-c02d7f33c123/",
            "1be26c0b-03f2-4d2e-ae87-c02d7f33c123/config",
            "pxelinux.cfg/52-54-00-12-34-56",
            "rack1-node02/",
            "rack1-node02/config",
            "pxelinux.cfg/52-54-00-aa-00-02",
            "rack1-node03/",
            "rack1-node03/config",
            "pxelinux.cfg/52-54-00-aa-00-03",
            "ipxegen-manifest.json",
        ]
    );
    assert!(listing.contains(
        "pxelinux.cfg/52-54-00-12-34-56 -> ../1be26c0b-03f2-4d2e-ae87-c02d7f33c123/config"
    ));
    // Extracted, the links resolve to the configs.
    let x = dir.join("x");
    std::fs::create_dir_all(&x).unwrap();
    assert!(
        Command::new("tar")
            .arg("-xf")
            .arg(&file)
            .arg("-C")
            .arg(&x)
            .status()
            .unwrap()
            .success()
    );
    let via_link = std::fs::read(x.join("pxelinux.cfg/52-54-00-aa-00-02")).unwrap();
    assert_eq!(
        via_link,
        std::fs::read(x.join("rack1-node02/config")).unwrap()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn python_tarfile_reads_it() {
    if !require_tools(
        "tree_archive python_tarfile_reads_it",
        &[("python3", "python3")],
    ) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("ipxegen-tarfile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tree.tar");
    std::fs::write(&file, archive(LinkMode::Copy)).unwrap();
    let script = "import sys, tarfile\nwith tarfile.open(sys.argv[1]) as t:\n    for m in t.getmembers():\n        print(m.type.decode(), m.size, m.mtime, m.uid, m.name)\n";
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .all(|l| l.split(' ').nth(2) == Some("0") && l.split(' ').nth(3) == Some("0")),
        "{text}"
    );
    let mut main = Vec::new();
    ipxegen_core::ipxe::write_main_script(
        Site::parse(SITE).unwrap().config(),
        &mut VecWriter(&mut main),
    )
    .unwrap();
    let want = format!("0 {} 0 0 boot.ipxe", main.len());
    assert!(text.lines().any(|l| l == want), "{text}");
    assert_eq!(text.lines().count(), 12, "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn manifest_matches_golden() {
    let site = Site::parse(SITE).unwrap();
    let site = site.checked(&mut RescanSeen::new(&site)).unwrap();
    let mut out = Vec::new();
    write_archive_manifest(&site, LinkMode::Symlink, &mut VecWriter(&mut out)).unwrap();
    let path = golden_dir().join("tree/example-manifest.json");
    if let Err(e) = check_golden(&path, &out) {
        panic!("{e}");
    }
}

#[test]
fn classic_manifest_matches_golden() {
    let site = Site::parse(CLASSIC).unwrap();
    let site = site.checked(&mut RescanSeen::new(&site)).unwrap();
    let mut out = Vec::new();
    write_archive_manifest(&site, LinkMode::Symlink, &mut VecWriter(&mut out)).unwrap();
    let path = golden_dir().join("tree/classic-manifest.json");
    if let Err(e) = check_golden(&path, &out) {
        panic!("{e}");
    }
    // The manifest reader takes it back.
    assert!(ipxegen_core::manifest::read_manifest(&out, |_| {}).is_ok());
}

#[test]
fn gnu_tar_lists_the_classic_tree() {
    if !require_tools(
        "tree_archive gnu_tar_lists_the_classic_tree",
        &[("tar", "tar")],
    ) {
        return;
    }
    let site = Site::parse(CLASSIC).unwrap();
    let site = site.checked(&mut RescanSeen::new(&site)).unwrap();
    let mut tar = Vec::new();
    write_tree_archive(&site, LinkMode::Symlink, &mut VecWriter(&mut tar)).unwrap();
    let dir = std::env::temp_dir().join(format!("ipxegen-classic-tar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tree.tar");
    std::fs::write(&file, tar).unwrap();
    let out = Command::new("tar").arg("-tvf").arg(&file).output().unwrap();
    assert!(out.status.success());
    let listing = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = listing
        .lines()
        .map(|l| l.split_whitespace().nth(5).unwrap())
        .collect();
    let id = "1be26c0b-03f2-4d2e-ae87-c02d7f33c123";
    let mut want = vec![
        "pxelinux.cfg/".to_owned(),
        "pxelinux.cfg/default".to_owned(),
        "grub/".to_owned(),
        "grub/grub.cfg".to_owned(),
        format!("{id}/"),
        format!("{id}/config"),
        "pxelinux.cfg/01-52-54-00-00-00-01".to_owned(),
        "pxelinux.cfg/01-52-54-00-00-02-01".to_owned(),
        format!("{id}/grub.cfg"),
        "grub/grub.cfg-01-52-54-00-00-00-01".to_owned(),
        "grub/grub.cfg-01-52-54-00-00-02-01".to_owned(),
    ];
    for (node, mac) in [
        ("ramdisk", "02"),
        ("anaconda-repo", "03"),
        ("anaconda-stage2", "04"),
        ("local", "05"),
    ] {
        want.push(format!("{node}/"));
        want.push(format!("{node}/config"));
        want.push(format!("pxelinux.cfg/01-52-54-00-00-00-{mac}"));
        want.push(format!("{node}/grub.cfg"));
        want.push(format!("grub/grub.cfg-01-52-54-00-00-00-{mac}"));
    }
    want.push("ipxegen-manifest.json".to_owned());
    assert_eq!(names, want);
    assert!(listing.contains(&format!(
        "grub/grub.cfg-01-52-54-00-00-00-01 -> ../{id}/grub.cfg"
    )));
    assert!(listing.contains(&format!(
        "pxelinux.cfg/01-52-54-00-00-00-01 -> ../{id}/config"
    )));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn manifest_reads_back_line_by_line() {
    let golden = std::fs::read(golden_dir().join("tree/example-manifest.json")).unwrap();
    let mut read = Vec::new();
    ipxegen_core::manifest::read_manifest(&golden, |e| {
        read.push((e.root, e.path, e.kind, e.digest))
    })
    .unwrap();
    // Every entry line of the golden, in order, with its size and hash when it has them.
    let text = std::str::from_utf8(&golden).unwrap();
    let entry_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("  {")).collect();
    assert_eq!(read.len(), entry_lines.len());
    for ((_, path, _, digest), line) in read.iter().zip(&entry_lines) {
        assert!(line.contains(&format!("\"path\": \"{path}\"")), "{line}");
        assert_eq!(digest.is_some(), !line.contains("\"size\": null"), "{line}");
    }
    assert!(
        read.iter()
            .any(|(_, _, _, d)| d.is_some_and(|d| d.size > 0))
    );
}

#[test]
fn manifest_reader_refuses_what_ipxegen_did_not_write() {
    let golden = std::fs::read_to_string(golden_dir().join("tree/example-manifest.json")).unwrap();
    let lines: Vec<&str> = golden.lines().collect();
    let read = |doc: String| ipxegen_core::manifest::read_manifest(doc.as_bytes(), |_| {});
    assert!(read(golden.clone()).is_ok());
    let cases = [
        // Cut short: no last line.
        lines[..lines.len() - 1].join("\n"),
        // Reformatted on one line.
        golden.replace('\n', ""),
        // Another generator.
        golden.replacen("\"generator\": \"ipxegen\"", "\"generator\": \"other\"", 1),
        // Another schema.
        golden.replacen("{\"schema\": 1", "{\"schema\": 2", 1),
        // An entry after the one that ended the list.
        [
            &lines[..lines.len() - 1],
            &[lines[1].trim_end_matches(','), lines[2]],
            &lines[lines.len() - 1..],
        ]
        .concat()
        .join("\n"),
        // Anything after the end.
        format!("{golden}  {{\"root\": \"http\"}}\n"),
        // A broken entry.
        golden.replacen("\"root\": \"http\"", "\"root\": \"ftp\"", 1),
    ];
    for (i, doc) in cases.into_iter().enumerate() {
        assert!(read(doc).is_err(), "case {i} accepted");
    }
}
