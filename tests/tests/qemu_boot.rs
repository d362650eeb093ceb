//! The real client: boot trees that ipxegen generates with Debian's iPXE ROMs (`ipxe-qemu`)
//! in QEMU, on legacy BIOS (SeaBIOS) and on UEFI (OVMF), with a real Debian kernel and a tiny
//! initrd of our own whose `/init` prints the kernel command line on the serial console and
//! powers off.
//!
//! Each test builds the tree of `tests/e2e/qemu/site.json` with `ipxegen build --out` (see
//! [`TREE_BUILDER`]), serves it with a static HTTP
//! server on 127.0.0.1 (`tests/e2e/qemu/http_server.py`, which logs every response in order)
//! and boots QEMU with user-mode networking, `restrict=on` (the guest reaches nothing but the
//! forwarded address), `guestfwd` of 10.0.2.100:80 through one `socat` per connection to that
//! server, and `bootfile=` pointing at the main script, so QEMU's DHCP hands it to iPXE. The
//! tests assert the order of HTTP requests and statuses, iPXE's console messages and the
//! kernel command line the initrd printed.
//!
//! Every run is bounded: QEMU is killed at iPXE's first unexpected error line (one holding
//! `ipxe.org/` and 8 hex digits), when the console is silent for [`STALL_TIMEOUT`], and after
//! [`HARD_TIMEOUT`]; QEMU, its `socat` children and the HTTP server are killed (as process
//! groups, [`ipxegen_tests::ProcessGroup`]) when a test ends, passes or panics, and are wrapped
//! in `timeout` so that they cannot outlive a test process that is killed itself.
//!
//! Assets: the kernel is unpacked from the Debian package `linux-image-*-cloud-amd64` by
//! `tests/e2e/qemu/fetch-kernel.sh` and cached under `target/ipxegen-test-assets/` (keyed by
//! package version; `IPXEGEN_TEST_ASSETS` moves the cache, `IPXEGEN_TEST_KERNEL` names a
//! bzImage to use instead); the initrd is built per test by `tests/e2e/qemu/make-initrd.sh`
//! from `busybox-static`. When a tool or asset is missing the tests fail under `CI=true` and
//! print `SKIPPED: <test>: <reason>` otherwise ([`ipxegen_tests::ready_or_skip`]).
//!
//! On failure (or with `IPXEGEN_TEST_KEEP=1`) the work directory (site, tree, console log,
//! HTTP log, QEMU's stderr) is kept under `target/tmp/` and its path printed. With
//! `-- --nocapture` each run prints its time, requests and kernel command line.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test"
)]

use ipxegen_core::Site;
use ipxegen_core::site::RescanSeen;
use ipxegen_core::tree::{EntryKind, Root, Tree, write_script};
use ipxegen_tests::qemu::{
    BUSYBOX, Console, E2E_DIR, End, ExpectedError, OVMF_CODE, OVMF_VARS, Watch, WorkDir, bounded,
    ipxe_error_code, kernel, make_initrd, watch_console,
};
use ipxegen_tests::{VecWriter, ipxegen_binary};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The test site; `@HTTP_ROOT@`, `@KERNEL@` and `@RAMDISK@` are filled in per run.
const SITE_TEMPLATE: &str = include_str!("../e2e/qemu/site.json");
/// The address the guest reaches the HTTP server at (the site's `http_server`).
const SERVER_ADDR: &str = "10.0.2.100";

/// Longest a run may take, from QEMU's start to its end.
const HARD_TIMEOUT: Duration = Duration::from_secs(120);
/// Longest the console may stay silent (a BIOS iPXE hangs silently on a non-script).
const STALL_TIMEOUT: Duration = Duration::from_secs(45);
/// Outer bound for every process the test starts, enforced by `timeout` even if the test
/// process itself is killed.
const PROCESS_LIMIT_S: u32 = 300;

/// iPXE's ROM for QEMU's virtio-net (legacy BIOS and EFI images in one file): QEMU's default
/// `romfile` of `virtio-net-pci` on Debian. It is not named on the command line: the ROM says
/// PCI device 1af4:1041 (modern virtio-net), the NIC is 1af4:1000 (transitional), and QEMU
/// patches the ids of its default ROMs only; SeaBIOS skips a ROM whose ids do not match, so an
/// explicit `romfile=` leaves BIOS without iPXE (OVMF does not check).
const IPXE_ROM: &str = "/usr/lib/ipxe/qemu/efi-virtio.rom";

