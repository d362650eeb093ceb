//! `ipxegen build` on real directories: the layout, idempotence, removal of only its own
//! files, the link modes, and every bad-input and fault case of issue 4 (duplicate MACs and
//! ids, escaping ids, symbolic links out of the root, unreadable sources, a read-only root,
//! a full disk, a concurrent build, and kill -9 in the middle): each a clear error and
//! nothing changed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test"
)]

use ipxegen_tests::{ProcessGroup, ready_or_skip, require_tools};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

const BIN: &str = env!("CARGO_BIN_EXE_ipxegen");

/// A scratch directory removed at the end (unmounting what the test mounted there).
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("ipxegen-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let mnt = self.0.join("mnt");
        if mnt.exists() {
            let _ = Command::new("umount").arg(mnt).status();
        }
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn ipxegen(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn site(root: &Path, nodes: &str) -> String {
    format!(
        r#"{{"schema": 1, "http_server": "http://192.0.2.10:8080", "http_root": "{}",
  "kernel_args": "console=ttyS0", "nodes": [
{nodes}
]}}"#,
        root.display()
    )
}

fn deploy(id: &str, mac: &str, kernel: &str) -> String {
    format!(
        r#"  {{"id": "{id}", "nics": ["{mac}"], "mode": "deploy", "kernel": "{kernel}", "ramdisk": "{kernel}"}}"#
    )
}

fn local(id: &str, mac: &str) -> String {
    format!(r#"  {{"id": "{id}", "nics": ["{mac}"], "mode": "local"}}"#)
}

/// Every path under `dir` with what it is: file content, link target, or a directory.
type Snapshot = BTreeMap<String, (String, Option<SystemTime>, u64)>;

fn snapshot(dir: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut Snapshot) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(base).unwrap().display().to_string();
            let m = fs::symlink_metadata(&p).unwrap();
            let what = if m.file_type().is_symlink() {
                format!("link {}", fs::read_link(&p).unwrap().display())
            } else if m.is_dir() {
                walk(base, &p, out);
                "dir".into()
            } else {
                format!("file {}", String::from_utf8_lossy(&fs::read(&p).unwrap()))
            };
            let mtime = (!m.is_dir()).then(|| m.modified().unwrap());
            out.insert(rel, (what, mtime, m.ino()));
        }
    }
    walk(dir, dir, &mut out);
    out
}

fn sha256_hex(bytes: &[u8]) -> String {
    use embedded_io::Write as _;
    let mut h = ipxegen_core::manifest::HashingWriter::new();
    h.write_all(bytes).unwrap();
    h.finish()
        .sha256
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks that every file the manifest lists with a hash has that content.
fn assert_manifest_matches(http: &Path) {
    let manifest = fs::read_to_string(http.join("ipxegen-manifest.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    for entry in doc["entries"].as_array().unwrap() {
        if entry["root"] != "http" || entry["sha256"].is_null() {
            continue;
        }
        let path = http.join(entry["path"].as_str().unwrap());
        let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            entry["size"].as_u64().unwrap(),
            u64::try_from(bytes.len()).unwrap(),
            "{path:?}"
        );
        assert_eq!(
            entry["sha256"].as_str().unwrap(),
            sha256_hex(&bytes),
            "{path:?}"
        );
    }
}

#[test]
fn builds_the_ironic_layout_with_placed_files_and_a_manifest() {
    let t = Scratch::new("layout");
    fs::write(t.path("ipa.kernel"), b"kernel bytes").unwrap();
    let http = t.path("http");
    let doc = site(
        &http,
        &[
            deploy("node-a", "52:54:00:00:00:01", "ipa.kernel"),
            local("node-b", "52:54:00:00:00:02"),
        ]
        .join(",\n"),
    );
    fs::write(t.path("site.json"), doc).unwrap();
    let out = ipxegen(&["build", t.path("site.json").to_str().unwrap()]);
    assert!(out.status.success(), "{:?}", text(&out));
    // Relative sources are relative to the site file's directory.
    assert_eq!(
        fs::read(http.join("node-a/deploy_kernel")).unwrap(),
        b"kernel bytes"
    );
    assert_eq!(
        fs::read_link(http.join("pxelinux.cfg/52-54-00-00-00-01")).unwrap(),
        Path::new("../node-a/config")
    );
    assert!(
        fs::read_to_string(http.join("boot.ipxe"))
            .unwrap()
            .starts_with("#!ipxe")
    );
    assert_manifest_matches(&http);
    let manifest = fs::read_to_string(http.join("ipxegen-manifest.json")).unwrap();
    assert!(
        manifest.contains(&sha256_hex(b"kernel bytes")),
        "{manifest}"
    );
    assert!(!http.read_dir().unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".ipxegen-staging")
    }));
}

