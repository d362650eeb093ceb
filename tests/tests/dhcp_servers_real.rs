//! Every golden DHCP server config (`tests/golden/dhcp/`, which `dhcp_servers.rs` proves equal
//! to what the core renders) is accepted by the real server's own check:
//!
//! | golden file | check |
//! |---|---|
//! | `*.dnsmasq.conf` | `dnsmasq --test -C FILE` |
//! | `*.dnsmasq-proxy.conf` | `dnsmasq --test -C FILE` |
//! | `*.dhcpd.conf` | `dhcpd -t -cf FILE -lf TMP` |
//! | `*.dhcpd6.conf` | `dhcpd -6 -t -cf FILE -lf TMP` |
//! | `*.kea-dhcp4.json` | `kea-dhcp4 -t FILE` |
//! | `*.kea-dhcp6.json` | `kea-dhcp6 -t FILE` |
//! | `*.neutron.json` | parsed as JSON (Neutron has no offline check) |
//!
//! Each check only parses the file and exits: no server is started, nothing listens, and each
//! run (in its own process group) is killed with its group if it takes more than
//! [`CHECK_TIMEOUT`] or the test fails. A negative control per server shows that its check does
//! reject a broken file, so a pass means something.
//!
//! A missing server binary fails the test when `CI=true`; otherwise the test prints
//! `SKIPPED: <test>: <reason>` ([`ipxegen_tests::ready_or_skip`]). Debian packages: `dnsmasq-base`, `isc-dhcp-server`, `kea-dhcp4-server`,
//! `kea-dhcp6-server` (binaries in /usr/sbin).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail the test loudly"
)]

use ipxegen_tests::{ProcessGroup, find_command, golden_dir, ready_or_skip};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Longest a server's check may take before it is killed and the test fails.
const CHECK_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug)]
enum Server {
    Dnsmasq,
    DnsmasqProxy,
    Dhcpd4,
    Dhcpd6,
    Kea4,
    Kea6,
}

const SERVERS: [Server; 6] = [
    Server::Dnsmasq,
    Server::DnsmasqProxy,
    Server::Dhcpd4,
    Server::Dhcpd6,
    Server::Kea4,
    Server::Kea6,
];

impl Server {
    fn suffix(self) -> &'static str {
        match self {
            Server::Dnsmasq => ".dnsmasq.conf",
            Server::DnsmasqProxy => ".dnsmasq-proxy.conf",
            Server::Dhcpd4 => ".dhcpd.conf",
            Server::Dhcpd6 => ".dhcpd6.conf",
            Server::Kea4 => ".kea-dhcp4.json",
            Server::Kea6 => ".kea-dhcp6.json",
        }
    }

    fn binary(self) -> &'static str {
        match self {
            Server::Dnsmasq | Server::DnsmasqProxy => "dnsmasq",
            Server::Dhcpd4 | Server::Dhcpd6 => "dhcpd",
            Server::Kea4 => "kea-dhcp4",
            Server::Kea6 => "kea-dhcp6",
        }
    }

    /// A change to a valid file that the server must refuse.
    fn break_config(self, text: &str) -> String {
        let (from, to) = match self {
            // dhcp-match needs a tag and an option.
            Server::Dnsmasq => ("dhcp-match=set:ipxe,175", "dhcp-match=set:ipxe"),
            // pxe-service needs a menu text after the architecture.
            Server::DnsmasqProxy => ("pxe-prompt=\"PXE\",0", "pxe-service=tag:!ipxe,0"),
            // A statement without its semicolon.
            Server::Dhcpd4 => (
                "option ipxegen.no-pxedhcp 1;",
                "option ipxegen.no-pxedhcp 1",
            ),
            Server::Dhcpd6 => ("code 15 = string;", "code 15 = string"),
            // A class test Kea's expression parser refuses.
            Server::Kea4 => ("option[175].exists", "option[175].exist"),
            Server::Kea6 => ("option[15].hex,2,4)", "option[15].hex,2,4"),
        };
        assert!(
            text.contains(from),
            "{self:?}: the negative control needs {from:?}"
        );
        text.replacen(from, to, 1)
    }
}

/// Why `server`'s check cannot run here: its binary is not installed.
fn not_installed(server: Server) -> String {
    format!(
        "{} is not installed (Debian: dnsmasq-base, isc-dhcp-server, kea-dhcp4-server, kea-dhcp6-server)",
        server.binary()
    )
}

/// The binary (on PATH, or in /usr/sbin or /sbin), or `None` after the test `test` is
/// skipped; under `CI=true` a missing binary fails the test instead.
fn binary_or_skip(test: &str, server: Server) -> Option<PathBuf> {
    let found = find_command(server.binary());
    if found.is_none() {
        ready_or_skip(
            &format!("dhcp_servers_real {test}"),
            Some(not_installed(server)),
        );
    }
    found
}

/// A fresh temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "ipxegen-dhcp-check-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a check printed and how it ended.
struct Outcome {
    status: ExitStatus,
    output: String,
}