/// iPXE's error code for an HTTP 404 ("No such file or directory"). Its last byte is the
/// platform's own code for "not found": PXE's 0x3b on BIOS, EFI_NOT_FOUND (0x8e) on UEFI.
fn http_404_code(firmware: Firmware) -> &'static str {
    match firmware {
        Firmware::Bios => "2d0c613b",
        Firmware::Uefi => "2d0c618e",
    }
}

/// The deploy node (one NIC).
const DEPLOY_MAC: &str = "52:54:00:12:34:56";
/// A MAC that no node has.
const UNKNOWN_MAC: &str = "52:54:00:12:34:99";
/// The two NICs of `second-nic-node`: the first is listed with `"pxe": false`, so it has no
/// per-MAC config; the second has one.
const FIRST_NIC_MAC: &str = "52:54:00:12:34:70";
const SECOND_NIC_MAC: &str = "52:54:00:12:34:71";
/// The two NICs of `two-nic-node`, both network-boot NICs.
const TWO_NIC_FIRST_MAC: &str = "52:54:00:12:34:72";
const TWO_NIC_SECOND_MAC: &str = "52:54:00:12:34:73";

/// Who writes the tree. `Core` calls the core's `walk_tree` directly; `Cli` runs
/// `ipxegen build SITE --out DIR` (built with `cargo build -p ipxegen-cli`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code, reason = "one builder is chosen at a time")]
enum TreeBuilder {
    Core,
    Cli,
}

/// The builder every test uses.
const TREE_BUILDER: TreeBuilder = TreeBuilder::Cli;

// ------------------------------------------------------------------------------------------
// Environment: tools, skipping, assets.

/// Whether the run `case` can go on: false (after printing the skip line) when it must be
/// skipped; panics under CI.
fn available(case: &str, missing: Option<String>) -> bool {
    ipxegen_tests::ready_or_skip(&format!("qemu_boot {case}"), missing)
}

/// The first thing a run on `firmware` needs that this machine lacks.
fn missing_tool(firmware: Firmware) -> Option<String> {
    let commands = [
        ("qemu-system-x86_64", "qemu-system-x86"),
        ("socat", "socat"),
        ("python3", "python3"),
        ("cpio", "cpio"),
        ("gzip", "gzip"),
        ("timeout", "coreutils"),
    ];
    if let Some(missing) = ipxegen_tests::missing_tool(&commands) {
        return Some(missing);
    }
    let mut files = vec![(IPXE_ROM, "ipxe-qemu"), (BUSYBOX, "busybox-static")];
    if firmware == Firmware::Uefi {
        files.extend([(OVMF_CODE, "ovmf"), (OVMF_VARS, "ovmf")]);
    }
    for (file, package) in files {
        if !Path::new(file).is_file() {
            return Some(format!("{file} is missing (Debian package {package})"));
        }
    }
    if std::env::var_os("IPXEGEN_TEST_KERNEL").is_none() {
        for command in ["apt-get", "apt-cache", "dpkg-deb"] {
            if ipxegen_tests::find_command(command).is_none() {
                return Some(format!(
                    "{command} is missing: cannot fetch a kernel (set IPXEGEN_TEST_KERNEL)"
                ));
            }
        }
    }
    None
}

// ------------------------------------------------------------------------------------------
// The tree.

/// Writes the test site (with the paths of this run) and builds its tree under `dir/out`.
/// Returns the HTTP root.
fn prepare_tree(dir: &Path, kernel: &Path, ramdisk: &Path) -> PathBuf {
    let out = dir.join("out");
    let site = SITE_TEMPLATE
        .replace("@HTTP_ROOT@", out.join("http").to_str().unwrap())
        .replace("@KERNEL@", kernel.to_str().unwrap())
        .replace("@RAMDISK@", ramdisk.to_str().unwrap());
    let site_file = dir.join("site.json");
    std::fs::write(&site_file, site).unwrap();
    build_tree(&site_file, &out)
}

/// Builds the tree of `site_file` as `ipxegen build SITE --out OUT` does; returns the HTTP
/// root (`OUT/http`).
fn build_tree(site_file: &Path, out: &Path) -> PathBuf {
    match TREE_BUILDER {
        TreeBuilder::Core => build_tree_with_core(site_file, &out.join("http")),
        TreeBuilder::Cli => build_tree_with_cli(site_file, out),
    }
    out.join("http")
}

