//! Inputs that would exhaust memory or block: every command input has a size cap, and a
//! local file a site names is checked for its type without blocking.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers fail the test loudly"
)]

use ipxegen_tests::{ProcessGroup, output_within_from};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_ipxegen");
/// Longest any of these commands may take: they must fail fast, not read or wait on.
const BOUND: Duration = Duration::from_secs(60);

/// Runs `ipxegen ARGS` with `stdin`, in its own process group, killed past [`BOUND`] (the
/// test then fails).
fn run(args: &[&str], stdin: Stdio) -> Output {
    let mut command = Command::new(BIN);
    command.args(args);
    output_within_from(command, stdin, BOUND).unwrap_or_else(|e| panic!("{e}"))
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
    // `yes`: writes until the command stops reading (the pipe breaks).
    let mut yes = Command::new("yes");
    yes.stdout(Stdio::piped());
    let mut yes = ProcessGroup::spawn(yes);
    let endless = yes.child_mut().stdout.take().unwrap();
    let out = run(&["render", "-"], Stdio::from(endless));
    yes.kill();
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

#[test]
fn a_template_that_is_a_fifo_or_past_its_cap_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.ipxe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let big = dir.path().join("big.ipxe");
    std::fs::write(&big, "#".repeat(16 * 1024 + 1)).unwrap();
    let site = dir.path().join("site.json");
    std::fs::write(
        &site,
        r#"{"schema": 1, "http_server": "192.0.2.1", "http_root": "/srv/x",
            "ipxe_boot_script_template": "fifo.ipxe", "ipxe_config_template": "/dev/zero",
            "nodes": [{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "local",
                       "ipxe_config_template": "big.ipxe"}]}"#,
    )
    .unwrap();
    let out = run(&["check", &site.display().to_string()], Stdio::null());
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(65), "{text}");
    for want in [
        format!(
            "ipxe_boot_script_template: \"fifo.ipxe\": cannot read the template file: {}: not a regular file (a FIFO)",
            fifo.display()
        ),
        "ipxe_config_template: \"/dev/zero\": cannot read the template file: /dev/zero: not a regular file (a character device)".to_owned(),
        format!(
            "node \"n1\": nodes[0].ipxe_config_template: \"big.ipxe\": cannot read the template file: {}: larger than 16 KiB (16,384 bytes), the most a template may be; nothing read past it",
            big.display()
        ),
    ] {
        assert!(text.contains(&want), "{want}\n{text}");
    }
}
