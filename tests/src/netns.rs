//! A provisioning network of its own for one test: a network namespace holding a bridge
//! (`br0`, 192.0.2.1/24 and 2001:db8::1/64, the addresses of the boot server) with tap devices
//! for QEMU guests, and optionally further hosts (namespaces joined to the bridge by veth).
//!
//! Nothing leaves the namespaces: they have no route out and no link to the machine's own
//! network. Every program run in one ([`TestNet::command`]) is bounded by `timeout -s KILL`
//! and meant to be spawned as a [`crate::ProcessGroup`]; dropping the [`TestNet`] kills what
//! is still running in its namespaces and deletes them, also when the test panics.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test support: a failure here is the test's failure"
)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The boot server's addresses on the bridge.
pub const SERVER_V4: &str = "192.0.2.1";
pub const SERVER_V6: &str = "2001:db8::1";

/// The namespaces of one test.
pub struct TestNet {
    /// The server namespace (the bridge and its taps).
    pub ns: String,
    /// Further hosts on the bridge (their own namespaces).
    hosts: Vec<String>,
}

fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).stdin(Stdio::null()).output();
    let out = out.unwrap_or_else(|e| panic!("ip {args:?}: {e}"));
    assert!(
        out.status.success(),
        "ip {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr).trim()
    );
}

impl TestNet {
    /// Creates the namespace `ipxg-<tag>-<pid>` with `br0` (addresses without duplicate
    /// address detection, so servers can bind at once) and `taps` tap devices `tap0`, ...
    /// attached to it, all up.
    ///
    /// # Panics
    /// When a namespace or link cannot be made (e.g. not root).
    pub fn new(tag: &str, taps: usize) -> TestNet {
        let net = TestNet {
            ns: format!("ipxg-{tag}-{}", std::process::id()),
            hosts: Vec::new(),
        };
        let ns = net.ns.as_str();
        // A namespace left by a killed run of the same pid would make `add` fail.
        let _ = Command::new("ip")
            .args(["netns", "del", ns])
            .stderr(Stdio::null())
            .status();
        ip(&["netns", "add", ns]);
        net.sysctl_defaults(ns);
        ip(&["-n", ns, "link", "set", "lo", "up"]);
        ip(&[
            "-n",
            ns,
            "link",
            "add",
            "br0",
            "type",
            "bridge",
            "stp_state",
            "0",
            "forward_delay",
            "0",
            // Flood multicast as a plain switch does: with snooping, the router solicitations
            // guests send to ff02::2 do not reach radvd.
            "mcast_snooping",
            "0",
        ]);
        ip(&["-n", ns, "addr", "add", "192.0.2.1/24", "dev", "br0"]);
        ip(&[
            "-n",
            ns,
            "addr",
            "add",
            "2001:db8::1/64",
            "dev",
            "br0",
            "nodad",
        ]);
        for i in 0..taps {
            let tap = format!("tap{i}");
            ip(&["-n", ns, "tuntap", "add", "dev", &tap, "mode", "tap"]);
            ip(&["-n", ns, "link", "set", &tap, "master", "br0"]);
            ip(&["-n", ns, "link", "set", &tap, "up"]);
        }
        ip(&["-n", ns, "link", "set", "br0", "up"]);
        net
    }

    /// No duplicate address detection (addresses usable at once) and IPv6 forwarding on, which
    /// radvd expects of a router (it warns otherwise).
    fn sysctl_defaults(&self, ns: &str) {
        let status = Command::new("ip")
            .args(["netns", "exec", ns, "sysctl", "-q", "-w"])
            .args([
                "net.ipv6.conf.all.accept_dad=0",
                "net.ipv6.conf.default.accept_dad=0",
                "net.ipv6.conf.all.forwarding=1",
            ])
            .status()
            .unwrap();
        assert!(status.success(), "sysctl in {ns} failed");
    }

    /// Adds a host on the bridge: namespace `ipxg-<tag>-<pid>-<name>` whose `eth0` has
    /// `address_v4/24`. Returns the namespace's name.
    pub fn add_host(&mut self, name: &str, address_v4: &str) -> String {
        let host = format!("{}-{name}", self.ns);
        let _ = Command::new("ip")
            .args(["netns", "del", &host])
            .stderr(Stdio::null())
            .status();
        ip(&["netns", "add", &host]);
        self.hosts.push(host.clone());
        self.sysctl_defaults(&host);
        let peer = format!("v{}", self.hosts.len());
        ip(&[
            "-n", &self.ns, "link", "add", &peer, "type", "veth", "peer", "name", "eth0", "netns",
            &host,
        ]);
        ip(&["-n", &self.ns, "link", "set", &peer, "master", "br0"]);
        ip(&["-n", &self.ns, "link", "set", &peer, "up"]);
        ip(&["-n", &host, "link", "set", "lo", "up"]);
        ip(&[
            "-n",
            &host,
            "addr",
            "add",
            &format!("{address_v4}/24"),
            "dev",
            "eth0",
        ]);
        ip(&["-n", &host, "link", "set", "eth0", "up"]);
        host
    }

    /// `program` run in namespace `ns` (this one's or a host's) under `timeout -s KILL
    /// limit_s`: spawn it with [`crate::ProcessGroup::spawn`].
    pub fn command(ns: &str, limit_s: u32, program: &str) -> Command {
        let mut command = Command::new("timeout");
        command.args([
            "-s",
            "KILL",
            &limit_s.to_string(),
            "ip",
            "netns",
            "exec",
            ns,
            program,
        ]);
        command
    }

    /// Waits until a socket of `proto` ("udp" or "tcp") listens on `port` in namespace `ns`,
    /// at most `limit`. Returns whether it does.
    pub fn wait_for_port(ns: &str, proto: &str, port: u16, limit: Duration) -> bool {
        let flag = if proto == "udp" { "-Hlun" } else { "-Hltn" };
        let deadline = Instant::now() + limit;
        let suffix = format!(":{port}");
        loop {
            let out = Command::new("ip")
                .args(["netns", "exec", ns, "ss", flag])
                .stdin(Stdio::null())
                .output();
            if let Ok(out) = out {
                let text = String::from_utf8_lossy(&out.stdout);
                let listening = text.lines().any(|l| {
                    l.split_whitespace()
                        .nth(3)
                        .is_some_and(|local| local.ends_with(&suffix))
                });
                if listening {
                    return true;
                }
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for TestNet {
    /// Kills whatever still runs in the namespaces, then deletes them.
    fn drop(&mut self) {
        for ns in self.hosts.iter().chain(std::iter::once(&self.ns)) {
            if let Ok(out) = Command::new("ip").args(["netns", "pids", ns]).output() {
                for pid in String::from_utf8_lossy(&out.stdout).split_whitespace() {
                    let _ = Command::new("kill").args(["-KILL", pid]).status();
                }
            }
            let _ = Command::new("ip")
                .args(["netns", "del", ns])
                .stderr(Stdio::null())
                .status();
        }
    }
}