/// One file system operation of the tree.
enum Planned {
    Dir(String),
    Script(String, Vec<u8>),
    Link(String, String),
    Copy(String, String),
}

/// What `ipxegen build --links symlink` does, written with the core directly: directories,
/// scripts, per-MAC symbolic links and copies of the local files (no loaders: iPXE is in the
/// NIC's ROM here).
fn build_tree_with_core(site_file: &Path, out: &Path) {
    let doc = std::fs::read(site_file).unwrap();
    let site = Site::parse(&doc).unwrap();
    let site = site.checked(&mut RescanSeen::new(&site)).unwrap();
    let mut plan = Vec::new();
    let mut tree = Tree::new(&site);
    while let Some(entry) = tree.next_entry() {
        let entry = entry.unwrap();
        if entry.root != Root::Http {
            continue;
        }
        let path = entry.path.to_owned();
        match entry.kind {
            EntryKind::Directory => plan.push(Planned::Dir(path)),
            EntryKind::Script(script) => {
                let mut text = Vec::new();
                write_script(site.config(), script, &mut VecWriter(&mut text)).unwrap();
                plan.push(Planned::Script(path, text));
            }
            EntryKind::PerMac { target, .. } => plan.push(Planned::Link(path, target.to_owned())),
            EntryKind::File { source } => plan.push(Planned::Copy(path, source.to_string())),
            EntryKind::Loader { .. } => {}
        }
    }
    std::fs::create_dir_all(out).unwrap();
    for item in plan {
        match item {
            Planned::Dir(path) => std::fs::create_dir_all(out.join(path)).unwrap(),
            Planned::Script(path, text) => std::fs::write(out.join(path), text).unwrap(),
            Planned::Link(path, target) => {
                std::os::unix::fs::symlink(target, out.join(path)).unwrap();
            }
            Planned::Copy(path, source) => {
                std::fs::copy(&source, out.join(&path))
                    .unwrap_or_else(|e| panic!("copy {source} to {path}: {e}"));
            }
        }
    }
}

fn build_tree_with_cli(site_file: &Path, out: &Path) {
    let result = Command::new(ipxegen_binary())
        .arg("build")
        .arg(site_file)
        .arg("--out")
        .arg(out)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "ipxegen build failed ({}): {}",
        result.status,
        String::from_utf8_lossy(&result.stderr)
    );
}

// ------------------------------------------------------------------------------------------
// Processes.
/// The static HTTP server of one run.
struct HttpServer {
    group: ipxegen_tests::ProcessGroup,
    port: u16,
    log: PathBuf,
}

impl HttpServer {
    fn start(root: &Path, dir: &Path) -> HttpServer {
        let log = dir.join("http.log");
        let mut command = bounded(PROCESS_LIMIT_S, "python3");
        command
            .arg(Path::new(E2E_DIR).join("http_server.py"))
            .arg(root)
            .arg(&log)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(dir.join("http.stderr")).unwrap());
        let mut group = ipxegen_tests::ProcessGroup::spawn(command);
        let mut line = String::new();
        BufReader::new(group.child_mut().stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            panic!(
                "the HTTP server did not start: {:?}; stderr: {}",
                line,
                std::fs::read_to_string(dir.join("http.stderr")).unwrap_or_default()
            )
        });
        HttpServer { group, port, log }
    }

    /// Stops the server; returns its responses, in order: `METHOD PATH STATUS`.
    fn stop(mut self) -> Vec<String> {
        self.group.kill();
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

// ------------------------------------------------------------------------------------------
// QEMU.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Firmware {
    Bios,
    Uefi,
}

/// The machine of one run.
struct Machine<'a> {
    firmware: Firmware,
    /// The MACs of its NICs, in PCI order (net0, net1, ...).
    macs: &'a [&'a str],
    /// Indexes (into `macs`) of NICs whose network has no DHCP server: their link is up, but
    /// iPXE's DHCP on them times out.
    no_dhcp: &'a [usize],
    /// Index (into `macs`) of the NIC the firmware tries first; the others follow in order.
    first_boot_nic: usize,
    /// Console text after which the run is complete (QEMU is killed); `None`: run until
    /// QEMU exits (the initrd powers off).
    stop_at: Option<&'a str>,
    /// iPXE errors the run expects, in order; any other error line ends the run.
    expected_errors: &'a [ExpectedError<'a>],
}

