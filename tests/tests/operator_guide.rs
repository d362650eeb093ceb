//! The operator guide, `docs/operator-guide.md`, run as an operator runs it: each fenced block
//! with the info string `sh`, in order, by `bash -euo pipefail`, as root, in a temporary root
//! of its own, with the real Debian programs it names; then a node boots with real iPXE in
//! QEMU against the servers the guide set up. A guide that drifts from the product fails.
//!
//! What the blocks mean:
//! - `sh`: run, from the test's work directory, which holds the package to install
//!   (`IPXEGEN_GUIDE_DEB`, set by `packaging/install-test.sh`, which builds it) and is where an
//!   operator would have downloaded it. Blocks share state through files only, as two terminal
//!   sessions would.
//! - `text output`: what the `sh` block before it prints (standard output and error, in
//!   order); it must be exactly that.
//! - `text node-console FIRMWARE MAC`: here a node with that MAC is powered on, on the
//!   network's bridge: `bios` is SeaBIOS running the NIC's iPXE ROM (`ipxe-qemu`), `uefi` is
//!   OVMF's own PXE over IPv4 (the NIC's ROM off), which fetches the iPXE loader by TFTP. It must
//!   boot to the test initrd, whose kernel command line must be the block's `CMDLINE:` line.
//! - Any other block is text for the reader and is not run; the guide says so where it is a
//!   command.
//!
//! The temporary root: a network namespace (`br0`, 192.0.2.1/24, with QEMU's tap), and in it
//! a mount and PID namespace in which `/etc`, `/usr`, `/var` and `/srv` are overlays whose
//! writes go to a tmpfs, and `/run` is a fresh tmpfs; so the guide writes the paths an
//! operator's server has (`/etc/nginx/sites-available`, `/etc/dnsmasq.d`, `/srv/ipxegen`, ...)
//! and installs the package with apt-get, and this machine is left unchanged. The node's
//! kernel and initrd (the QEMU tests' Debian kernel and busybox initrd) are placed as
//! `/srv/images/vmlinuz` and `/srv/images/initrd.img`; `/etc/dnsmasq.d`, which Debian's
//! `dnsmasq` package makes, is made (the test machine has `dnsmasq-base`, the daemon only).
//!
//! No systemd runs there: `systemctl` on the blocks' `PATH` is `tests/e2e/guide/bin/systemctl`,
//! which runs the Debian package's own start and stop commands of the unit (nginx's unit
//! file, tftpd-hpa's init script; dnsmasq's init script's command line, the test machine having
//! only `dnsmasq-base`), so each daemon is the real one with Debian's command line. The daemons
//! fork into the background; they live in the PID namespace, which ends (the kernel kills all
//! of it) when its first process, held by this test, is killed, and the network namespace's
//! processes are killed again when it is deleted. Every block and the VM are bounded in time;
//! the whole test takes at most [`LIMIT_S`] seconds.
//!
//! Ignored by a plain `cargo test` (it needs the built package and root; it is built and
//! linted with the other tests): the debian package stage runs it
//! (`packaging/install-test.sh`: `cargo test -p ipxegen-tests --test operator_guide --
//! --ignored`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test: a failure here is the test's failure"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ipxegen_tests::netns::TestNet;
use ipxegen_tests::qemu::{
    End, OVMF_CODE, OVMF_VARS, Watch, WorkDir, kernel, make_initrd, watch_console,
};
use ipxegen_tests::{ProcessGroup, missing_tool, ready_or_skip};

/// The guide, relative to the workspace.
const GUIDE: &str = "docs/operator-guide.md";
/// The longest the whole test may take, in seconds.
const LIMIT_S: u32 = 360;
/// The longest one block may take.
const BLOCK_LIMIT: Duration = Duration::from_secs(90);
/// How many nodes the guide may boot (one tap each).
const NODES: usize = 2;
/// What the guide runs, and the Debian packages they come from.
const TOOLS: &[(&str, &str)] = &[
    ("apt-get", "apt"),
    ("nsenter", "util-linux"),
    ("unshare", "util-linux"),
    ("nginx", "nginx-light"),
    ("in.tftpd", "tftpd-hpa"),
    ("dnsmasq", "dnsmasq-base"),
    ("dhcpd", "isc-dhcp-server"),
    ("kea-dhcp4", "kea-dhcp4-server"),
    ("tcpdump", "tcpdump"),
    ("curl", "curl"),
    ("jq", "jq"),
    ("qemu-system-x86_64", "qemu-system-x86"),
];