/// Runs `server`'s own check on `config`, killed after [`CHECK_TIMEOUT`].
fn check(binary: &Path, server: Server, config: &Path) -> Outcome {
    let tmp = TempDir::new();
    let log = tmp.0.join("output");
    let mut cmd = Command::new(binary);
    match server {
        Server::Dnsmasq | Server::DnsmasqProxy => {
            cmd.arg("--test").arg("-C").arg(config);
        }
        Server::Dhcpd4 | Server::Dhcpd6 => {
            let leases = tmp.0.join("leases");
            std::fs::write(&leases, b"").unwrap();
            if matches!(server, Server::Dhcpd6) {
                cmd.arg("-6");
            }
            cmd.arg("-t")
                .arg("-cf")
                .arg(config)
                .arg("-lf")
                .arg(&leases)
                .arg("-pf")
                .arg(tmp.0.join("pid"));
        }
        Server::Kea4 | Server::Kea6 => {
            cmd.arg("-t")
                .arg(config)
                .env("KEA_LOCKFILE_DIR", "none")
                .env("KEA_PIDFILE_DIR", &tmp.0);
        }
    }
    let file = std::fs::File::create(&log).unwrap();
    cmd.stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file);
    let Some(status) = ProcessGroup::spawn(cmd).wait_within(CHECK_TIMEOUT) else {
        panic!(
            "{server:?} check of {} took over {CHECK_TIMEOUT:?}",
            config.display()
        );
    };
    Outcome {
        status,
        output: std::fs::read_to_string(&log).unwrap_or_default(),
    }
}

fn golden_files(suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(golden_dir().join("dhcp"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no golden *{suffix} files");
    files
}

fn accepts_every_golden(test: &str, server: Server) {
    let Some(binary) = binary_or_skip(test, server) else {
        return;
    };
    let mut failures = Vec::new();
    for file in golden_files(server.suffix()) {
        let outcome = check(&binary, server, &file);
        if !outcome.status.success() {
            failures.push(format!(
                "{}: {server:?} refused it ({}):\n{}",
                file.display(),
                outcome.status,
                outcome.output
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn refuses_a_broken_config(server: Server, binary: &Path) {
    // The first golden of an iPXE site (the classic site's files have no iPXE lines).
    let valid = golden_files(server.suffix())
        .into_iter()
        .find(|f| {
            !f.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("classic.")
        })
        .unwrap();
    let text = std::fs::read_to_string(&valid).unwrap();
    let tmp = TempDir::new();
    let broken = tmp.0.join(valid.file_name().unwrap());
    std::fs::write(&broken, server.break_config(&text)).unwrap();
    let outcome = check(binary, server, &broken);
    assert!(
        !outcome.status.success(),
        "{server:?} accepted a broken file:\n{}",
        outcome.output
    );
    // The same check passes on the file before the change.
    assert!(check(binary, server, &valid).status.success());
}

#[test]
fn dnsmasq_accepts_every_golden() {
    accepts_every_golden("dnsmasq_accepts_every_golden", Server::Dnsmasq);
}

#[test]
fn dnsmasq_accepts_every_proxy_golden() {
    accepts_every_golden("dnsmasq_accepts_every_proxy_golden", Server::DnsmasqProxy);
}

#[test]
fn dhcpd_accepts_every_golden() {
    accepts_every_golden("dhcpd_accepts_every_golden", Server::Dhcpd4);
}

#[test]
fn dhcpd6_accepts_every_golden() {
    accepts_every_golden("dhcpd6_accepts_every_golden", Server::Dhcpd6);
}

#[test]
fn kea_dhcp4_accepts_every_golden() {
    accepts_every_golden("kea_dhcp4_accepts_every_golden", Server::Kea4);
}

#[test]
fn kea_dhcp6_accepts_every_golden() {
    accepts_every_golden("kea_dhcp6_accepts_every_golden", Server::Kea6);
}

#[test]
fn each_check_refuses_a_broken_config() {
    // The servers installed are checked; the test counts as skipped when any is missing.
    let mut missing = Vec::new();
    for server in SERVERS {
        match find_command(server.binary()) {
            Some(binary) => refuses_a_broken_config(server, &binary),
            None => missing.push(not_installed(server)),
        }
    }
    let missing = (!missing.is_empty()).then(|| missing.join("; "));
    ready_or_skip(
        "dhcp_servers_real each_check_refuses_a_broken_config",
        missing,
    );
}

#[test]
fn neutron_goldens_are_json() {
    for file in golden_files(".neutron.json") {
        let text = std::fs::read_to_string(&file).unwrap();
        let value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(value["ports"].is_array(), "{}", file.display());
    }
}

/// The HTTP-only site (no `tftp_server`, so no TFTP stage) has a config for every server,
/// and each server's own check accepts it.
#[test]
fn every_server_accepts_the_http_only_site() {
    for server in SERVERS {
        let file = golden_dir()
            .join("dhcp")
            .join(format!("http-only{}", server.suffix()));
        assert!(file.is_file(), "{}", file.display());
        let Some(binary) = binary_or_skip("every_server_accepts_the_http_only_site", server) else {
            continue;
        };
        let outcome = check(&binary, server, &file);
        assert!(
            outcome.status.success(),
            "{}: {server:?} refused it:\n{}",
            file.display(),
            outcome.output
        );
    }
}