/// What a run saw.
struct Boot {
    end: End,
    elapsed: Duration,
    console: Console,
    requests: Vec<String>,
    qemu_stderr: String,
    /// How many of the expected iPXE errors were seen (in order).
    errors_seen: usize,
}

impl Boot {
    /// Everything needed to understand a failed assertion.
    fn report(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "\n--- end: {:?} after {:.1} s",
            self.end,
            self.elapsed.as_secs_f64()
        );
        if let End::IpxeError(line) = &self.end {
            let _ = writeln!(out, "--- killed at iPXE's error line: {line}");
        }
        let _ = writeln!(out, "--- HTTP requests:");
        for r in &self.requests {
            let _ = writeln!(out, "    {r}");
        }
        let _ = writeln!(out, "--- console (last 60 logical lines):");
        let skip = self.console.logical.len().saturating_sub(60);
        for l in self.console.logical.iter().skip(skip) {
            let _ = writeln!(out, "    {l}");
        }
        let _ = writeln!(out, "    {}", self.console.partial());
        let _ = writeln!(out, "--- QEMU stderr:\n{}", self.qemu_stderr.trim_end());
        out
    }

    fn print_summary(&self, case: &str) {
        println!(
            "{case}: {:?} after {:.1} s; requests: {:?}; cmdline: {:?}",
            self.end,
            self.elapsed.as_secs_f64(),
            self.requests,
            self.console.cmdline()
        );
    }
}

/// Prepares the assets and the tree, serves it and boots `machine`. `None` when skipped.
fn boot(case: &str, machine: &Machine<'_>) -> Option<(Boot, WorkDir)> {
    if !available(case, missing_tool(machine.firmware)) {
        return None;
    }
    let kernel = kernel();
    if !available(case, kernel.as_ref().err().cloned()) {
        return None;
    }
    let kernel = kernel.unwrap();
    let dir = WorkDir::new("qemu-boot", case);
    let ramdisk = dir.0.join("initrd.cpio.gz");
    if let Err(e) = make_initrd(&ramdisk) {
        available(case, Some(e));
        return None;
    }
    let tree = prepare_tree(&dir.0, &kernel, &ramdisk);
    let server = HttpServer::start(&tree, &dir.0);
    let mut boot = run_qemu(machine, server.port, &dir.0);
    boot.requests = server.stop();
    Some((boot, dir))
}

fn qemu_command(machine: &Machine<'_>, port: u16, dir: &Path) -> Command {
    let mut qemu = bounded(PROCESS_LIMIT_S, "qemu-system-x86_64");
    qemu.args(["-m", "512", "-nographic", "-no-reboot", "-boot", "n"]);
    if machine.firmware == Firmware::Uefi {
        let vars = dir.join("OVMF_VARS.fd");
        std::fs::copy(OVMF_VARS, &vars).unwrap();
        qemu.arg("-drive")
            .arg(format!("if=pflash,format=raw,readonly=on,file={OVMF_CODE}"));
        qemu.arg("-drive")
            .arg(format!("if=pflash,format=raw,file={}", vars.display()));
    }
    for (index, mac) in machine.macs.iter().enumerate() {
        let bootindex = if index == machine.first_boot_nic {
            1
        } else {
            index + 2
        };
        if machine.no_dhcp.contains(&index) {
            // A hub of its own with no other port: frames go nowhere, nothing answers.
            qemu.arg("-netdev")
                .arg(format!("hubport,id=n{index},hubid={}", 100 + index));
            qemu.arg("-device").arg(format!(
                "virtio-net-pci,netdev=n{index},mac={mac},bootindex={bootindex}"
            ));
            continue;
        }
        // Every other NIC is on the provisioning network: its own user-mode network, restricted to
        // the guest, reaching the server through one socat per connection, with the main
        // script as DHCP's boot file. Firmware tries the NICs in order, before any disk.
        qemu.arg("-netdev").arg(format!(
            "user,id=n{index},restrict=on,\
             guestfwd=tcp:{SERVER_ADDR}:80-cmd:socat - TCP:127.0.0.1:{port},\
             bootfile=http://{SERVER_ADDR}/boot.ipxe"
        ));
        qemu.arg("-device").arg(format!(
            "virtio-net-pci,netdev=n{index},mac={mac},bootindex={bootindex}"
        ));
    }
    qemu
}