#[test]
fn a_second_build_rewrites_nothing() {
    let t = Scratch::new("idempotent");
    fs::write(t.path("k"), b"kernel").unwrap();
    let http = t.path("http");
    let doc = site(&http, &deploy("node-a", "52:54:00:00:00:01", "k"));
    fs::write(t.path("site.json"), doc).unwrap();
    let s = t.path("site.json");
    for links in ["symlink", "copy", "hardlink"] {
        let first = ipxegen(&["build", s.to_str().unwrap(), "--links", links]);
        assert!(first.status.success(), "{:?}", text(&first));
        let before = snapshot(&http);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let again = ipxegen(&["build", s.to_str().unwrap(), "--links", links]);
        let (stdout, _) = text(&again);
        assert!(
            stdout.contains(" 0 created, 0 updated, 0 removed"),
            "{stdout}"
        );
        assert_eq!(before, snapshot(&http), "{links}: mtime or inode changed");
    }
}

#[test]
fn hardlink_and_copy_modes() {
    let t = Scratch::new("links");
    fs::write(t.path("k"), b"kernel").unwrap();
    let http = t.path("http");
    fs::write(
        t.path("site.json"),
        site(&http, &deploy("n", "52:54:00:00:00:01", "k")),
    )
    .unwrap();
    let s = t.path("site.json");
    let out = ipxegen(&["build", s.to_str().unwrap(), "--links", "hardlink"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let ino = |p: &Path| fs::metadata(p).unwrap().ino();
    assert_eq!(
        ino(&http.join("pxelinux.cfg/52-54-00-00-00-01")),
        ino(&http.join("n/config"))
    );
    assert_eq!(ino(&http.join("n/deploy_kernel")), ino(&t.path("k")));
    let out = ipxegen(&["build", s.to_str().unwrap(), "--links", "copy"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let per_mac = http.join("pxelinux.cfg/52-54-00-00-00-01");
    assert!(fs::symlink_metadata(&per_mac).unwrap().is_file());
    assert_ne!(ino(&per_mac), ino(&http.join("n/config")));
    assert_eq!(
        fs::read(&per_mac).unwrap(),
        fs::read(http.join("n/config")).unwrap()
    );
    assert_ne!(ino(&http.join("n/deploy_kernel")), ino(&t.path("k")));
    assert_manifest_matches(&http);
}

#[test]
fn removes_only_its_own_stale_files_and_keeps_foreign_ones() {
    let t = Scratch::new("stale");
    let http = t.path("http");
    let both = [
        local("node-a", "52:54:00:00:00:01"),
        local("node-b", "52:54:00:00:00:02"),
    ];
    fs::write(t.path("site.json"), site(&http, &both.join(",\n"))).unwrap();
    let s = t.path("site.json");
    assert!(ipxegen(&["build", s.to_str().unwrap()]).status.success());
    fs::write(http.join("index.html"), b"operator's").unwrap();
    fs::write(http.join("node-a/notes.txt"), b"operator's").unwrap();
    fs::write(http.join("node-b/notes.txt"), b"operator's").unwrap();
    fs::write(
        t.path("site.json"),
        site(&http, &local("node-c", "52:54:00:00:00:03")),
    )
    .unwrap();
    let dry = ipxegen(&["build", s.to_str().unwrap(), "--dry-run"]);
    let before = snapshot(&http);
    let (plan, _) = text(&dry);
    assert!(plan.contains("remove http node-a/config\n"), "{plan}");
    assert!(
        plan.contains("remove http pxelinux.cfg/52-54-00-00-00-02\n"),
        "{plan}"
    );
    assert!(plan.contains("create http node-c/config\n"), "{plan}");
    assert!(
        !plan.contains("notes.txt") && !plan.contains("index.html"),
        "{plan}"
    );
    assert_eq!(before, snapshot(&http), "--dry-run changed the tree");
    let out = ipxegen(&["build", s.to_str().unwrap()]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(!http.join("node-a/config").exists());
    assert!(!http.join("pxelinux.cfg/52-54-00-00-00-01").exists());
    assert!(http.join("node-c/config").exists());
    for kept in ["index.html", "node-a/notes.txt", "node-b/notes.txt"] {
        assert_eq!(fs::read(http.join(kept)).unwrap(), b"operator's", "{kept}");
    }
    // A directory emptied of ipxegen's files goes; one holding the operator's stays.
    fs::remove_file(http.join("node-b/notes.txt")).unwrap();
    fs::write(
        t.path("site.json"),
        site(&http, &local("node-d", "52:54:00:00:00:04")),
    )
    .unwrap();
    assert!(ipxegen(&["build", s.to_str().unwrap()]).status.success());
    assert!(!http.join("node-c").exists());
    assert!(http.join("node-a/notes.txt").exists());
}

#[test]
fn json_summary_and_out_dir() {
    let t = Scratch::new("json");
    let out_dir = t.path("out");
    let out = ipxegen(&[
        "build",
        "--out",
        out_dir.to_str().unwrap(),
        "--json",
        "--loaders",
        "/nonexistent",
    ]);
    assert!(out.status.success(), "{:?}", text(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["created"], 8, "{summary}");
    assert_eq!(summary["http_root"], out_dir.join("http").to_str().unwrap());
    assert_eq!(summary["tftp_root"], out_dir.join("tftp").to_str().unwrap());
    let kinds: Vec<&str> = summary["by_hand"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["file", "file", "loader", "loader", "loader"],
        "{summary}"
    );
    let dry = ipxegen(&[
        "build",
        "--out",
        out_dir.to_str().unwrap(),
        "--json",
        "--dry-run",
        "--loaders",
        "/nonexistent",
    ]);
    let plan: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(plan["changes"].as_array().unwrap().len(), 0, "{plan}");
    assert_eq!(plan["unchanged"], 8, "{plan}");
}

#[test]
fn loaders_are_copied_from_the_loader_directory() {
    let t = Scratch::new("loaders");
    fs::create_dir_all(t.path("ipxe")).unwrap();
    fs::write(t.path("ipxe/undionly.kpxe"), b"bios loader").unwrap();
    fs::write(t.path("ipxe/snponly.efi"), b"uefi loader").unwrap();
    let out_dir = t.path("out");
    let out = ipxegen(&[
        "build",
        "--out",
        out_dir.to_str().unwrap(),
        "--loaders",
        t.path("ipxe").to_str().unwrap(),
    ]);
    let (stdout, _) = text(&out);
    assert!(out.status.success(), "{stdout}");
    assert_eq!(
        fs::read(out_dir.join("tftp/undionly.kpxe")).unwrap(),
        b"bios loader"
    );
    assert_eq!(
        fs::read(out_dir.join("http/snponly.efi")).unwrap(),
        b"uefi loader"
    );
    assert!(stdout.contains("warning: loader"), "{stdout}");
    assert!(stdout.contains("snponly-arm64.efi"), "{stdout}");
    assert_manifest_matches(&out_dir.join("http"));
}

/// A site with `ipxe_enabled` false is built into its TFTP root: PXELINUX's and GRUB's
/// configs and per-MAC links, the node's files beside its configs, the loaders found in the
/// `--loaders` directories in order (`grubnetx64.efi` as Debian names it,
/// `grubnetx64.efi.signed`); the HTTP root holds the manifest alone. A second build changes
/// nothing.
#[test]
fn a_classic_site_is_built_into_its_tftp_root() {
    let t = Scratch::new("classic");
    fs::write(t.path("vmlinuz"), b"kernel bytes").unwrap();
    fs::write(t.path("initrd"), b"initrd bytes").unwrap();
    for (dir, name, bytes) in [
        ("pxelinux", "pxelinux.0", &b"pxelinux"[..]),
        ("syslinux", "ldlinux.c32", b"ldlinux"),
        ("grub", "grubnetx64.efi.signed", b"grub"),
        // The first directory that holds a name gives it: not this one.
        ("grub", "ldlinux.c32", b"a later ldlinux"),
    ] {
        fs::create_dir_all(t.path(dir)).unwrap();
        fs::write(t.path(dir).join(name), bytes).unwrap();
    }
    let doc = format!(
        r#"{{"schema": 1, "ipxe_enabled": false, "http_server": "192.0.2.10", "http_root": "{}",
  "tftp_server": "192.0.2.10", "tftp_root": "{}", "nodes": [
  {{"id": "n1", "nics": ["52:54:00:00:00:01", "52:54:00:00:00:02"], "mode": "ramdisk",
    "kernel": "vmlinuz", "ramdisk": "initrd"}},
  {{"id": "n2", "nics": ["52:54:00:00:00:03"], "mode": "local"}}
]}}"#,
        t.path("http").display(),
        t.path("tftp").display()
    );
    fs::write(t.path("site.json"), doc).unwrap();
    let build = || {
        ipxegen(&[
            "build",
            t.path("site.json").to_str().unwrap(),
            "--loaders",
            t.path("pxelinux").to_str().unwrap(),
            "--loaders",
            t.path("syslinux").to_str().unwrap(),
            "--loaders",
            t.path("grub").to_str().unwrap(),
        ])
    };
    let out = build();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(!stdout.contains("warning"), "{stdout}");
    let tftp = t.path("tftp");
    for (link, target) in [
        ("pxelinux.cfg/01-52-54-00-00-00-01", "../n1/config"),
        ("pxelinux.cfg/01-52-54-00-00-00-02", "../n1/config"),
        ("grub/grub.cfg-01-52-54-00-00-00-01", "../n1/grub.cfg"),
        ("pxelinux.cfg/01-52-54-00-00-00-03", "../n2/config"),
        ("grub/grub.cfg-01-52-54-00-00-00-03", "../n2/grub.cfg"),
    ] {
        assert_eq!(
            fs::read_link(tftp.join(link)).unwrap(),
            Path::new(target),
            "{link}"
        );
    }
    for (file, bytes) in [
        ("n1/kernel", &b"kernel bytes"[..]),
        ("n1/ramdisk", b"initrd bytes"),
        ("pxelinux.0", b"pxelinux"),
        ("ldlinux.c32", b"ldlinux"),
        ("grubnetx64.efi", b"grub"),
    ] {
        assert_eq!(fs::read(tftp.join(file)).unwrap(), bytes, "{file}");
    }
    let config = fs::read_to_string(tftp.join("n1/config")).unwrap();
    assert!(config.contains("  KERNEL n1/kernel\n"), "{config}");
    assert!(
        fs::read_to_string(tftp.join("grub/grub.cfg"))
            .unwrap()
            .contains("configfile")
    );
    assert!(
        fs::read_to_string(tftp.join("pxelinux.cfg/default"))
            .unwrap()
            .contains("LOCALBOOT 0")
    );
    let http: Vec<_> = fs::read_dir(t.path("http"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(http, ["ipxegen-manifest.json"]);
    let again = build();
    let (stdout, _) = text(&again);
    assert!(again.status.success());
    assert!(
        stdout.contains("0 created, 0 updated, 0 removed"),
        "{stdout}"
    );
}

/// Runs a build that must fail: exit code, a message containing each of `needles`, and the
/// HTTP root exactly as before (or still absent).
fn assert_refused(t: &Scratch, doc: &str, code: i32, needles: &[&str]) {
    assert_refused_in(&t.0, &t.path("http"), doc, code, needles);
}

fn assert_refused_in(dir: &Path, http: &Path, doc: &str, code: i32, needles: &[&str]) {
    let http = http.to_path_buf();
    let before = snapshot(&http);
    let existed = http.exists();
    fs::write(dir.join("site.json"), doc).unwrap();
    let out = ipxegen(&["build", dir.join("site.json").to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in: {stderr}");
    }
    assert_eq!(http.exists(), existed, "{stderr}");
    assert_eq!(before, snapshot(&http), "the tree changed: {stderr}");
}

#[test]
fn duplicate_macs_and_ids_are_refused_before_writing() {
    let t = Scratch::new("dups");
    let http = t.path("http");
    let nodes = [
        local("node-a", "52:54:00:00:00:01"),
        local("node-b", "52:54:00:00:00:01"),
        local("node-a", "52:54:00:00:00:03"),
    ];
    assert_refused(
        &t,
        &site(&http, &nodes.join(",\n")),
        65,
        &[
            "site.json: node \"node-b\": nodes[1].nics[0].mac: MAC address already used by another node (nodes[0] \"node-a\")",
            "site.json: node \"node-a\": nodes[2].id: id already used by another node (nodes[0])",
            "2 problems found; nothing was written",
        ],
    );
}

#[test]
fn escaping_ids_and_names_are_refused() {
    let t = Scratch::new("escape");
    let http = t.path("http");
    assert_refused(
        &t,
        &site(&http, &local("../etc", "52:54:00:00:00:01")),
        65,
        &["site.json:", "nodes[0].id: path would leave its root"],
    );
    assert_refused(
        &t,
        &site(&http, &local("boot.ipxe", "52:54:00:00:00:01")),
        65,
        &[
            "node \"boot.ipxe\": nodes[0].id:",
            "would replace the site's ipxe_boot_script (\"boot.ipxe\")",
        ],
    );
    let doc = format!(
        r#"{{"schema": 1, "http_server": "192.0.2.10", "http_root": "{}", "per_mac_dir": "../x"}}"#,
        http.display()
    );
    assert_refused(&t, &doc, 65, &["per_mac_dir: path would leave its root"]);
}

#[test]
fn a_symbolic_link_out_of_the_root_is_not_followed() {
    let t = Scratch::new("symlink-escape");
    let http = t.path("http");
    fs::write(
        t.path("site.json"),
        site(&http, &local("node-a", "52:54:00:00:00:01")),
    )
    .unwrap();
    assert!(
        ipxegen(&["build", t.path("site.json").to_str().unwrap()])
            .status
            .success()
    );
    fs::create_dir_all(t.path("outside")).unwrap();
    fs::remove_dir_all(http.join("node-a")).unwrap();
    std::os::unix::fs::symlink(t.path("outside"), http.join("node-a")).unwrap();
    let doc = site(&http, &local("node-a", "52:54:00:00:00:09"));
    assert_refused(
        &t,
        &doc,
        74,
        &[
            "node \"node-a\":",
            "node-a: is a symbolic link",
            "refusing to write through it",
        ],
    );
    assert_eq!(fs::read_dir(t.path("outside")).unwrap().count(), 0);
}

#[test]
fn an_unreadable_kernel_is_refused_with_node_and_field() {
    let t = Scratch::new("unreadable");
    let http = t.path("http");
    fs::create_dir_all(t.path("a-directory")).unwrap();
    let nodes = [
        deploy("node-a", "52:54:00:00:00:01", "missing.kernel"),
        deploy("node-b", "52:54:00:00:00:02", "a-directory"),
    ];
    assert_refused(
        &t,
        &site(&http, &nodes.join(",\n")),
        65,
        &[
            "site.json: node \"node-a\": nodes[0].kernel: cannot read ",
            "missing.kernel: No such file or directory",
            "site.json: node \"node-b\": nodes[1].ramdisk: cannot read ",
            "a-directory: not a regular file",
        ],
    );
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

/// Mounts a tmpfs at `dir` for the test `test`; false (the test is skipped) when it cannot.
///
/// # Panics
/// Under `CI=true` when it cannot.
fn mount_tmpfs(test: &str, dir: &Path, options: &str) -> bool {
    fs::create_dir_all(dir).unwrap();
    let missing = if !is_root() {
        Some("mounting a tmpfs needs root".to_owned())
    } else if !Command::new("mount")
        .args(["-t", "tmpfs", "-o", options, "tmpfs"])
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success())
    {
        Some(format!("mount -t tmpfs -o {options} failed"))
    } else {
        None
    };
    ready_or_skip(&format!("build_tree {test}"), missing)
}

#[test]
fn a_read_only_root_is_refused_and_left_alone() {
    let t = Scratch::new("readonly");
    let mnt = t.path("mnt");
    if !mount_tmpfs(
        "a_read_only_root_is_refused_and_left_alone",
        &mnt,
        "size=1m",
    ) {
        return;
    }
    let http = mnt.join("http");
    let doc = site(&http, &local("node-a", "52:54:00:00:00:01"));
    fs::write(t.path("site.json"), &doc).unwrap();
    assert!(
        ipxegen(&["build", t.path("site.json").to_str().unwrap()])
            .status
            .success()
    );
    let before = snapshot(&http);
    assert!(
        Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&mnt)
            .status()
            .unwrap()
            .success()
    );
    fs::write(
        t.path("site.json"),
        site(&http, &local("node-b", "52:54:00:00:00:02")),
    )
    .unwrap();
    let out = ipxegen(&["build", t.path("site.json").to_str().unwrap()]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(stderr.contains("http root"), "{stderr}");
    assert!(stderr.contains("Read-only file system"), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(before, snapshot(&http));
}

#[test]
fn a_full_disk_mid_build_leaves_the_previous_tree() {
    let t = Scratch::new("full");
    let mnt = t.path("mnt");
    if !mount_tmpfs(
        "a_full_disk_mid_build_leaves_the_previous_tree",
        &mnt,
        "size=256k",
    ) {
        return;
    }
    let http = mnt.join("http");
    fs::write(t.path("small"), vec![b's'; 1000]).unwrap();
    fs::write(t.path("big"), vec![b'b'; 100 * 1024]).unwrap();
    let nodes: Vec<String> = (0..3)
        .map(|i| {
            deploy(
                &format!("node-{i}"),
                &format!("52:54:00:00:00:0{i}"),
                "small",
            )
        })
        .collect();
    fs::write(t.path("site.json"), site(&http, &nodes.join(",\n"))).unwrap();
    let out = ipxegen(&["build", t.path("site.json").to_str().unwrap()]);
    assert!(out.status.success(), "{:?}", text(&out));
    // Now each node places 200 KiB: the third node's files do not fit in 256 KiB.
    let nodes: Vec<String> = (0..3)
        .map(|i| deploy(&format!("node-{i}"), &format!("52:54:00:00:00:0{i}"), "big"))
        .collect();
    assert_refused_in(
        &t.0,
        &http,
        &site(&http, &nodes.join(",\n")),
        74,
        &["No space left on device", "was left as it was"],
    );
    assert_manifest_matches(&http);
    assert_eq!(
        fs::read_dir(&http)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".ipxegen-staging")
            })
            .count(),
        0
    );
}

#[test]
fn a_second_build_of_the_same_root_at_once_is_refused() {
    let t = Scratch::new("lock");
    let http = t.path("http");
    fs::write(
        t.path("site.json"),
        site(&http, &local("node-a", "52:54:00:00:00:01")),
    )
    .unwrap();
    assert!(
        ipxegen(&["build", t.path("site.json").to_str().unwrap()])
            .status
            .success()
    );
    let test = "build_tree a_second_build_of_the_same_root_at_once_is_refused";
    if !require_tools(test, &[("flock", "util-linux")]) {
        return;
    }
    // flock holds the lock while its child `sleep` runs: the group is killed with both.
    let mut flock = Command::new("flock");
    flock.arg(&http).args(["sleep", "5"]);
    let mut holder = ProcessGroup::spawn(flock);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let out = ipxegen(&["build", t.path("site.json").to_str().unwrap()]);
    holder.kill();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(
        stderr.contains("another ipxegen build is writing it"),
        "{stderr}"
    );
}

#[test]
fn build_and_archive_write_the_scripts_a_site_s_templates_give() {
    let s = Scratch::new("templates");
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/templates");
    fs::create_dir_all(s.path("site")).unwrap();
    // Relative to the site file: the shipped templates, copied beside it.
    for name in ["main.ipxe", "config.ipxe"] {
        fs::copy(templates.join(name), s.path("site").join(name)).unwrap();
    }
    fs::write(
        s.path("site/node.ipxe"),
        "#!ipxe\necho node {{ node_id }} from its own template\nexit 0\n",
    )
    .unwrap();
    let doc = site(
        &s.path("http"),
        &format!(
            "{},\n{}",
            local("a", "52:54:00:00:00:01"),
            r#"  {"id": "b", "nics": ["52:54:00:00:00:02"], "mode": "local", "ipxe_config_template": "node.ipxe"}"#
        ),
    )
    .replacen(
        "{",
        r#"{"ipxe_boot_script_template": "main.ipxe", "ipxe_config_template": "config.ipxe", "#,
        1,
    );
    let site_file = s.path("site/site.json");
    fs::write(&site_file, doc).unwrap();
    let site_arg = site_file.display().to_string();
    let out = ipxegen(&["build", &site_arg, "--no-sync"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden/ipxe");
    assert_eq!(
        fs::read(s.path("http/boot.ipxe")).unwrap(),
        fs::read(golden.join("main-default.ipxe")).unwrap()
    );
    assert_eq!(
        fs::read_to_string(s.path("http/a/config")).unwrap(),
        fs::read_to_string(golden.join("local-any.ipxe"))
            .unwrap()
            .replace("local-any", "a")
    );
    assert_eq!(
        fs::read_to_string(s.path("http/pxelinux.cfg/52-54-00-00-00-02")).unwrap(),
        "#!ipxe\necho node b from its own template\nexit 0\n"
    );
    // The archive holds the same scripts.
    let tar = s.path("tree.tar");
    let out = ipxegen(&["archive", &site_arg, "-o", &tar.display().to_string()]);
    assert!(out.status.success(), "{:?}", text(&out));
    let bytes = fs::read(&tar).unwrap();
    let needle = b"echo node b from its own template";
    assert!(bytes.windows(needle.len()).any(|w| w == needle));
}

/// A classic site's `pxe_config_template` and `grub_config_template` (the site's, and a
/// node's own) write the configs `build` places in the TFTP root.
#[test]
fn build_writes_the_classic_configs_a_site_s_templates_give() {
    let s = Scratch::new("classic-templates");
    fs::create_dir_all(s.path("site")).unwrap();
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/templates");
    for name in ["config.pxelinux", "config.grub.cfg"] {
        fs::copy(templates.join(name), s.path("site").join(name)).unwrap();
    }
    fs::write(
        s.path("site/own.grub.cfg"),
        "echo 'node {{ node_id }} from its own template'\nexit\n",
    )
    .unwrap();
    let doc = format!(
        r#"{{"schema": 1, "ipxe_enabled": false, "http_server": "192.0.2.10", "http_root": "{}",
  "tftp_server": "192.0.2.10", "tftp_root": "{}",
  "pxe_config_template": "config.pxelinux", "grub_config_template": "config.grub.cfg",
  "nodes": [
  {{"id": "a", "nics": ["52:54:00:00:00:01"], "mode": "local"}},
  {{"id": "b", "nics": ["52:54:00:00:00:02"], "mode": "local", "grub_config_template": "own.grub.cfg"}}
]}}"#,
        s.path("http").display(),
        s.path("tftp").display()
    );
    let site_file = s.path("site/site.json");
    fs::write(&site_file, doc).unwrap();
    let out = ipxegen(&["build", &site_file.display().to_string(), "--no-sync"]);
    assert!(out.status.success(), "{:?}", text(&out));
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden/classic");
    let tftp = s.path("tftp");
    for (file, golden_file) in [
        ("a/config", "local.pxelinux"),
        ("a/grub.cfg", "local.grub.cfg"),
    ] {
        assert_eq!(
            fs::read_to_string(tftp.join(file)).unwrap(),
            fs::read_to_string(golden.join(golden_file))
                .unwrap()
                .replace("node local", "node a"),
            "{file}"
        );
    }
    assert_eq!(
        fs::read_to_string(tftp.join("b/grub.cfg")).unwrap(),
        "echo 'node b from its own template'\nexit\n"
    );
    assert!(
        fs::read_to_string(tftp.join("b/config"))
            .unwrap()
            .contains("  LOCALBOOT 0\n")
    );
}
