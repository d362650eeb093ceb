//! kill -9 in the middle of `ipxegen build`: the served tree must hold, at every path, a
//! whole old or whole new file (never a partial one), the manifest must be the old or the
//! new one whole, and the next build must finish the job (including removing files that
//! the killed build had already moved in and that the next site no longer has).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test"
)]

use ipxegen_tests::ProcessGroup;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_ipxegen");
const NODES: usize = 1000;

/// Path -> content ("file ..." or "link ...") of every file and link under `dir`.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(base).unwrap().display().to_string();
            let m = fs::symlink_metadata(&p).unwrap();
            if m.file_type().is_symlink() {
                let mut v = b"link ".to_vec();
                v.extend(fs::read_link(&p).unwrap().as_os_str().as_encoded_bytes());
                out.insert(rel, v);
            } else if m.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// A site of `NODES` nodes; `version` changes every config, the kernel, and which nodes
/// exist (a third of the nodes of each version are its own).
fn write_site(dir: &Path, version: u32) -> PathBuf {
    let kernel = dir.join(format!("kernel-{version}"));
    fs::write(&kernel, vec![b'k' + u8::try_from(version).unwrap(); 8192]).unwrap();
    let mut nodes = Vec::new();
    for i in 0..NODES {
        let own = i % 3 == 0;
        let id = if own {
            format!("v{version}-node-{i}")
        } else {
            format!("node-{i}")
        };
        let mac = format!(
            "52:54:{:02x}:00:{:02x}:{:02x}",
            if own { version } else { 0 },
            i >> 8,
            i & 255
        );
        nodes.push(format!(
            r#"{{"id": "{id}", "nics": ["{mac}"], "mode": "deploy", "kernel": "{}", "ramdisk": "{}", "kernel_args": "v={version}"}}"#,
            kernel.display(),
            kernel.display()
        ));
    }
    let site = format!(
        r#"{{"schema": 1, "http_server": "http://192.0.2.10", "http_root": "{}", "nodes": [{}]}}"#,
        dir.join("http").display(),
        nodes.join(",\n")
    );
    let path = dir.join(format!("site-{version}.json"));
    fs::write(&path, site).unwrap();
    path
}

fn build(site: &Path) {
    let out = Command::new(BIN)
        .args(["build", "--no-sync", "--loaders", "/nonexistent"])
        .arg(site)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn killed_builds_leave_whole_files_and_the_next_build_finishes() {
    let dir = std::env::temp_dir().join(format!("ipxegen-kill-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let http = dir.join("http");
    let (site_a, site_b) = (write_site(&dir, 1), write_site(&dir, 2));

    // The two trees, built whole.
    build(&site_b);
    let tree_b = contents(&http);
    let started = Instant::now();
    build(&site_a);
    let full = started.elapsed();
    let tree_a = contents(&http);
    assert_ne!(tree_a, tree_b);
    let manifest = "ipxegen-manifest.json";

    let mut outcomes = BTreeMap::new();
    for round in 0u32..12 {
        // Kill the build of B at a point spread over its run (and a little beyond).
        let delay = full.mul_f64(0.1 + 0.12 * f64::from(round));
        let mut command = Command::new(BIN);
        command
            .args(["build", "--no-sync", "--loaders", "/nonexistent"])
            .arg(&site_b)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = ProcessGroup::spawn(command);
        std::thread::sleep(delay);
        let status = child.kill();

        let now = contents(&http);
        for (path, bytes) in &now {
            if path.starts_with(".ipxegen-staging-") {
                continue;
            }
            let (a, b) = (tree_a.get(path), tree_b.get(path));
            assert!(
                a == Some(bytes) || b == Some(bytes),
                "round {round}: {path} is neither the old nor the new file ({} bytes)",
                bytes.len()
            );
        }
        let served: BTreeMap<_, _> = now
            .iter()
            .filter(|(p, _)| !p.starts_with(".ipxegen-staging-"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect();
        let outcome = if served == tree_a {
            "old tree whole"
        } else if served == tree_b {
            "new tree whole"
        } else {
            // Mid-commit: the manifest moves last, so it must still be the old one, and
            // every file of the old tree is there unless the new one replaced or no longer
            // has it.
            assert_eq!(served.get(manifest), tree_a.get(manifest), "round {round}");
            "mixed (killed while renaming)"
        };
        *outcomes
            .entry(format!("{outcome}, exit {status}"))
            .or_insert(0) += 1;

        // The next build (of the old site again) restores the old tree exactly: it removes
        // what the killed build had already moved in, and the leftover staging directory.
        build(&site_a);
        assert_eq!(
            contents(&http),
            tree_a,
            "round {round}: rebuild did not restore the tree"
        );
    }
    eprintln!("outcomes over {full:?} builds: {outcomes:?}");
    fs::remove_dir_all(&dir).unwrap();
}