/// Boots `machine` against the server at `port`; the requests are left to the caller.
fn run_qemu(machine: &Machine<'_>, port: u16, dir: &Path) -> Boot {
    let mut command = qemu_command(machine, port, dir);
    let stderr_path = dir.join("qemu.stderr");
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr_path).unwrap());
    let mut qemu = ipxegen_tests::ProcessGroup::spawn(command);
    let watched = watch_console(
        &mut qemu,
        &Watch {
            stop_at: machine.stop_at,
            stop_count: 1,
            expected_errors: machine.expected_errors,
            hard: HARD_TIMEOUT,
            stall: STALL_TIMEOUT,
        },
    );
    drop(qemu);
    std::fs::write(dir.join("console.log"), &watched.console.raw).unwrap();
    Boot {
        end: watched.end,
        elapsed: watched.elapsed,
        requests: Vec::new(),
        qemu_stderr: std::fs::read_to_string(&stderr_path).unwrap_or_default(),
        console: watched.console,
        errors_seen: watched.errors_seen,
    }
}

// ------------------------------------------------------------------------------------------
// Assertions shared by the cases.

fn hexhyp(mac: &str) -> String {
    mac.replace(':', "-")
}

/// The requests of a node that boots: the main script, the per-MAC configs tried (404 for
/// `missing`), then the node's kernel and initrd.
fn boot_requests(missing: &[&str], mac: &str, node: &str) -> Vec<String> {
    let mut expected = vec!["GET /boot.ipxe 200".to_owned()];
    for m in missing {
        expected.push(format!("GET /pxelinux.cfg/{} 404", hexhyp(m)));
    }
    expected.extend([
        format!("GET /pxelinux.cfg/{} 200", hexhyp(mac)),
        format!("GET /{node}/deploy_kernel 200"),
        format!("GET /{node}/deploy_ramdisk 200"),
    ]);
    expected
}

/// Asserts that the guest powered off after the initrd printed `expected` as its command
/// line, and that iPXE's messages came in order.
fn assert_booted(boot: &Boot, node: &str, expected_cmdline: &[&str]) {
    let report = boot.report();
    assert!(
        matches!(boot.end, End::Exited(status) if status.success()),
        "QEMU did not power off cleanly{report}"
    );
    let c = &boot.console;
    let order = [
        c.position("boot.ipxe : "),
        c.position(&format!("ipxegen: node {node} boot mode deploy")),
        c.position(&format!("/{node}/deploy_kernel... ok")),
        c.position(&format!("/{node}/deploy_ramdisk... ok")),
        c.position(&format!("Booting node {node}")),
        c.position("IPXEGEN-INITRD: init started"),
        c.position("IPXEGEN-INITRD: powering off"),
    ];
    assert!(
        order.iter().all(Option::is_some) && order.is_sorted(),
        "console messages missing or out of order: {order:?}{report}"
    );
    assert_eq!(
        c.cmdline().as_deref(),
        Some(expected_cmdline),
        "kernel command line{report}"
    );
}

// ------------------------------------------------------------------------------------------
// The cases.

/// A deploy node's expected command line: what the site and node give, in the generator's
/// order. UEFI's loader puts the kernel image's name first.
fn deploy_cmdline(firmware: Firmware, mac: &str, node_args: &[&str]) -> Vec<String> {
    let mut args = Vec::new();
    if firmware == Firmware::Uefi {
        args.push("deploy_kernel".to_owned());
    }
    args.push("initrd=deploy_ramdisk".to_owned());
    args.push(format!("BOOTIF=01-{}", hexhyp(mac)));
    args.extend(["console=ttyS0".to_owned(), "panic=-1".to_owned()]);
    args.extend(node_args.iter().map(|a| (*a).to_owned()));
    args
}

