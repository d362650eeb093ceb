//! Inputs that would exhaust memory or block: every command input has a size cap, and a
//! local file a site names is checked for its type without blocking.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use std::io::Write as _;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_ipxegen");
/// Longest any of these commands may take: they must fail fast, not read or wait on.
const BOUND: Duration = Duration::from_secs(60);

/// Waits for `child` at most [`BOUND`], killing it past that (the test then fails).
fn wait_bounded(mut child: Child) -> Output {
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if started.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the command still ran after {BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run(args: &[&str], stdin: Stdio) -> Output {
    let child = Command::new(BIN)
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_bounded(child)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_site_document_past_its_cap_is_refused_naming_the_cap() {
    let out = run(&["render", "/dev/zero"], Stdio::null());
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "ipxegen: /dev/zero: larger than 512 MiB (536,870,912 bytes), the most a site document \
         may be; nothing read past it\n"
    );
}

#[test]
fn an_endless_standard_input_is_refused() {
    let mut child = Command::new(BIN)
        .args(["render", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // `yes`: writes until the command stops reading (the pipe breaks).
    let writer = std::thread::spawn(move || {
        let line = b"y\n".repeat(32 * 1024);
        while stdin.write_all(&line).is_ok() {}
    });
    let out = wait_bounded(child);
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("ipxegen: (stdin): larger than 512 MiB"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_script_to_lint_past_its_cap_is_refused() {
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let out = run(&["lint", "-"], Stdio::from(zero));
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "ipxegen: (stdin): larger than 64 MiB (67,108,864 bytes), the most a script to lint may \
         be; nothing read past it\n"
    );
}

fn site_naming(dir: &Path, kernel: &Path, ramdisk: &Path) -> String {
    let site = dir.join("site.json");
    let doc = format!(
        r#"{{"schema": 1, "http_server": "192.0.2.1", "http_root": "{}",
            "nodes": [{{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "ramdisk",
                        "kernel": "{}", "ramdisk": "{}"}}]}}"#,
        dir.join("http").display(),
        kernel.display(),
        ramdisk.display()
    );
    std::fs::write(&site, doc).unwrap();
    site.display().to_string()
}

#[test]
fn a_fifo_or_device_named_by_a_site_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("kernel");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let site = site_naming(dir.path(), &fifo, Path::new("/dev/zero"));
    let out_dir = dir.path().join("out");
    let out_dir = out_dir.display().to_string();
    for args in [
        vec!["check", site.as_str()],
        vec!["build", site.as_str(), "--out", out_dir.as_str()],
    ] {
        let out = run(&args, Stdio::null());
        let text = stderr(&out);
        assert_eq!(out.status.code(), Some(65), "{args:?}: {text}");
        assert!(
            text.contains(&format!(
                "nodes[0].kernel: cannot read {}: not a regular file (a FIFO)",
                fifo.display()
            )),
            "{args:?}: {text}"
        );
        assert!(
            text.contains(
                "nodes[0].ramdisk: cannot read /dev/zero: not a regular file (a character device)"
            ),
            "{args:?}: {text}"
        );
    }
    assert!(!Path::new(&out_dir).exists(), "nothing is written");
}