/// One fenced block of the guide.
#[derive(Debug)]
struct Block {
    /// The line of its opening fence (1-based).
    line: usize,
    info: String,
    text: String,
}

/// The fenced blocks of `markdown`, in order.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in markdown.lines().enumerate() {
        match open.take() {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    open = Some(Block {
                        line: i + 1,
                        info: info.trim().to_owned(),
                        text: String::new(),
                    });
                }
            }
            Some(block) if line == "```" => blocks.push(block),
            Some(mut block) => {
                block.text.push_str(line);
                block.text.push('\n');
                open = Some(block);
            }
        }
    }
    assert!(open.is_none(), "{GUIDE}: a fenced block is not closed");
    blocks
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The temporary root's first process (its PID namespace's init), as this machine sees it.
struct Root {
    group: ProcessGroup,
    pid: u32,
}

/// The children of process `pid`.
fn children(pid: u32) -> Vec<u32> {
    std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children"))
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| p.parse().ok())
        .collect()
}

impl Root {
    /// Starts the mount and PID namespace in `ns` (layers on a tmpfs under `work/layers`)
    /// and places `images` under `/srv/images`.
    fn start(ns: &str, work: &Path, images: &Path) -> Root {
        let ready = work.join("root-ready");
        let setup = r#"set -euo pipefail
layers=$1/layers
mkdir -p "$layers"
mount -t tmpfs -o mode=0755 guide-root "$layers"
for dir in etc usr var srv; do
    mkdir -p "$layers/$dir.upper" "$layers/$dir.work"
    mount -t overlay guide-root -o "lowerdir=/$dir,upperdir=$layers/$dir.upper,workdir=$layers/$dir.work" "/$dir"
done
mount -t tmpfs -o mode=0755 guide-run /run
mkdir -p /run/lock /srv/images
# What Debian's dnsmasq package (not only dnsmasq-base) would have made.
mkdir -p /etc/dnsmasq.d
cp "$2/vmlinuz" "$2/initrd.img" /srv/images/
touch "$3"
# The namespace's first process reaps the daemons orphaned to it (a stopped daemon must not
# stay a zombie: its init script waits until it is gone); killing it ends the namespace.
sleep "$4" &
wait"#;
        let mut command = TestNet::command(ns, LIMIT_S, "unshare");
        command
            .args([
                "--mount",
                "--propagation",
                "private",
                "--pid",
                "--kill-child",
                "--mount-proc",
                "bash",
                "-c",
                setup,
                "bash",
            ])
            .arg(work)
            .arg(images)
            .arg(&ready)
            .arg(LIMIT_S.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(work.join("root.stderr")).unwrap());
        let mut group = ProcessGroup::spawn(command);
        let deadline = Instant::now() + Duration::from_secs(20);
        while !ready.exists() {
            if let Some(status) = group.exited() {
                panic!(
                    "the temporary root did not start ({status}): {}",
                    std::fs::read_to_string(work.join("root.stderr")).unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "the temporary root took over 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        // timeout -> unshare (ip netns exec became it) -> the namespace's first process.
        let unshare = children(group.id());
        let pid = unshare
            .first()
            .map(|&p| children(p))
            .and_then(|c| c.first().copied())
            .expect("cannot find the temporary root's first process");
        Root { group, pid }
    }

    /// Runs `script` by `bash -euo pipefail` in the root, from `cwd`, its standard output and
    /// error into `log`; its exit status, or `None` after [`BLOCK_LIMIT`] (then it is killed).
    fn run(&self, script: &Path, cwd: &Path, log: &Path) -> Option<std::process::ExitStatus> {
        let bin = workspace().join("tests/e2e/guide/bin");
        let path = format!(
            "{}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            bin.display()
        );
        let out = std::fs::File::create(log).unwrap();
        let mut command = Command::new("timeout");
        command
            .args(["-s", "KILL"])
            .arg(BLOCK_LIMIT.as_secs().to_string())
            .arg("nsenter")
            .arg(format!("--target={}", self.pid))
            .args(["--mount", "--pid", "--net"])
            .arg(format!("--wd={}", cwd.display()))
            .args(["--", "env", "-u", "TMPDIR"])
            .arg(format!("PATH={path}"))
            .args([
                "HOME=/root",
                "DEBIAN_FRONTEND=noninteractive",
                "LC_ALL=C.UTF-8",
            ])
            .args(["bash", "-euo", "pipefail"])
            .arg(script)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out);
        let mut group = ProcessGroup::spawn(command);
        group.wait_within(BLOCK_LIMIT + Duration::from_secs(5))
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        self.group.kill();
    }
}

/// A node a `text node-console` block powers on.
struct Node<'a> {
    /// `bios` or `uefi`.
    firmware: &'a str,
    mac: &'a str,
    /// Its tap on the bridge.
    tap: usize,
}

/// Boots `node` in `ns` and checks its console shows the kernel command line `expected`
/// (the words after `CMDLINE: `).
fn boot_node(ns: &str, work: &Path, node: &Node<'_>, expected: &str, line: usize) {
    let tag = format!("node-{}", node.mac.replace(':', "-"));
    let mut qemu = TestNet::command(ns, 150, "qemu-system-x86_64");
    qemu.args(["-m", "512", "-nographic", "-no-reboot"]);
    let rom = match node.firmware {
        "bios" => {
            qemu.args(["-boot", "n"]);
            ""
        }
        "uefi" => {
            let vars = work.join(format!("{tag}-vars.fd"));
            std::fs::copy(OVMF_VARS, &vars).unwrap();
            qemu.arg("-drive")
                .arg(format!("if=pflash,format=raw,readonly=on,file={OVMF_CODE}"))
                .arg("-drive")
                .arg(format!("if=pflash,format=raw,file={}", vars.display()));
            // PXE over IPv4 only: OVMF would go on to IPv6 and HTTP boot.
            for off in ["IPv6PXESupport", "HTTPSupport"] {
                qemu.arg("-fw_cfg")
                    .arg(format!("name=opt/org.tianocore/{off},string=n"));
            }
            ",romfile="
        }
        other => panic!("{GUIDE}:{line}: no such firmware: {other}"),
    };
    qemu.arg("-netdev")
        .arg(format!(
            "tap,id=n0,ifname=tap{},script=no,downscript=no,vnet_hdr=off",
            node.tap
        ))
        .arg("-device")
        .arg(format!(
            "virtio-net-pci,netdev=n0,mac={},bootindex=1{rom}",
            node.mac
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(work.join(format!("{tag}-qemu.stderr"))).unwrap());
    let mut group = ProcessGroup::spawn(qemu);
    let watched = watch_console(
        &mut group,
        &Watch {
            stop_at: None,
            stop_count: 1,
            expected_errors: &[],
            hard: Duration::from_secs(140),
            stall: Duration::from_secs(60),
        },
    );
    std::fs::write(
        work.join(format!("{tag}-console.log")),
        &watched.console.raw,
    )
    .unwrap();
    println!(
        "{GUIDE}:{line}: the {} node {} ended {:?} after {:.1} s",
        node.firmware,
        node.mac,
        watched.end,
        watched.elapsed.as_secs_f64()
    );
    let console = String::from_utf8_lossy(&watched.console.raw);
    assert!(
        matches!(watched.end, End::Exited(status) if status.success()),
        "{GUIDE}:{line}: the node did not boot ({:?}); its console:\n{console}",
        watched.end
    );
    let cmdline = watched.console.cmdline().unwrap_or_default();
    let want: Vec<&str> = expected.split_whitespace().collect();
    assert_eq!(
        cmdline, want,
        "{GUIDE}:{line}: the node booted another command line; its console:\n{console}"
    );
}

#[test]
#[ignore = "needs the built Debian package and root: packaging/install-test.sh runs it"]
fn the_operator_guide_runs_as_written() {
    let missing = missing_tool(TOOLS).or_else(|| {
        (!Path::new(OVMF_CODE).is_file())
            .then(|| format!("{OVMF_CODE} is not installed (Debian package ovmf)"))
    });
    if !ready_or_skip("the_operator_guide_runs_as_written", missing) {
        return;
    }
    let started = Instant::now();
    let deb = std::env::var_os("IPXEGEN_GUIDE_DEB")
        .map(PathBuf::from)
        .expect(
            "IPXEGEN_GUIDE_DEB names no package: run this test through packaging/install-test.sh",
        );
    let guide = std::fs::read_to_string(workspace().join(GUIDE)).unwrap();
    let blocks = blocks(&guide);
    assert!(
        blocks.iter().filter(|b| b.info == "sh").count() >= 10,
        "{GUIDE} has hardly any sh blocks: {blocks:?}"
    );
    let boots = blocks
        .iter()
        .filter(|b| b.info.starts_with("text node-console"))
        .count();
    assert!(
        (1..=NODES).contains(&boots),
        "{GUIDE} must power on 1 to {NODES} nodes (`text node-console` blocks), not {boots}"
    );

    let work = WorkDir::new("guide", "operator");
    let dir = work.0.canonicalize().unwrap();
    let home = dir.join("download");
    let images = dir.join("images");
    let scripts = dir.join("blocks");
    for d in [&home, &images, &scripts] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::copy(&deb, home.join(deb.file_name().unwrap())).unwrap();
    std::fs::copy(kernel().unwrap(), images.join("vmlinuz")).unwrap();
    make_initrd(&images.join("initrd.img")).unwrap();

    let net = TestNet::new("guide", NODES);
    let mut taps = 0..NODES;
    let root = Root::start(&net.ns, &dir, &images);
    let mut last_output: Option<(usize, String)> = None;
    let mut ran = 0;
    for block in &blocks {
        match block.info.as_str() {
            "sh" => {
                let script = scripts.join(format!("line-{}.sh", block.line));
                let log = scripts.join(format!("line-{}.log", block.line));
                std::fs::write(&script, &block.text).unwrap();
                let block_started = Instant::now();
                let status = root.run(&script, &home, &log);
                let output = std::fs::read_to_string(&log).unwrap_or_default();
                println!(
                    "{GUIDE}:{}: {:?} in {:.1} s",
                    block.line,
                    status,
                    block_started.elapsed().as_secs_f64()
                );
                match status {
                    Some(status) if status.success() => {}
                    Some(status) => panic!(
                        "{GUIDE}:{}: the block failed ({status}):\n{}\nits output:\n{output}",
                        block.line, block.text
                    ),
                    None => panic!(
                        "{GUIDE}:{}: the block ran over {BLOCK_LIMIT:?}:\n{}\nits output:\n{output}",
                        block.line, block.text
                    ),
                }
                last_output = Some((block.line, output));
                ran += 1;
            }
            "text output" => {
                let (line, output) = last_output
                    .take()
                    .unwrap_or_else(|| panic!("{GUIDE}:{}: output of no sh block", block.line));
                assert_eq!(
                    output, block.text,
                    "{GUIDE}:{}: the block at line {line} printed something else than the \
                     guide shows",
                    block.line
                );
            }
            info if info.starts_with("text node-console") => {
                let words: Vec<&str> = info.split_whitespace().collect();
                let [_, _, firmware, mac] = words[..] else {
                    panic!(
                        "{GUIDE}:{}: not `text node-console FIRMWARE MAC`",
                        block.line
                    );
                };
                let node = Node {
                    firmware,
                    mac,
                    tap: taps.next().unwrap(),
                };
                let expected = block
                    .text
                    .lines()
                    .find_map(|l| l.strip_prefix("CMDLINE: "))
                    .unwrap_or_else(|| panic!("{GUIDE}:{}: no CMDLINE: line", block.line));
                boot_node(&net.ns, &dir, &node, expected, block.line);
            }
            _ => {}
        }
        assert!(
            started.elapsed() < Duration::from_secs(LIMIT_S.into()),
            "{GUIDE}: the guide took over {LIMIT_S} s (at line {})",
            block.line
        );
    }
    drop(root);
    drop(net);
    println!(
        "{GUIDE}: {ran} blocks ran, {boots} nodes booted, in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// The guide's blocks as the test reads them, checked by every `cargo test` (the run itself
/// needs root and the package): each `text output` block follows an `sh` block, each
/// `text node-console` names its firmware and MAC and has a `CMDLINE:` line, and the only
/// IPv4 addresses are documentation ones (192.0.2.0/24) and the netmask.
#[test]
fn the_guide_is_well_formed() {
    let guide = std::fs::read_to_string(workspace().join(GUIDE)).unwrap();
    let blocks = blocks(&guide);
    let mut previous: Option<&Block> = None;
    for block in &blocks {
        let at = block.line;
        if block.info == "text output" {
            assert!(
                previous.is_some_and(|p| p.info == "sh"),
                "{GUIDE}:{at}: a `text output` block must follow an `sh` block"
            );
        }
        if let Some(rest) = block.info.strip_prefix("text node-console") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            assert!(
                matches!(words[..], ["bios" | "uefi", mac] if mac.len() == 17 && mac.split(':').count() == 6),
                "{GUIDE}:{at}: not `text node-console bios|uefi MAC`"
            );
            assert!(
                block.text.lines().any(|l| l.starts_with("CMDLINE: ")),
                "{GUIDE}:{at}: no `CMDLINE: ` line"
            );
        }
        previous = Some(block);
    }
    let addresses = guide
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|w| w.split('.').count() == 4 && w.split('.').all(|p| p.parse::<u8>().is_ok()));
    for address in addresses {
        assert!(
            address.starts_with("192.0.2.") || address == "255.255.255.0",
            "{GUIDE}: {address} is not a documentation address (192.0.2.0/24)"
        );
    }
}