fn deploy_node_boots(case: &str, firmware: Firmware) {
    let machine = Machine {
        firmware,
        macs: &[DEPLOY_MAC],
        no_dhcp: &[],
        first_boot_nic: 0,
        stop_at: None,
        expected_errors: &[],
    };
    let Some((boot, _dir)) = boot(case, &machine) else {
        return;
    };
    boot.print_summary(case);
    let report = boot.report();
    assert_eq!(
        boot.requests,
        boot_requests(&[], DEPLOY_MAC, "deploy-node"),
        "HTTP requests{report}"
    );
    let cmdline = deploy_cmdline(
        firmware,
        DEPLOY_MAC,
        &["ipa-debug=1", "ipxegen.node=deploy-node"],
    );
    let cmdline: Vec<&str> = cmdline.iter().map(String::as_str).collect();
    assert_booted(&boot, "deploy-node", &cmdline);
    let c = &boot.console;
    assert!(
        c.position(&format!(
            "Looking for a boot config for net0 ({})",
            hexhyp(DEPLOY_MAC)
        ))
        .is_some(),
        "{report}"
    );
    if firmware == Firmware::Uefi {
        // The EFI stub found the initrd by the name in `initrd=`: iPXE's `--name` matched.
        assert!(
            c.position("EFI stub: Loaded initrd from command line option")
                .is_some(),
            "the UEFI kernel did not load its initrd by name{report}"
        );
        assert!(
            c.position("Features:")
                .is_some_and(|i| c.logical[i].contains("EFI")),
            "not an EFI iPXE{report}"
        );
    } else {
        assert!(
            c.position("Features:")
                .is_some_and(|i| c.logical[i].contains("PXE bzImage")),
            "not a BIOS iPXE{report}"
        );
    }
}

#[test]
fn deploy_node_boots_on_bios() {
    deploy_node_boots("bios", Firmware::Bios);
}

#[test]
fn deploy_node_boots_on_uefi() {
    deploy_node_boots("uefi", Firmware::Uefi);
}

/// The harness itself: an iPXE error line that a run does not expect ends it at once (here
/// the 404 of an unknown MAC, long before the main script's 30 s prompt).
#[test]
fn an_unexpected_ipxe_error_ends_the_run() {
    let machine = Machine {
        firmware: Firmware::Bios,
        macs: &[UNKNOWN_MAC],
        no_dhcp: &[],
        first_boot_nic: 0,
        stop_at: None,
        expected_errors: &[],
    };
    let Some((boot, _dir)) = boot("unexpected-error", &machine) else {
        return;
    };
    boot.print_summary("unexpected-error");
    let report = boot.report();
    let code = http_404_code(Firmware::Bios);
    assert!(
        matches!(&boot.end, End::IpxeError(line) if line.ends_with(&format!("ipxe.org/{code})"))),
        "{report}"
    );
    // Killed at the error: text iPXE printed in the same burst may follow it, but not the
    // reboot that comes 30 s later, when the main script's prompt runs out.
    let starts = boot
        .console
        .logical
        .iter()
        .filter(|l| l.contains("SeaBIOS (version"))
        .count();
    assert!(
        starts == 1 && boot.elapsed < Duration::from_secs(30),
        "QEMU ran on after the error{report}"
    );
}

/// The console parser: escape sequences, backspaces and carriage returns applied, lines
/// that SeaBIOS wrapped at 80 columns joined, output split anywhere between reads.
#[test]
fn console_joins_wrapped_lines_and_finds_errors() {
    let raw: &[u8] = b"\x1b[0;1miPXE 1.0.0+git-20190125.36a4c85-5.1\x1b[0m -- Open Source Network \
        Boot Firmware -- \x1b[0;36mhttp\r\n://ipxe.org\r\n\x1b[0mFeatures: DNS HTTP\r\n\
        Press Ctrl-B for the iPXE command line...\x08 \x08\x08 \x08net0\r\n\
        \x20 [RXE: 1 x \"Operation not supported (http://ipxe.org/3c086083)\"]\r\n\
        pxelinux.cfg/52-54-00-12-34-99... No such file or directory (http://ipxe.org/2d0\r\n\
        c613b)\r\nRebooting in 30 seconds";
    for chunk in [1, 7, raw.len()] {
        let mut console = Console::default();
        for part in raw.chunks(chunk) {
            console.feed(part);
        }
        assert_eq!(
            console.logical,
            [
                "iPXE 1.0.0+git-20190125.36a4c85-5.1 -- Open Source Network Boot Firmware -- \
                 http://ipxe.org",
                "Features: DNS HTTP",
                "Press Ctrl-B for the iPXE command line.net0",
                "  [RXE: 1 x \"Operation not supported (http://ipxe.org/3c086083)\"]",
                "pxelinux.cfg/52-54-00-12-34-99... No such file or directory \
                 (http://ipxe.org/2d0c613b)",
            ]
        );
        assert_eq!(console.partial(), "Rebooting in 30 seconds");
        let codes: Vec<_> = console
            .logical
            .iter()
            .filter_map(|l| ipxe_error_code(l))
            .collect();
        assert_eq!(codes, ["2d0c613b"]);
    }
}

/// The main script's prompt when no NIC has a config (it then waits 30 s for a key).
/// The main script's last words when no NIC has a config: BIOS reboots, UEFI leaves iPXE so
/// the firmware tries its next boot option.
fn no_config_prompt(firmware: Firmware) -> &'static str {
    match firmware {
        Firmware::Bios => "Rebooting in 30 seconds: press any key to reboot now",
        Firmware::Uefi => {
            "Leaving iPXE in 30 seconds for the firmware's next boot option: press any key to leave now"
        }
    }
}

/// A machine whose only MAC has no config: the main script asks for `pxelinux.cfg/<mac>`,
/// gets 404, finds no other NIC and says so before its 30 s reboot prompt (where the test
/// stops QEMU).
#[test]
fn unknown_mac_takes_the_failure_path_on_bios() {
    unknown_mac_takes_the_failure_path("unknown-mac-bios", Firmware::Bios);
}

#[test]
fn unknown_mac_takes_the_failure_path_on_uefi() {
    unknown_mac_takes_the_failure_path("unknown-mac-uefi", Firmware::Uefi);
}

fn unknown_mac_takes_the_failure_path(case: &str, firmware: Firmware) {
    let path = format!("pxelinux.cfg/{}", hexhyp(UNKNOWN_MAC));
    let machine = Machine {
        firmware,
        macs: &[UNKNOWN_MAC],
        no_dhcp: &[],
        first_boot_nic: 0,
        stop_at: Some(no_config_prompt(firmware)),
        expected_errors: &[ExpectedError {
            code: http_404_code(firmware),
            line_contains: &path,
        }],
    };
    let Some((boot, _dir)) = boot(case, &machine) else {
        return;
    };
    boot.print_summary(case);
    let report = boot.report();
    assert!(matches!(boot.end, End::Stopped), "{report}");
    assert_eq!(boot.errors_seen, 1, "the 404 error line is missing{report}");
    assert_eq!(
        boot.requests,
        ["GET /boot.ipxe 200".to_owned(), format!("GET /{path} 404")],
        "HTTP requests{report}"
    );
    let c = &boot.console;
    let looking = c.position(&format!(
        "Looking for a boot config for net0 ({})",
        hexhyp(UNKNOWN_MAC)
    ));
    let not_found = c.position(&format!(
        "{path}... No such file or directory (http://ipxe.org/{})",
        http_404_code(firmware)
    ));
    let no_config = c.position("No boot config exists for any NIC of this machine (MACs above).");
    assert!(
        looking.is_some() && looking < not_found && not_found < no_config,
        "failure path messages missing or out of order: {looking:?} {not_found:?} \
         {no_config:?}{report}"
    );
    let tries = c
        .logical
        .iter()
        .filter(|l| l.contains("Looking for a boot config"))
        .count();
    assert_eq!(tries, 1, "a machine with one NIC tries one config{report}");
    assert!(
        c.partial().contains(no_config_prompt(firmware)),
        "the no-config prompt is not the last text (it waits for a key){report}"
    );
}

/// A machine with two NICs whose first has no config (the node lists it with `"pxe":
/// false`): iPXE boots through net0 (both NICs get DHCP answers; net0 is first), the main
/// script's NIC loop gets 404 for net0 and chains net1's config, and the kernel's BOOTIF names
/// net0, the NIC the boot went through.
///
/// BIOS only: on UEFI each NIC's iPXE (the EFI ROM here, like `snponly.efi` on real
/// machines) drives only its own NIC, so the loop sees net0 alone; the main script's failure
/// path then exits after its 30 s prompt so the firmware tries its next boot option (the
/// second NIC), which takes over a minute under emulation and is not run here.
#[test]
fn nic_loop_boots_from_the_second_nic_on_bios() {
    nic_loop_boots_from_the_second_nic("second-nic-bios", Firmware::Bios);
}

fn nic_loop_boots_from_the_second_nic(case: &str, firmware: Firmware) {
    let first_path = format!("pxelinux.cfg/{}", hexhyp(FIRST_NIC_MAC));
    let machine = Machine {
        firmware,
        macs: &[FIRST_NIC_MAC, SECOND_NIC_MAC],
        no_dhcp: &[],
        first_boot_nic: 0,
        stop_at: None,
        expected_errors: &[ExpectedError {
            code: http_404_code(firmware),
            line_contains: &first_path,
        }],
    };
    let Some((boot, _dir)) = boot(case, &machine) else {
        return;
    };
    boot.print_summary(case);
    let report = boot.report();
    assert_eq!(
        boot.requests,
        boot_requests(&[FIRST_NIC_MAC], SECOND_NIC_MAC, "second-nic-node"),
        "HTTP requests{report}"
    );
    assert_eq!(boot.errors_seen, 1, "the 404 error line is missing{report}");
    let cmdline = deploy_cmdline(firmware, FIRST_NIC_MAC, &["ipxegen.node=second-nic-node"]);
    let cmdline: Vec<&str> = cmdline.iter().map(String::as_str).collect();
    assert_booted(&boot, "second-nic-node", &cmdline);
    let c = &boot.console;
    let net0 = c.position(&format!(
        "Looking for a boot config for net0 ({})",
        hexhyp(FIRST_NIC_MAC)
    ));
    let not_found = c.position(&format!(
        "{first_path}... No such file or directory (http://ipxe.org/{})",
        http_404_code(firmware)
    ));
    let net1 = c.position(&format!(
        "Looking for a boot config for net1 ({})",
        hexhyp(SECOND_NIC_MAC)
    ));
    let config = c.position("ipxegen: node second-nic-node boot mode deploy");
    assert!(
        net0.is_some() && net0 < not_found && not_found < net1 && net1 < config,
        "NIC loop messages missing or out of order: {net0:?} {not_found:?} {net1:?} \
         {config:?}{report}"
    );
}

/// iPXE's error code for "No configuration methods succeeded", printed when DHCP on a NIC
/// times out. Its last byte is the platform's own code, as in [`http_404_code`].
fn no_configuration_code(firmware: Firmware) -> &'static str {
    match firmware {
        Firmware::Bios => "040ee119",
        Firmware::Uefi => "040ee186",
    }
}

/// A node with two network-boot NICs booting through its second: nothing answers DHCP on the
/// first NIC's network. The kernel's BOOTIF must name the second NIC, the one the boot went
/// through, by whichever NIC's per-MAC entry the config was reached.
///
/// On BIOS the first NIC's iPXE ROM drives both NICs: DHCP on net0 times out, net1 is
/// configured, and the main script's NIC loop finds net0's entry first (both NICs have one).
/// On UEFI the firmware's boot order names the second NIC first (a UEFI firmware gives up on
/// a NIC only after minutes under emulation), and that NIC's iPXE sees its own NIC alone, so
/// the loop finds the second NIC's entry; a BOOTIF fixed when the tree is built would name
/// the first.
fn two_boot_nics_boot_through_the_second(case: &str, firmware: Firmware) {
    let first = format!("net0 {TWO_NIC_FIRST_MAC}");
    let dhcp_timeout = [ExpectedError {
        code: no_configuration_code(firmware),
        line_contains: &first,
    }];
    let (first_boot_nic, expected_errors): (usize, &[ExpectedError<'_>]) = match firmware {
        Firmware::Bios => (0, &dhcp_timeout),
        Firmware::Uefi => (1, &[]),
    };
    let machine = Machine {
        firmware,
        macs: &[TWO_NIC_FIRST_MAC, TWO_NIC_SECOND_MAC],
        no_dhcp: &[0],
        first_boot_nic,
        stop_at: None,
        expected_errors,
    };
    let Some((boot, _dir)) = boot(case, &machine) else {
        return;
    };
    boot.print_summary(case);
    let report = boot.report();
    let matched_entry = match firmware {
        Firmware::Bios => TWO_NIC_FIRST_MAC,
        Firmware::Uefi => TWO_NIC_SECOND_MAC,
    };
    assert_eq!(
        boot.requests,
        boot_requests(&[], matched_entry, "two-nic-node"),
        "HTTP requests{report}"
    );
    assert_eq!(
        boot.errors_seen,
        expected_errors.len(),
        "iPXE's error lines{report}"
    );
    let cmdline = deploy_cmdline(firmware, TWO_NIC_SECOND_MAC, &["ipxegen.node=two-nic-node"]);
    let cmdline: Vec<&str> = cmdline.iter().map(String::as_str).collect();
    assert_booted(&boot, "two-nic-node", &cmdline);
}

#[test]
fn two_boot_nics_boot_through_the_second_on_bios() {
    two_boot_nics_boot_through_the_second("two-nic-bios", Firmware::Bios);
}

#[test]
fn two_boot_nics_boot_through_the_second_on_uefi() {
    two_boot_nics_boot_through_the_second("two-nic-uefi", Firmware::Uefi);
}
