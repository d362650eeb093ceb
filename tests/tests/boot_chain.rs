//! The whole network-boot chain, end to end, with real firmware and real DHCP servers running
//! ipxegen's configs: firmware PXE does DHCP, the server answers with ipxegen's options, the
//! firmware fetches the iPXE loader by TFTP, iPXE does DHCP again and gets the main script's
//! URL, then the script, the node's config, kernel and initrd come over HTTP, and the test
//! initrd prints the kernel command line.
//!
//! Each case runs in a network namespace of its own ([`ipxegen_tests::netns::TestNet`]): a
//! bridge with the server's addresses (192.0.2.1/24, 2001:db8::1/64) and a tap device per
//! guest. The DHCP server (dnsmasq, ISC dhcpd or Kea), the TFTP server (dnsmasq's own, or
//! tftpd-hpa), radvd (IPv6 with ISC and Kea), the HTTP server
//! (`tests/e2e/qemu/http_server.py`) and QEMU itself (`-netdev tap`) run inside it. QEMU starts
//! paused (`-S`) so that its tap has carrier before the servers start (Kea ignores an
//! interface without it), and is resumed once every server listens.
//!
//! Configs: each server runs ipxegen's generated config (`ipxegen dhcp --format ...`) inside
//! the config an operator writes around it, read from README's blocks marked
//! `operator:<name>` (see [`readme_block`]), with the interface and paths replaced by the
//! test's; the test adds only logging and lease-file lines. The trees come from
//! `ipxegen build --loaders /usr/lib/ipxe` (Debian's `ipxe`).
//!
//! Assertions, in order: the DHCP exchanges, TFTP transfers and HTTP requests that crossed the
//! guest's NIC (QEMU's `filter-dump` capture, [`ipxegen_tests::pcap`]), the HTTP server's own
//! log of responses, and the kernel command line the initrd printed.
//!
//! The classic flow (`ipxe_enabled` false, [`Case::classic`]) has no iPXE stage: the NIC's iPXE
//! ROM (BIOS) runs Debian's `pxelinux.0` as a PXE boot program, OVMF's PXE (UEFI) runs Debian's
//! `grubnetx64.efi`, both by TFTP, and they load the node's config, kernel and initrd by TFTP
//! from the tree `ipxegen build` made with Debian's loaders (its default loader directories);
//! nothing goes over HTTP.
//!
//! Firmware: legacy BIOS is SeaBIOS with the NIC's iPXE ROM (iPXE from the first DHCP); UEFI
//! is OVMF with the NIC's option ROM disabled (`romfile=`), so that OVMF's own PXE or HTTP
//! boot runs, not iPXE's UEFI driver; ARM64 is AAVMF, which is offered the ARM64 loader and
//! fetches it (Debian packages no ARM64 iPXE, so the loader is a placeholder and the run stops
//! at the firmware's failure to start it).
//!
//! Every process is bounded by `timeout -s KILL` and killed with its process group when the
//! run ends; the namespace is deleted, also when the test fails. Needs root, iproute2, QEMU,
//! OVMF, AAVMF, ipxe, ipxe-qemu, dnsmasq, isc-dhcp-server, kea, tftpd-hpa, radvd, jq,
//! python3, and for the classic flow pxelinux, syslinux-common and grub-efi-amd64-signed: a missing one fails the test under `CI=true` and skips it (`SKIPPED: ...`)
//! elsewhere. On failure the run's files are kept under `target/tmp/` and named.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test"
)]

use ipxegen_tests::netns::{SERVER_V4, SERVER_V6, TestNet};
use ipxegen_tests::pcap::{Event, assert_in_order, numbered, read_capture};
use ipxegen_tests::qemu::{
    BUSYBOX, E2E_DIR, End, ExpectedError, OVMF_CODE, OVMF_VARS, Watch, Watched, WorkDir, kernel,
    make_initrd, watch_console,
};
use ipxegen_tests::{ProcessGroup, ipxegen_binary, workspace_dir};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Outer bound of every process a run starts.
const LIMIT_S: u32 = 300;
/// Longest a run may take from QEMU's resume.
const HARD_TIMEOUT: Duration = Duration::from_secs(180);
/// Longest the console may stay silent.
const STALL_TIMEOUT: Duration = Duration::from_secs(60);
/// Longest a server may take to listen.
const SERVER_START: Duration = Duration::from_secs(20);

const SITE_TEMPLATE: &str = include_str!("../e2e/qemu/chain-site.json");
/// The node's MAC and the addresses reserved for it in the site.
const MAC: &str = "52:54:00:12:34:56";
const RESERVED_V4: &str = "192.0.2.50";
const RESERVED_V6: &str = "2001:db8::50";
/// The node's SMBIOS system UUID (`system_uuid`), given to QEMU with `-uuid`: iPXE's DHCPv6
/// client identifies itself by it (DUID-UUID), and the IPv6 reservation is keyed by it too.
const SYSTEM_UUID: &str = "0b9c4f5e-1d2a-4c3b-8e7f-123456789abc";
const NODE: &str = "chain-node";

const LOADERS: &str = "/usr/lib/ipxe";
/// The classic flow's loaders as the tree names them, and the Debian file each comes from.
const PXELINUX: &str = "pxelinux.0";
const LDLINUX: &str = "ldlinux.c32";
const GRUB: &str = "grubnetx64.efi";
const CLASSIC_LOADER_FILES: [(&str, &str); 3] = [
    ("/usr/lib/PXELINUX/pxelinux.0", "pxelinux"),
    (
        "/usr/lib/syslinux/modules/bios/ldlinux.c32",
        "syslinux-common",
    ),
    (
        "/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed",
        "grub-efi-amd64-signed",
    ),
];
const X64_LOADER: &str = "snponly.efi";
const ARM64_LOADER: &str = "snponly-arm64.efi";
const AAVMF_CODE: &str = "/usr/share/AAVMF/AAVMF_CODE.fd";
const AAVMF_VARS: &str = "/usr/share/AAVMF/AAVMF_VARS.fd";
/// iPXE's ROM for virtio-net, which SeaBIOS runs (QEMU's default `romfile`).
const IPXE_ROM: &str = "/usr/lib/ipxe/qemu/efi-virtio.rom";

/// The DHCP server of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dhcp {
    Dnsmasq,
    Isc,
    Kea,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ip {
    V4,
    V6,
}

/// The machine and how it boots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Firmware {
    /// SeaBIOS and the NIC's iPXE ROM: iPXE from the first DHCP.
    Bios,
    /// OVMF's own PXE: the loader by TFTP.
    UefiPxe,
    /// OVMF's HTTP boot (PXE off): the loader by HTTP, no TFTP server at all.
    UefiHttp,
    /// AAVMF's PXE, to the loader's fetch.
    Arm64Pxe,
}

/// A change made to ipxegen's generated config, to show that the test fails without it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mutation {
    None,
    /// The iPXE stage's lines removed: iPXE gets no script.
    NoIpxeStage,
    /// The "not iPXE" gate removed with the iPXE tags it reads: iPXE is handed the loader
    /// again. (The gate alone is redundant in dnsmasq, where the iPXE stage's `dhcp-boot`
    /// line comes last and the last matching line wins, and in Kea, where the iPXE class
    /// comes first and the first class's boot file wins: without it, iPXE still gets the
    /// script from both. It matters where an iPXE request also matches a stage-1 rule that
    /// takes precedence, and the loop shows once iPXE is not recognised.)
    NoNotIpxeGate,
    /// The classic flow with the node's per-MAC entries removed from the tree: the machine is
    /// one PXELINUX and GRUB have no config for.
    NoPerMacEntry,
}

struct Case {
    name: &'static str,
    /// The server running ipxegen's config (with `proxy`: the ProxyDHCP server).
    dhcp: Dhcp,
    ip: Ip,
    firmware: Firmware,
    mutation: Mutation,
    /// ProxyDHCP: addresses come from a plain Kea on another host of the network (the
    /// network's own server, with no boot options), boot information from dnsmasq running
    /// ipxegen's `dnsmasq-proxy` config.
    proxy: bool,
    /// The classic flow (`ipxe_enabled` false): PXELINUX (BIOS) or GRUB (UEFI) by TFTP.
    classic: bool,
    /// The classic flow's configs written from operator templates ([`operator_templates`]):
    /// the shipped ones, each adding an argument of its own ([`TEMPLATE_ARGUMENT`]).
    templates: bool,
}

impl Case {
    const fn new(name: &'static str, dhcp: Dhcp, ip: Ip, firmware: Firmware) -> Case {
        Case {
            name,
            dhcp,
            ip,
            firmware,
            mutation: Mutation::None,
            proxy: false,
            classic: false,
            templates: false,
        }
    }

    /// A case of the classic flow: DHCPv4, `firmware` BIOS (PXELINUX) or UEFI PXE (GRUB).
    const fn classic(name: &'static str, dhcp: Dhcp, firmware: Firmware) -> Case {
        Case {
            classic: true,
            ..Case::new(name, dhcp, Ip::V4, firmware)
        }
    }

    /// The server's address of the case's family, as it stands in a URL.
    fn server_in_url(&self) -> String {
        match self.ip {
            Ip::V4 => SERVER_V4.to_owned(),
            Ip::V6 => format!("[{SERVER_V6}]"),
        }
    }

    fn has_tftp(&self) -> bool {
        self.classic || !matches!(self.firmware, Firmware::UefiHttp | Firmware::Bios)
    }
}

// ------------------------------------------------------------------------------------------
// What the machine must have.

fn missing(case: &Case) -> Option<String> {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !is_root {
        return Some("not root (network namespaces need it)".into());
    }
    let mut tools = vec![
        ("ip", "iproute2"),
        ("ss", "iproute2"),
        ("timeout", "coreutils"),
        ("python3", "python3"),
        ("cpio", "cpio"),
    ];
    tools.push(if case.firmware == Firmware::Arm64Pxe {
        ("qemu-system-aarch64", "qemu-system-arm")
    } else {
        ("qemu-system-x86_64", "qemu-system-x86")
    });
    if case.proxy {
        tools.push(("kea-dhcp4", "kea-dhcp4-server"));
    }
    match (case.dhcp, case.ip) {
        (Dhcp::Dnsmasq, _) => tools.push(("dnsmasq", "dnsmasq-base")),
        (Dhcp::Isc, _) => tools.push(("dhcpd", "isc-dhcp-server")),
        (Dhcp::Kea, Ip::V4) => tools.extend([("kea-dhcp4", "kea-dhcp4-server"), ("jq", "jq")]),
        (Dhcp::Kea, Ip::V6) => tools.extend([("kea-dhcp6", "kea-dhcp6-server"), ("jq", "jq")]),
    }
    if case.dhcp != Dhcp::Dnsmasq {
        if case.has_tftp() {
            tools.push(("in.tftpd", "tftpd-hpa"));
        }
        if case.ip == Ip::V6 {
            tools.push(("radvd", "radvd"));
        }
    }
    if let Some(m) = ipxegen_tests::missing_tool(&tools) {
        return Some(m);
    }
    let mut files = vec![(BUSYBOX, "busybox-static")];
    if case.classic {
        files.extend(CLASSIC_LOADER_FILES);
    } else {
        files.push(("/usr/lib/ipxe/snponly.efi", "ipxe"));
    }
    match case.firmware {
        Firmware::Bios => files.push((IPXE_ROM, "ipxe-qemu")),
        Firmware::UefiPxe | Firmware::UefiHttp => {
            files.extend([(OVMF_CODE, "ovmf"), (OVMF_VARS, "ovmf")]);
        }
        Firmware::Arm64Pxe => {
            files.extend([
                (AAVMF_CODE, "qemu-efi-aarch64"),
                (AAVMF_VARS, "qemu-efi-aarch64"),
            ]);
        }
    }
    files
        .into_iter()
        .find(|(f, _)| !Path::new(f).is_file())
        .map(|(f, p)| format!("{f} is missing (Debian package {p})"))
}

// ------------------------------------------------------------------------------------------
// README's operator blocks.

/// The fenced block of README.md whose info string holds `operator:<name>`: what the README
/// tells an operator to write around ipxegen's config for that server.
fn readme_block(name: &str) -> String {
    let readme = std::fs::read_to_string(workspace_dir().join("README.md")).unwrap();
    let marker = format!("operator:{name}");
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let fence = line.trim_start();
        if fence.starts_with("```") && fence.split_whitespace().any(|w| w == marker) {
            let mut block = String::new();
            for l in lines
                .by_ref()
                .take_while(|l| !l.trim_start().starts_with("```"))
            {
                block.push_str(l);
                block.push('\n');
            }
            return block;
        }
    }
    panic!("README.md has no block marked {marker}");
}

/// The README's names, replaced by the run's: the interface, the directory of ipxegen's
/// generated configs, the TFTP root, and the servers' state and config directories.
struct Paths<'a> {
    generated: &'a Path,
    tftp_root: &'a Path,
    state: &'a Path,
}

impl Paths<'_> {
    fn apply(&self, text: &str) -> String {
        let dir = |p: &Path| format!("{}/", p.display());
        text.replace("eth0", "br0")
            .replace("/etc/ipxegen/", &dir(self.generated))
            .replace("/srv/ipxegen/tftp", self.tftp_root.to_str().unwrap())
            .replace("/var/lib/kea/", &dir(self.state))
            .replace("/etc/kea/", &dir(self.state))
    }
}

// ------------------------------------------------------------------------------------------
// The tree and the configs.

/// Writes the case's site and builds its tree under `dir/out`; returns the site file.
fn prepare_site(case: &Case, dir: &Path, kernel: &Path, ramdisk: &Path) -> PathBuf {
    let out = dir.join("out");
    let tftp = match case.ip {
        Ip::V4 => SERVER_V4,
        Ip::V6 => SERVER_V6,
    };
    let mut site = SITE_TEMPLATE
        .replace("@HTTP_SERVER@", &format!("http://{}", case.server_in_url()))
        .replace("@TFTP_SERVER@", tftp)
        .replace("@OUT@", out.to_str().unwrap())
        .replace("@KERNEL@", kernel.to_str().unwrap())
        .replace("@RAMDISK@", ramdisk.to_str().unwrap());
    if case.classic {
        site = site.replacen(
            "\"schema\": 1,",
            "\"schema\": 1,\n  \"ipxe_enabled\": false,",
            1,
        );
    }
    if case.firmware == Firmware::UefiHttp {
        // An HTTP-only site: no TFTP server exists.
        site = site
            .lines()
            .filter(|l| !l.contains("\"tftp_"))
            .collect::<Vec<_>>()
            .join("\n");
    }
    if case.templates {
        let fields = operator_templates(dir);
        site = site.replacen("\"schema\": 1,", &format!("\"schema\": 1,\n  {fields},"), 1);
    }
    let file = dir.join("site.json");
    std::fs::write(&file, site).unwrap();
    // The classic flow's loaders come from Debian's directories, `build`'s default for it.
    build_tree(&file, &out, (!case.classic).then_some(LOADERS));
    if case.mutation == Mutation::NoPerMacEntry {
        let mac = hexhyp(MAC);
        for entry in [
            format!("pxelinux.cfg/01-{mac}"),
            format!("grub/grub.cfg-01-{mac}"),
        ] {
            std::fs::remove_file(out.join("tftp").join(entry)).unwrap();
        }
    }
    if case.firmware == Firmware::Arm64Pxe {
        // No ARM64 iPXE is packaged: `build` warned; the operator would place one by hand.
        std::fs::write(
            out.join("tftp").join(ARM64_LOADER),
            b"placeholder ARM64 loader\n",
        )
        .unwrap();
    }
    file
}

/// `ipxegen build SITE --out OUT [--loaders LOADERS]`.
fn build_tree(site: &Path, out: &Path, loaders: Option<&str>) {
    let mut command = Command::new(ipxegen_binary());
    command.arg("build").arg(site).arg("--out").arg(out);
    if let Some(loaders) = loaders {
        command.args(["--loaders", loaders]);
    }
    let result = command.stdin(Stdio::null()).output().unwrap();
    assert!(
        result.status.success(),
        "ipxegen build failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// `ipxegen dhcp SITE --format FORMAT`.
fn generate(site: &Path, format: &str) -> String {
    let result = Command::new(ipxegen_binary())
        .arg("dhcp")
        .arg(site)
        .args(["--format", format])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "ipxegen dhcp --format {format} failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    String::from_utf8(result.stdout).unwrap()
}

/// Applies a negative control's change to ipxegen's dnsmasq config; asserts it changed it.
fn mutate_dnsmasq(config: &str, mutation: Mutation) -> String {
    let changed: String = match mutation {
        // A change to the tree, not to the config (see `prepare_site`).
        Mutation::None | Mutation::NoPerMacEntry => return config.to_owned(),
        Mutation::NoIpxeStage => config
            .lines()
            .filter(|l| {
                !l.starts_with("dhcp-boot=tag:ipxe,") && !l.starts_with("dhcp-option=tag:ipxe,")
            })
            .map(|l| format!("{l}\n"))
            .collect(),
        // Without the gate and the tags it reads, iPXE's request is one more firmware request.
        Mutation::NoNotIpxeGate => config
            .lines()
            .filter(|l| {
                !l.starts_with("dhcp-match=set:ipxe,") && !l.starts_with("dhcp-userclass=set:ipxe")
            })
            .map(|l| format!("{}\n", l.replace("tag:!ipxe,", "")))
            .collect(),
    };
    assert_ne!(changed, config, "{mutation:?} changed nothing");
    changed
}

// ------------------------------------------------------------------------------------------
// Servers.

/// A server started in the namespace, with its log.
struct Server {
    name: String,
    group: ProcessGroup,
    log: PathBuf,
}

/// Starts `command` (made with [`TestNet::command`]) with its output in `dir/<name>.log`.
fn start(name: &str, mut command: Command, dir: &Path) -> Server {
    let log = dir.join(format!("{name}.log"));
    let file = std::fs::File::create(&log).unwrap();
    command
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file);
    Server {
        name: name.to_owned(),
        group: ProcessGroup::spawn(command),
        log,
    }
}

/// Waits until `server` listens on `port`; panics with its log when it does not.
fn wait_listening(ns: &str, server: &mut Server, proto: &str, port: u16) {
    if TestNet::wait_for_port(ns, proto, port, SERVER_START) {
        return;
    }
    let status = server.group.child_mut().try_wait();
    panic!(
        "{} does not listen on {proto} port {port} after {SERVER_START:?} (exit: {status:?}); its log:\n{}",
        server.name,
        std::fs::read_to_string(&server.log).unwrap_or_default()
    );
}

/// The servers of one case, in the case's namespace.
struct Servers {
    running: Vec<Server>,
    http_log: PathBuf,
}

impl Servers {
    fn start(case: &Case, net: &mut TestNet, dir: &Path, site: &Path) -> Servers {
        let ns_name = net.ns.clone();
        let ns = ns_name.as_str();
        let tftp_root = dir.join("out/tftp");
        let generated = dir.join("generated");
        let state = dir.join("state");
        std::fs::create_dir_all(&generated).unwrap();
        std::fs::create_dir_all(&state).unwrap();
        let paths = Paths {
            generated: &generated,
            tftp_root: &tftp_root,
            state: &state,
        };
        let mut running = Vec::new();

        // HTTP, on every address of the namespace.
        let http_log = dir.join("http-responses.log");
        let mut http = TestNet::command(ns, LIMIT_S, "python3");
        http.arg(Path::new(E2E_DIR).join("http_server.py"))
            .arg(dir.join("out/http"))
            .arg(&http_log)
            .args(["::", "80"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(dir.join("http.log")).unwrap());
        let mut group = ProcessGroup::spawn(http);
        let mut line = String::new();
        BufReader::new(group.child_mut().stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "80", "the HTTP server did not start");
        running.push(Server {
            name: "http".into(),
            group,
            log: dir.join("http.log"),
        });

        let v = match case.ip {
            Ip::V4 => "v4",
            Ip::V6 => "v6",
        };
        let dhcp_port = match case.ip {
            Ip::V4 => 67,
            Ip::V6 => 547,
        };
        match case.dhcp {
            Dhcp::Dnsmasq if case.proxy => {
                running.push(start_address_server(net, dir));
                std::fs::write(
                    generated.join("proxy.conf"),
                    generate(site, "dnsmasq-proxy"),
                )
                .unwrap();
                let operator = paths.apply(&readme_block("dnsmasq-proxy"));
                let harness = format!(
                    "# The test's own lines: log to stdout, state in the run's directory.\n\
                     log-dhcp\nlog-facility=-\npid-file=\ndhcp-leasefile={}\n",
                    state.join("proxy.leases").display()
                );
                let conf = dir.join("dnsmasq-proxy-full.conf");
                std::fs::write(&conf, format!("{operator}{harness}")).unwrap();
                let mut command = TestNet::command(ns, LIMIT_S, "dnsmasq");
                command.arg("-k").arg("-C").arg(&conf);
                let mut server = start("dnsmasq-proxy", command, dir);
                wait_listening(ns, &mut server, "udp", 67);
                wait_listening(ns, &mut server, "udp", 4011);
                running.push(server);
            }
            Dhcp::Dnsmasq => {
                let ours = mutate_dnsmasq(&generate(site, "dnsmasq"), case.mutation);
                std::fs::write(generated.join("dnsmasq.conf"), ours).unwrap();
                let mut operator = paths.apply(&readme_block(&format!("dnsmasq-{v}")));
                if !case.has_tftp() {
                    operator = operator
                        .lines()
                        .filter(|l| !l.starts_with("enable-tftp") && !l.starts_with("tftp-root"))
                        .map(|l| format!("{l}\n"))
                        .collect();
                }
                let harness = format!(
                    "# The test's own lines: no DNS, log to stdout, leases in the run's directory.\n\
                     port=0\nlog-dhcp\nlog-facility=-\npid-file=\ndhcp-leasefile={}\n",
                    state.join("dnsmasq.leases").display()
                );
                let conf = dir.join("dnsmasq-full.conf");
                std::fs::write(&conf, format!("{operator}{harness}")).unwrap();
                let mut command = TestNet::command(ns, LIMIT_S, "dnsmasq");
                command.arg("-k").arg("-C").arg(&conf);
                let mut server = start("dnsmasq", command, dir);
                wait_listening(ns, &mut server, "udp", dhcp_port);
                running.push(server);
            }
            Dhcp::Isc => {
                let (format, file, flag) = match case.ip {
                    Ip::V4 => ("isc", "dhcpd.conf", "-4"),
                    Ip::V6 => ("isc6", "dhcpd6.conf", "-6"),
                };
                assert_eq!(case.mutation, Mutation::None);
                std::fs::write(generated.join(file), generate(site, format)).unwrap();
                let conf = dir.join(format!("full-{file}"));
                std::fs::write(&conf, paths.apply(&readme_block(&format!("isc-{v}")))).unwrap();
                let leases = state.join(format!("{file}.leases"));
                std::fs::write(&leases, "").unwrap();
                let mut command = TestNet::command(ns, LIMIT_S, "dhcpd");
                command
                    .args([flag, "-f", "-d", "-cf"])
                    .arg(&conf)
                    .arg("-lf")
                    .arg(&leases)
                    .arg("-pf")
                    .arg(state.join(format!("{file}.pid")))
                    .arg("br0");
                let mut server = start("dhcpd", command, dir);
                wait_listening(ns, &mut server, "udp", dhcp_port);
                running.push(server);
            }
            Dhcp::Kea => {
                let (format, program, key) = match case.ip {
                    Ip::V4 => ("kea4", "kea-dhcp4", "Dhcp4"),
                    Ip::V6 => ("kea6", "kea-dhcp6", "Dhcp6"),
                };
                assert_eq!(case.mutation, Mutation::None);
                std::fs::write(
                    generated.join(format!("{program}.json")),
                    generate(site, format),
                )
                .unwrap();
                std::fs::write(
                    state.join(format!("{program}-site.json")),
                    paths.apply(&readme_block(&format!("kea-{v}"))),
                )
                .unwrap();
                let merge = paths.apply(&readme_block(&format!("kea-{v}-merge")));
                let merged = Command::new("bash")
                    .args(["-euo", "pipefail", "-c", &merge])
                    .output()
                    .unwrap();
                assert!(
                    merged.status.success(),
                    "README's merge failed: {merge}{}",
                    String::from_utf8_lossy(&merged.stderr)
                );
                // The test's own additions: log to stdout; DHCPv6's server DUID file in the run's
                // directory instead of /var/lib/kea.
                let conf = state.join(format!("{program}.conf"));
                let mut addition = format!(
                    ".{key}.loggers = [{{\"name\": \"{program}\", \"severity\": \"INFO\", \
                     \"output_options\": [{{\"output\": \"stdout\"}}]}}]"
                );
                if case.ip == Ip::V6 {
                    let _ = write!(
                        addition,
                        " | .Dhcp6[\"data-directory\"] = \"{}\"",
                        state.display()
                    );
                }
                let logged = Command::new("jq")
                    .arg(addition)
                    .arg(&conf)
                    .output()
                    .unwrap();
                assert!(logged.status.success());
                let conf = dir.join(format!("{program}-full.conf"));
                std::fs::write(&conf, logged.stdout).unwrap();
                let mut command = TestNet::command(ns, LIMIT_S, program);
                command
                    .arg("-c")
                    .arg(&conf)
                    .env("KEA_PIDFILE_DIR", &state)
                    .env("KEA_LOCKFILE_DIR", &state);
                let mut server = start(program, command, dir);
                wait_listening(ns, &mut server, "udp", dhcp_port);
                running.push(server);
            }
        }
        if case.dhcp != Dhcp::Dnsmasq {
            if case.has_tftp() {
                let address = match case.ip {
                    Ip::V4 => format!("{SERVER_V4}:69"),
                    Ip::V6 => format!("[{SERVER_V6}]:69"),
                };
                let mut command = TestNet::command(ns, LIMIT_S, "in.tftpd");
                command
                    .args([
                        "--foreground",
                        "--secure",
                        "--verbose",
                        "--address",
                        &address,
                    ])
                    .arg(&tftp_root);
                let mut server = start("tftpd", command, dir);
                wait_listening(ns, &mut server, "udp", 69);
                running.push(server);
            }
            if case.ip == Ip::V6 {
                let conf = dir.join("radvd.conf");
                std::fs::write(&conf, paths.apply(&readme_block("radvd"))).unwrap();
                let mut command = TestNet::command(ns, LIMIT_S, "radvd");
                command
                    .args(["--nodaemon", "--logmethod", "stderr", "--config"])
                    .arg(&conf)
                    .arg("--pidfile")
                    .arg(state.join("radvd.pid"));
                let mut server = start("radvd", command, dir);
                std::thread::sleep(Duration::from_millis(300));
                if let Ok(Some(status)) = server.group.child_mut().try_wait() {
                    panic!(
                        "radvd exited ({status}): {}",
                        std::fs::read_to_string(&server.log).unwrap_or_default()
                    );
                }
                running.push(server);
            }
        }
        Servers { running, http_log }
    }

    /// Stops every server; returns the HTTP server's responses (`METHOD PATH STATUS CLIENT`).
    fn stop(mut self) -> (Vec<String>, String) {
        let mut logs = String::new();
        for server in &mut self.running {
            server.group.kill();
            let text = std::fs::read_to_string(&server.log).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let tail = lines.len().saturating_sub(80);
            let _ = writeln!(logs, "--- {} (last 80 lines):", server.name);
            for l in &lines[tail..] {
                let _ = writeln!(logs, "    {l}");
            }
        }
        let responses = std::fs::read_to_string(&self.http_log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect();
        (responses, logs)
    }
}

/// The network's own DHCP server, which the operator of a ProxyDHCP does not control: a
/// plain Kea on another host (192.0.2.2), handing out addresses and no boot options.
fn start_address_server(net: &mut TestNet, dir: &Path) -> Server {
    let host = net.add_host("dhcp", "192.0.2.2");
    let state = dir.join("address-server");
    std::fs::create_dir_all(&state).unwrap();
    let conf = state.join("kea-dhcp4.conf");
    std::fs::write(
        &conf,
        r#"{"Dhcp4": {
  "interfaces-config": {"interfaces": ["eth0"]},
  "lease-database": {"type": "memfile", "persist": false},
  "subnet4": [{"id": 1, "subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.100 - 192.0.2.199"}]}],
  "loggers": [{"name": "kea-dhcp4", "severity": "INFO", "output_options": [{"output": "stdout"}]}]
}}
"#,
    )
    .unwrap();
    let mut command = TestNet::command(&host, LIMIT_S, "kea-dhcp4");
    command
        .arg("-c")
        .arg(&conf)
        .env("KEA_PIDFILE_DIR", &state)
        .env("KEA_LOCKFILE_DIR", &state);
    let mut server = start("address-server-kea", command, dir);
    wait_listening(&host, &mut server, "udp", 67);
    server
}

// ------------------------------------------------------------------------------------------
// QEMU.

/// One guest: its NIC's tap and MAC.
struct Guest<'a> {
    tap: &'a str,
    mac: &'a str,
}

fn qemu_command(case: &Case, ns: &str, guest: &Guest<'_>, dir: &Path, tag: &str) -> Command {
    let arm = case.firmware == Firmware::Arm64Pxe;
    let program = if arm {
        "qemu-system-aarch64"
    } else {
        "qemu-system-x86_64"
    };
    let mut qemu = TestNet::command(ns, LIMIT_S, program);
    if arm {
        qemu.args(["-M", "virt", "-cpu", "cortex-a57"]);
    }
    qemu.args([
        "-m",
        "512",
        "-nographic",
        "-no-reboot",
        "-S",
        "-uuid",
        SYSTEM_UUID,
    ]);
    qemu.arg("-monitor").arg(format!(
        "unix:{},server=on,wait=off",
        dir.join(format!("{tag}-monitor.sock")).display()
    ));
    let (code, vars) = match case.firmware {
        Firmware::Bios => (None, None),
        Firmware::UefiPxe | Firmware::UefiHttp => (Some(OVMF_CODE), Some(OVMF_VARS)),
        Firmware::Arm64Pxe => (Some(AAVMF_CODE), Some(AAVMF_VARS)),
    };
    if let (Some(code), Some(vars)) = (code, vars) {
        let copy = dir.join(format!("{tag}-vars.fd"));
        std::fs::copy(vars, &copy).unwrap();
        qemu.arg("-drive")
            .arg(format!("if=pflash,format=raw,readonly=on,file={code}"));
        qemu.arg("-drive")
            .arg(format!("if=pflash,format=raw,file={}", copy.display()));
    } else {
        qemu.args(["-boot", "n"]);
    }
    // OVMF tries PXE over IPv4, PXE over IPv6, then HTTP boot: turn off what the case
    // does not test, so that each case sees only its own stage 1.
    let off = |qemu: &mut Command, what: &str| {
        qemu.arg("-fw_cfg")
            .arg(format!("name=opt/org.tianocore/{what},string=n"));
    };
    match (case.firmware, case.ip) {
        (Firmware::UefiPxe | Firmware::Arm64Pxe, Ip::V4) => off(&mut qemu, "IPv6PXESupport"),
        (Firmware::UefiPxe | Firmware::Arm64Pxe, Ip::V6) => off(&mut qemu, "IPv4PXESupport"),
        (Firmware::UefiHttp, _) => {
            off(&mut qemu, "IPv4PXESupport");
            off(&mut qemu, "IPv6PXESupport");
        }
        (Firmware::Bios, _) => {}
    }
    qemu.arg("-netdev").arg(format!(
        "tap,id=n0,ifname={},script=no,downscript=no,vnet_hdr=off",
        guest.tap
    ));
    // BIOS keeps the NIC's default ROM (iPXE); UEFI and ARM64 run the firmware's own PXE.
    let rom = if case.firmware == Firmware::Bios {
        ""
    } else {
        ",romfile="
    };
    qemu.arg("-device").arg(format!(
        "virtio-net-pci,netdev=n0,mac={},bootindex=1{rom}",
        guest.mac
    ));
    qemu.arg("-object").arg(format!(
        "filter-dump,id=d0,netdev=n0,file={}",
        dir.join(format!("{tag}.pcap")).display()
    ));
    qemu
}

/// Starts a paused guest; returns it and its monitor socket.
fn start_guest(case: &Case, ns: &str, guest: &Guest<'_>, dir: &Path, tag: &str) -> ProcessGroup {
    let mut command = qemu_command(case, ns, guest, dir, tag);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(dir.join(format!("{tag}-qemu.stderr"))).unwrap());
    ProcessGroup::spawn(command)
}

/// Resumes a guest started with `-S`, through its monitor socket.
fn resume(dir: &Path, tag: &str) {
    let socket = dir.join(format!("{tag}-monitor.sock"));
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let mut stream = loop {
        match std::os::unix::net::UnixStream::connect(&socket) {
            Ok(s) => break s,
            Err(e) if std::time::Instant::now() >= deadline => {
                panic!("QEMU's monitor {} does not answer: {e}", socket.display())
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    // The monitor prints its banner and prompt, then a prompt after each command: the second
    // prompt means `cont` ran (closing the socket before could drop the command).
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(b"cont\n").unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 512];
    while seen.windows(6).filter(|w| w == b"(qemu)").count() < 2 {
        match std::io::Read::read(&mut stream, &mut buf) {
            Ok(n) if n > 0 => seen.extend_from_slice(&buf[..n]),
            _ => panic!(
                "QEMU's monitor did not run `cont`: {}",
                String::from_utf8_lossy(&seen)
            ),
        }
    }
}

/// When a case's run is over, by its firmware and mutation.
fn watch_of(case: &Case) -> Watch<'static> {
    let (stop_at, stop_count) = match (case.firmware, case.mutation) {
        // The loop: iPXE starts again and again; three starts prove it.
        (_, Mutation::NoNotIpxeGate) => (Some("iPXE initialising devices"), 3),
        // iPXE got no script and gives up on the NIC.
        (_, Mutation::NoIpxeStage) => (Some("Nothing to boot"), 1),
        // The placeholder loader was fetched; the firmware cannot start it.
        (Firmware::Arm64Pxe, _) => (Some("failed to load Boot"), 1),
        // A machine without a config: the loader says so and hands back to the firmware.
        (Firmware::Bios, Mutation::NoPerMacEntry) => (Some("ipxegen: no PXELINUX config"), 1),
        (_, Mutation::NoPerMacEntry) => (Some("ipxegen: no GRUB config"), 1),
        // Run to the initrd's power-off.
        _ => (None, 1),
    };
    // "Nothing to boot" is itself an iPXE error line (UEFI: ipxe.org/2d03e18e): expected, so
    // that the stop on it does not depend on how the console's output is chunked.
    const NOTHING_TO_BOOT: &[ExpectedError<'static>] = &[ExpectedError {
        code: "2d03e18e",
        line_contains: "Nothing to boot",
    }];
    Watch {
        stop_at,
        stop_count,
        expected_errors: if case.mutation == Mutation::NoIpxeStage {
            NOTHING_TO_BOOT
        } else {
            &[]
        },
        hard: HARD_TIMEOUT,
        stall: STALL_TIMEOUT,
    }
}

/// What one run saw.
struct Run {
    watched: Watched,
    events: Vec<Event>,
    responses: Vec<String>,
    logs: String,
    /// The run's directory when the run owns it (kept if the test fails).
    _dir: Option<WorkDir>,
    dir: PathBuf,
}

impl Run {
    fn report(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "\n--- end: {:?} after {:.1} s (files in {})",
            self.watched.end,
            self.watched.elapsed.as_secs_f64(),
            self.dir.display()
        );
        let lines: Vec<String> = self.events.iter().map(Event::line).collect();
        let _ = writeln!(out, "--- what crossed the NIC:\n{}", numbered(&lines));
        let _ = writeln!(out, "--- HTTP responses:");
        for r in &self.responses {
            let _ = writeln!(out, "    {r}");
        }
        let c = &self.watched.console;
        let _ = writeln!(out, "--- console (last 40 logical lines):");
        for l in c.logical.iter().skip(c.logical.len().saturating_sub(40)) {
            let _ = writeln!(out, "    {l}");
        }
        out.push_str(&self.logs);
        out
    }
}

/// Runs `case` on one guest; `None` when skipped.
fn run(case: &Case) -> Option<Run> {
    let test = format!("boot_chain {}", case.name);
    if !ipxegen_tests::ready_or_skip(&test, missing(case)) {
        return None;
    }
    let kernel = kernel();
    if !ipxegen_tests::ready_or_skip(&test, kernel.as_ref().err().cloned()) {
        return None;
    }
    let kernel = kernel.unwrap();
    let work = WorkDir::new("boot-chain", case.name);
    let dir = work.0.clone();
    let ramdisk = dir.join("initrd.cpio.gz");
    make_initrd(&ramdisk).unwrap();
    let site = prepare_site(case, &dir, &kernel, &ramdisk);

    let mut net = TestNet::new(case.name, 1);
    let guest = Guest {
        tap: "tap0",
        mac: MAC,
    };
    let mut qemu = start_guest(case, &net.ns, &guest, &dir, "guest");
    let servers = Servers::start(case, &mut net, &dir, &site);
    resume(&dir, "guest");
    let watched = watch_console(&mut qemu, &watch_of(case));
    drop(qemu);
    let (responses, logs) = servers.stop();
    drop(net);
    std::fs::write(dir.join("console.log"), &watched.console.raw).unwrap();
    let events = read_capture(&dir.join("guest.pcap")).unwrap();
    let run = Run {
        watched,
        events,
        responses,
        logs,
        _dir: Some(work),
        dir,
    };
    println!(
        "{}: {:?} after {:.1} s",
        case.name,
        run.watched.end,
        run.watched.elapsed.as_secs_f64()
    );
    Some(run)
}

// ------------------------------------------------------------------------------------------
// Assertions.

fn hexhyp(mac: &str) -> String {
    mac.replace(':', "-")
}

/// One step of the boot flow: who sends what to whom, in words for README's diagram, and the
/// words its line in the capture holds ([`Event::line`]).
struct Step {
    from: &'static str,
    to: &'static str,
    what: String,
    words: String,
}

fn step(from: &'static str, to: &'static str, what: String, words: String) -> Step {
    Step {
        from,
        to,
        what,
        words,
    }
}

/// The HTTP requests of the node's boot, from the main script to the initrd.
fn node_requests(client: &'static str) -> Vec<Step> {
    let get = |path: String, what: &str| {
        step(
            client,
            "HTTP",
            format!("GET {path} ({what})"),
            format!("http GET {path}"),
        )
    };
    vec![
        get("/boot.ipxe".into(), "main script"),
        get(
            format!("/pxelinux.cfg/{}", hexhyp(MAC)),
            "the node's config, by MAC",
        ),
        get(format!("/{NODE}/deploy_kernel"), "kernel"),
        get(format!("/{NODE}/deploy_ramdisk"), "initrd"),
    ]
}

/// The DHCP, TFTP and HTTP of stage 1 and stage 2, as the case's firmware and family do them.
fn expected_steps(case: &Case) -> Vec<Step> {
    let server = case.server_in_url();
    let script = format!("http://{server}/boot.ipxe");
    let mut seq: Vec<Step> = Vec::new();
    let loader = if case.firmware == Firmware::Arm64Pxe {
        ARM64_LOADER
    } else {
        X64_LOADER
    };
    let loader_size = std::fs::metadata(Path::new(LOADERS).join(X64_LOADER))
        .map(|m| m.len())
        .unwrap_or(0);
    let arch = match case.firmware {
        Firmware::Bios => 0,
        Firmware::UefiPxe => 7,
        Firmware::UefiHttp => 16,
        Firmware::Arm64Pxe => 11,
    };
    let fw = "firmware";
    let dhcp = "DHCP";
    if case.classic {
        return classic_steps(case);
    }
    if case.proxy {
        return proxy_steps(case, loader_size);
    }
    match (case.firmware, case.ip) {
        (Firmware::Bios, _) => {}
        (Firmware::UefiPxe | Firmware::Arm64Pxe, Ip::V4) => {
            let reply = |m: &str| {
                step(
                    dhcp,
                    fw,
                    format!("{m} {RESERVED_V4}, next-server {SERVER_V4}, file {loader}"),
                    format!("dhcp4 {m} siaddr={SERVER_V4} file={loader} yiaddr={RESERVED_V4}"),
                )
            };
            let ask = |m: &str| {
                step(
                    fw,
                    dhcp,
                    format!("{m}, arch {arch} (PXEClient, not iPXE)"),
                    format!("dhcp4 {m} client=firmware arch={arch}"),
                )
            };
            seq.extend([
                ask("DISCOVER"),
                reply("OFFER"),
                ask("REQUEST"),
                reply("ACK"),
            ]);
            seq.push(step(
                fw,
                "TFTP",
                format!("read {loader}"),
                format!("tftp RRQ file={loader} complete"),
            ));
        }
        (Firmware::UefiPxe | Firmware::Arm64Pxe, Ip::V6) => {
            let url = format!("tftp://[{SERVER_V6}]/{loader}");
            let reply = |m: &str| {
                step(
                    dhcp,
                    fw,
                    format!("{m}, bootfile-url {url}"),
                    format!("dhcp6 {m} bootfile={url}"),
                )
            };
            let ask = |m: &str| {
                step(
                    fw,
                    dhcp,
                    format!("{m}, arch {arch} (not iPXE)"),
                    format!("dhcp6 {m} client=firmware arch={arch}"),
                )
            };
            seq.push(step(
                "router",
                "all",
                "router advertisement, M flag: addresses and options by DHCPv6".into(),
                "icmp6 RA managed=true".into(),
            ));
            seq.extend([
                ask("SOLICIT"),
                reply("ADVERTISE"),
                ask("REQUEST"),
                reply("REPLY"),
            ]);
            seq.push(step(
                fw,
                "TFTP",
                format!("read {loader} over IPv6"),
                format!("tftp RRQ file={loader} complete"),
            ));
            if case.firmware == Firmware::UefiPxe {
                // Before it starts the loader: the address is free for iPXE.
                seq.push(step(
                    fw,
                    dhcp,
                    "RELEASE of its address, before it starts the loader".into(),
                    "dhcp6 RELEASE".into(),
                ));
            }
        }
        (Firmware::UefiHttp, _) => {
            let url = format!("http://{server}/{loader}");
            let ask = |m: &str| {
                step(
                    fw,
                    dhcp,
                    format!("{m}, arch {arch}, vendor class HTTPClient"),
                    format!(
                        "dhcp4 {m} client=firmware arch={arch} class=HTTPClient:Arch:00016:UNDI:003000"
                    ),
                )
            };
            let reply = |m: &str| {
                step(
                    dhcp,
                    fw,
                    format!("{m} {RESERVED_V4}, vendor class HTTPClient, file {url}"),
                    format!("dhcp4 {m} class=HTTPClient file={url} yiaddr={RESERVED_V4}"),
                )
            };
            seq.extend([
                ask("DISCOVER"),
                reply("OFFER"),
                ask("REQUEST"),
                reply("ACK"),
            ]);
            seq.push(step(
                fw,
                "HTTP",
                format!("GET /{loader}"),
                format!("http GET /{loader}"),
            ));
        }
    }
    if case.firmware == Firmware::Arm64Pxe {
        return seq;
    }
    // The x64 loader arrives whole: as many bytes as the file has.
    if case.firmware == Firmware::UefiPxe
        && loader_size > 0
        && let Some(tftp) = seq.iter_mut().find(|s| s.words.starts_with("tftp RRQ"))
    {
        let _ = write!(tftp.words, " bytes={loader_size}");
    }
    let ipxe = "iPXE";
    match case.ip {
        Ip::V4 => {
            let ask = |m: &str| {
                step(
                    ipxe,
                    dhcp,
                    format!("{m}, iPXE (option 175, user class iPXE)"),
                    format!("dhcp4 {m} client=ipxe"),
                )
            };
            let reply = |m: &str| {
                step(
                    dhcp,
                    ipxe,
                    format!("{m} {RESERVED_V4}, file {script}"),
                    format!("dhcp4 {m} file={script} yiaddr={RESERVED_V4}"),
                )
            };
            seq.push(ask("DISCOVER"));
            if case.mutation == Mutation::NoIpxeStage {
                return seq;
            }
            seq.extend([reply("OFFER"), ask("REQUEST"), reply("ACK")]);
        }
        Ip::V6 => {
            let ask = |m: &str| {
                step(
                    ipxe,
                    dhcp,
                    format!("{m}, iPXE (user class iPXE)"),
                    format!("dhcp6 {m} client=ipxe"),
                )
            };
            // iPXE's DUID-UUID matches the reservation keyed by `system_uuid`.
            let reply = |m: &str| {
                step(
                    dhcp,
                    ipxe,
                    format!("{m} {RESERVED_V6}, bootfile-url {script}"),
                    format!("dhcp6 {m} addr={RESERVED_V6} bootfile={script}"),
                )
            };
            seq.push(step(
                "router",
                "all",
                "router advertisement, M flag: addresses and options by DHCPv6".into(),
                "icmp6 RA managed=true".into(),
            ));
            seq.extend([
                ask("SOLICIT"),
                reply("ADVERTISE"),
                ask("REQUEST"),
                reply("REPLY"),
            ]);
        }
    }
    seq.extend(node_requests(ipxe));
    seq
}

/// [`expected_steps`] with a ProxyDHCP server: the network's DHCP server gives the address
/// (and no boot file), the proxy gives the boot information and no address.
fn proxy_steps(case: &Case, loader_size: u64) -> Vec<Step> {
    let script = format!("http://{SERVER_V4}/boot.ipxe");
    let (fw, ipxe, dhcp, proxy) = ("firmware", "iPXE", "DHCP", "proxy");
    let mut seq = Vec::new();
    if case.firmware == Firmware::UefiPxe {
        seq.extend([
            step(
                fw,
                "all",
                "DISCOVER, arch 7 (PXEClient, not iPXE)".into(),
                "dhcp4 DISCOVER client=firmware arch=7".into(),
            ),
            step(
                proxy,
                fw,
                format!("OFFER, no address, PXEClient, boot server {SERVER_V4}"),
                format!("dhcp4 OFFER class=PXEClient siaddr={SERVER_V4} no-lease"),
            ),
            step(
                fw,
                dhcp,
                "REQUEST the address the DHCP server offered".into(),
                "dhcp4 REQUEST client=firmware arch=7".into(),
            ),
            step(
                dhcp,
                fw,
                "ACK, an address from its pool, no boot file".into(),
                "dhcp4 ACK lease".into(),
            ),
            step(
                fw,
                proxy,
                "REQUEST to port 4011: which boot file?".into(),
                "dhcp4 REQUEST client=firmware arch=7 port=4011".into(),
            ),
            step(
                proxy,
                fw,
                format!("ACK from port 4011, file {X64_LOADER}"),
                format!(
                    "dhcp4 ACK class=PXEClient siaddr={SERVER_V4} file={X64_LOADER} no-lease port=4011"
                ),
            ),
            step(
                fw,
                "TFTP",
                format!("read {X64_LOADER}"),
                format!("tftp RRQ file={X64_LOADER} complete bytes={loader_size}"),
            ),
        ]);
    }
    seq.extend([
        step(
            ipxe,
            "all",
            "DISCOVER, iPXE (option 175, user class iPXE)".into(),
            "dhcp4 DISCOVER client=ipxe".into(),
        ),
        step(
            proxy,
            ipxe,
            format!("OFFER, no address, next-server {SERVER_V4}, file {script}"),
            format!("dhcp4 OFFER class=PXEClient siaddr={SERVER_V4} file={script} no-lease"),
        ),
        step(
            ipxe,
            dhcp,
            "REQUEST the address the DHCP server offered".into(),
            "dhcp4 REQUEST client=ipxe".into(),
        ),
        step(
            dhcp,
            ipxe,
            "ACK, an address from its pool".into(),
            "dhcp4 ACK lease".into(),
        ),
    ]);
    seq.extend(node_requests(ipxe));
    seq
}

/// [`expected_steps`] of the classic flow: the firmware's DHCP (BIOS: the NIC's iPXE ROM, which
/// is its PXE firmware) gets PXELINUX or GRUB, which read the node's config by its MAC, then
/// the kernel and initrd, all by TFTP (PXELINUX asks for the config of the machine's UUID
/// first, GRUB for its module lists; those requests fail and are not listed).
fn classic_steps(case: &Case) -> Vec<Step> {
    let bios = case.firmware == Firmware::Bios;
    let (client, arch, loader) = if bios {
        ("iPXE ROM", 0, PXELINUX)
    } else {
        ("firmware", 7, GRUB)
    };
    let asking = if bios { "ipxe" } else { "firmware" };
    let ask = |m: &str| {
        step(
            client,
            "DHCP",
            format!("{m}, arch {arch} (PXEClient)"),
            format!("dhcp4 {m} client={asking} arch={arch}"),
        )
    };
    let reply = |m: &str| {
        step(
            "DHCP",
            client,
            format!("{m} {RESERVED_V4}, next-server {SERVER_V4}, file {loader}"),
            format!("dhcp4 {m} siaddr={SERVER_V4} file={loader} yiaddr={RESERVED_V4}"),
        )
    };
    let read = |who: &'static str, file: &str, what: &str| {
        step(
            who,
            "TFTP",
            format!("read {file}{what}"),
            format!("tftp RRQ file={file} complete"),
        )
    };
    let mut seq = if case.proxy {
        // BIOS only (GRUB cannot boot through ProxyDHCP): dnsmasq's one-item PXE menu, which
        // the ROM takes to port 4011.
        vec![
            step(
                client,
                "all",
                format!("DISCOVER, arch {arch} (PXEClient)"),
                format!("dhcp4 DISCOVER client={asking} arch={arch}"),
            ),
            step(
                "proxy",
                client,
                "OFFER, no address, PXE menu of one item".into(),
                "dhcp4 OFFER class=PXEClient no-lease option43".into(),
            ),
            step(
                client,
                "DHCP",
                "REQUEST the address the DHCP server offered".into(),
                format!("dhcp4 REQUEST client={asking} arch={arch}"),
            ),
            step(
                "DHCP",
                client,
                "ACK, an address from its pool".into(),
                "dhcp4 ACK lease".into(),
            ),
            step(
                client,
                "proxy",
                "REQUEST to port 4011: the menu's item".into(),
                format!("dhcp4 REQUEST client={asking} arch={arch} option43 port=4011"),
            ),
            step(
                "proxy",
                client,
                format!("ACK from port 4011, next-server {SERVER_V4}, file {loader}"),
                format!("dhcp4 ACK class=PXEClient siaddr={SERVER_V4} file={loader} port=4011"),
            ),
            read(client, loader, ""),
        ]
    } else {
        vec![
            ask("DISCOVER"),
            reply("OFFER"),
            ask("REQUEST"),
            reply("ACK"),
            read(client, loader, ""),
        ]
    };
    let mac = hexhyp(MAC);
    if bios {
        seq.extend([
            read("PXELINUX", LDLINUX, ""),
            read(
                "PXELINUX",
                &format!("pxelinux.cfg/01-{mac}"),
                " (the node's config, by MAC)",
            ),
            read("PXELINUX", &format!("{NODE}/deploy_kernel"), " (kernel)"),
            read("PXELINUX", &format!("{NODE}/deploy_ramdisk"), " (initrd)"),
        ]);
    } else {
        seq.extend([
            read("GRUB", "/grub/grub.cfg", ""),
            read(
                "GRUB",
                &format!("/grub/grub.cfg-01-{mac}"),
                " (the node's config, by MAC)",
            ),
            read("GRUB", &format!("/{NODE}/deploy_kernel"), " (kernel)"),
            read("GRUB", &format!("/{NODE}/deploy_ramdisk"), " (initrd)"),
        ]);
    }
    seq
}

/// The capture's words of [`expected_steps`].
fn expected_sequence(case: &Case) -> Vec<String> {
    expected_steps(case).into_iter().map(|s| s.words).collect()
}

/// Asserts that `case` booted the node end to end.
fn assert_boots(case: &Case) {
    let Some(run) = run(case) else { return };
    let report = run.report();
    assert!(
        matches!(run.watched.end, End::Exited(status) if status.success())
            || (case.firmware == Firmware::Arm64Pxe && matches!(run.watched.end, End::Stopped)),
        "the run did not end as it should{report}"
    );
    let expected = expected_sequence(case);
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_in_order(&run.events, &expected, &report);
    if case.classic {
        assert_classic_boot(case, &run, &report);
        return;
    }

    // The loader is fetched once, whole (firmware may first ask for its size and abort).
    let loader_fetches = run
        .events
        .iter()
        .filter(|e| matches!(e, Event::Tftp { complete: true, .. }))
        .count();
    let loader_http = run
        .responses
        .iter()
        .filter(|r| r.starts_with(&format!("GET /{X64_LOADER} ")))
        .count();
    match case.firmware {
        Firmware::Bios | Firmware::UefiHttp => {
            assert_eq!(
                loader_fetches, 0,
                "a TFTP transfer where none belongs{report}"
            );
        }
        Firmware::UefiPxe | Firmware::Arm64Pxe => {
            assert_eq!(loader_fetches, 1, "the loader was not fetched once{report}");
        }
    }
    assert_eq!(
        loader_http,
        usize::from(case.firmware == Firmware::UefiHttp),
        "the loader's HTTP fetches{report}"
    );
    if case.firmware == Firmware::Arm64Pxe {
        println!(
            "{}: stops at the fetch of {ARM64_LOADER}: Debian packages no ARM64 iPXE, the file \
             is a placeholder the firmware cannot start",
            case.name
        );
        return;
    }

    // The HTTP server's own account: every request answered 200, in the same order.
    let node: Vec<String> = node_requests("iPXE")
        .iter()
        .map(|r| r.words.trim_start_matches("http ").to_owned())
        .collect();
    let served: Vec<&str> = run
        .responses
        .iter()
        .filter(|r| {
            r.starts_with("GET /boot.ipxe")
                || r.contains("/pxelinux.cfg/")
                || r.contains(&format!("/{NODE}/"))
        })
        .map(String::as_str)
        .collect();
    assert_eq!(served.len(), node.len(), "HTTP responses{report}");
    for (response, request) in served.iter().zip(&node) {
        assert!(
            response.starts_with(&format!("{request} 200 ")),
            "`{response}` is not `{request} 200`{report}"
        );
    }
    let cmdline = run.watched.console.cmdline().unwrap_or_default();
    let bootif = format!("BOOTIF=01-{}", hexhyp(MAC));
    for arg in [bootif.as_str(), "ipxegen.node=chain-node", "console=ttyS0"] {
        assert!(
            cmdline.contains(&arg),
            "kernel command line {cmdline:?} lacks {arg}{report}"
        );
    }
}

/// The kernel argument the operator templates of the classic cases add.
const TEMPLATE_ARGUMENT: &str = "ipxegen.template=operator";

/// Writes into `dir` the shipped classic templates (`examples/templates/`), each changed as
/// an operator would: one more kernel argument, [`TEMPLATE_ARGUMENT`]. Gives the site's
/// members that name them.
fn operator_templates(dir: &Path) -> String {
    let shipped = workspace_dir().join("examples/templates");
    let read = |name: &str| std::fs::read_to_string(shipped.join(name)).unwrap();
    let pxelinux = read("config.pxelinux").replace(
        "  APPEND {{ arguments }}\n",
        &format!("  APPEND {{{{ arguments }}}} {TEMPLATE_ARGUMENT}\n"),
    );
    let grub = read("config.grub.cfg").replace(
        "{{#if arguments}} {{ arguments }}{{/if}}\n",
        &format!("{{{{#if arguments}}}} {{{{ arguments }}}}{{{{/if}}}} '{TEMPLATE_ARGUMENT}'\n"),
    );
    for (name, text) in [
        ("operator.pxelinux", &pxelinux),
        ("operator.grub.cfg", &grub),
    ] {
        assert!(
            text.contains(TEMPLATE_ARGUMENT),
            "{name}: the shipped template changed"
        );
        std::fs::write(dir.join(name), text).unwrap();
    }
    r#""pxe_config_template": "operator.pxelinux", "grub_config_template": "operator.grub.cfg""#
        .to_owned()
}

/// The rest of a classic boot: nothing over HTTP, each file of the boot fetched whole once,
/// and the command line PXELINUX or GRUB gave the kernel: `BOOTIF` of the NIC it booted
/// through, the node's arguments, and the loader's own `BOOT_IMAGE` (and, from PXELINUX,
/// `initrd=`).
fn assert_classic_boot(case: &Case, run: &Run, report: &str) {
    assert!(
        !run.events.iter().any(|e| matches!(e, Event::Http { .. })) && run.responses.is_empty(),
        "the classic flow fetched something over HTTP{report}"
    );
    for file in ["deploy_kernel", "deploy_ramdisk"] {
        let whole = run
            .events
            .iter()
            .filter(|e| {
                matches!(e, Event::Tftp { file: f, complete: true, error: None, .. }
                    if f.trim_start_matches('/') == format!("{NODE}/{file}"))
            })
            .count();
        assert_eq!(whole, 1, "{file} was not fetched once, whole{report}");
    }
    let cmdline = run.watched.console.cmdline().unwrap_or_default();
    let bootif = format!("BOOTIF=01-{}", hexhyp(MAC));
    let (image, initrd) = if case.firmware == Firmware::Bios {
        (
            format!("BOOT_IMAGE={NODE}/deploy_kernel"),
            Some(format!("initrd={NODE}/deploy_ramdisk")),
        )
    } else {
        (format!("BOOT_IMAGE=/{NODE}/deploy_kernel"), None)
    };
    let mut wanted = vec![
        bootif,
        image,
        "ipxegen.node=chain-node".to_owned(),
        "console=ttyS0".to_owned(),
    ];
    wanted.extend(initrd);
    if case.templates {
        wanted.push(TEMPLATE_ARGUMENT.to_owned());
    }
    for arg in &wanted {
        assert!(
            cmdline.contains(&arg.as_str()),
            "kernel command line {cmdline:?} lacks {arg}{report}"
        );
    }
}

// ------------------------------------------------------------------------------------------
// The cases.

#[test]
fn uefi_pxe_v4_dnsmasq() {
    assert_boots(&Case::new(
        "uefi-pxe-v4-dnsmasq",
        Dhcp::Dnsmasq,
        Ip::V4,
        Firmware::UefiPxe,
    ));
}

#[test]
fn uefi_pxe_v4_isc() {
    assert_boots(&Case::new(
        "uefi-pxe-v4-isc",
        Dhcp::Isc,
        Ip::V4,
        Firmware::UefiPxe,
    ));
}

#[test]
fn uefi_pxe_v4_kea() {
    assert_boots(&Case::new(
        "uefi-pxe-v4-kea",
        Dhcp::Kea,
        Ip::V4,
        Firmware::UefiPxe,
    ));
}

#[test]
fn bios_dnsmasq() {
    assert_boots(&Case::new(
        "bios-dnsmasq",
        Dhcp::Dnsmasq,
        Ip::V4,
        Firmware::Bios,
    ));
}

#[test]
fn bios_isc() {
    assert_boots(&Case::new("bios-isc", Dhcp::Isc, Ip::V4, Firmware::Bios));
}

#[test]
fn bios_kea() {
    assert_boots(&Case::new("bios-kea", Dhcp::Kea, Ip::V4, Firmware::Bios));
}

#[test]
fn uefi_http_dnsmasq() {
    assert_boots(&Case::new(
        "uefi-http-dnsmasq",
        Dhcp::Dnsmasq,
        Ip::V4,
        Firmware::UefiHttp,
    ));
}

#[test]
fn uefi_http_isc() {
    assert_boots(&Case::new(
        "uefi-http-isc",
        Dhcp::Isc,
        Ip::V4,
        Firmware::UefiHttp,
    ));
}

#[test]
fn uefi_http_kea() {
    assert_boots(&Case::new(
        "uefi-http-kea",
        Dhcp::Kea,
        Ip::V4,
        Firmware::UefiHttp,
    ));
}

#[test]
fn uefi_pxe_v6_dnsmasq() {
    assert_boots(&Case::new(
        "uefi-pxe-v6-dnsmasq",
        Dhcp::Dnsmasq,
        Ip::V6,
        Firmware::UefiPxe,
    ));
}

#[test]
fn uefi_pxe_v6_isc() {
    assert_boots(&Case::new(
        "uefi-pxe-v6-isc",
        Dhcp::Isc,
        Ip::V6,
        Firmware::UefiPxe,
    ));
}

#[test]
fn uefi_pxe_v6_kea() {
    assert_boots(&Case::new(
        "uefi-pxe-v6-kea",
        Dhcp::Kea,
        Ip::V6,
        Firmware::UefiPxe,
    ));
}

#[test]
fn arm64_pxe_dnsmasq() {
    assert_boots(&Case::new(
        "arm64-pxe-dnsmasq",
        Dhcp::Dnsmasq,
        Ip::V4,
        Firmware::Arm64Pxe,
    ));
}

#[test]
fn arm64_pxe_isc() {
    assert_boots(&Case::new(
        "arm64-pxe-isc",
        Dhcp::Isc,
        Ip::V4,
        Firmware::Arm64Pxe,
    ));
}

#[test]
fn arm64_pxe_kea() {
    assert_boots(&Case::new(
        "arm64-pxe-kea",
        Dhcp::Kea,
        Ip::V4,
        Firmware::Arm64Pxe,
    ));
}

// The classic flow (`ipxe_enabled` false): PXELINUX for BIOS, GRUB for UEFI, no iPXE stage.

#[test]
fn classic_bios_dnsmasq() {
    assert_boots(&Case::classic(
        "classic-bios-dnsmasq",
        Dhcp::Dnsmasq,
        Firmware::Bios,
    ));
}

#[test]
fn classic_bios_isc() {
    assert_boots(&Case::classic(
        "classic-bios-isc",
        Dhcp::Isc,
        Firmware::Bios,
    ));
}

#[test]
fn classic_bios_kea() {
    assert_boots(&Case::classic(
        "classic-bios-kea",
        Dhcp::Kea,
        Firmware::Bios,
    ));
}

#[test]
fn classic_uefi_dnsmasq() {
    assert_boots(&Case::classic(
        "classic-uefi-dnsmasq",
        Dhcp::Dnsmasq,
        Firmware::UefiPxe,
    ));
}

#[test]
fn classic_uefi_isc() {
    assert_boots(&Case::classic(
        "classic-uefi-isc",
        Dhcp::Isc,
        Firmware::UefiPxe,
    ));
}

#[test]
fn classic_uefi_kea() {
    assert_boots(&Case::classic(
        "classic-uefi-kea",
        Dhcp::Kea,
        Firmware::UefiPxe,
    ));
}

// The classic flow's configs from operator templates: PXELINUX and GRUB read what the
// templates wrote, and boot with the argument the operator added.

#[test]
fn classic_bios_operator_templates() {
    assert_boots(&Case {
        templates: true,
        ..Case::classic("classic-bios-templates", Dhcp::Dnsmasq, Firmware::Bios)
    });
}

#[test]
fn classic_uefi_operator_templates() {
    assert_boots(&Case {
        templates: true,
        ..Case::classic("classic-uefi-templates", Dhcp::Dnsmasq, Firmware::UefiPxe)
    });
}

// ------------------------------------------------------------------------------------------
// Negative controls: each takes out one part of ipxegen's config, and the chain breaks where
// that part is needed, which the assertions above would catch.

/// The DHCPv4 replies to iPXE (after its first request).
fn replies_to_ipxe(events: &[Event]) -> Vec<&ipxegen_tests::pcap::Dhcp4> {
    let Some(first) = events
        .iter()
        .position(|e| matches!(e, Event::Dhcp4(d) if d.ipxe && d.message == "DISCOVER"))
    else {
        return Vec::new();
    };
    events[first..]
        .iter()
        .filter_map(|e| match e {
            Event::Dhcp4(d) if matches!(d.message, "OFFER" | "ACK") => Some(d),
            _ => None,
        })
        .collect()
}

#[test]
fn without_the_ipxe_stage_the_boot_stops_at_the_second_dhcp() {
    let case = Case {
        mutation: Mutation::NoIpxeStage,
        ..Case::new("no-ipxe-stage", Dhcp::Dnsmasq, Ip::V4, Firmware::UefiPxe)
    };
    let Some(run) = run(&case) else { return };
    let report = run.report();
    assert!(
        // Stopped at "Nothing to boot": seen while the line was still being written, or as a
        // whole line (then also counted as the expected error).
        matches!(run.watched.end, End::Stopped),
        "iPXE did not give up with \"Nothing to boot\"{report}"
    );
    let expected = expected_sequence(&case);
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_in_order(&run.events, &expected, &report);
    let replies = replies_to_ipxe(&run.events);
    assert!(
        !replies.is_empty() && replies.iter().all(|d| d.file.is_empty()),
        "iPXE's DHCP was answered without a boot file{report}"
    );
    assert!(
        !run.events.iter().any(|e| matches!(e, Event::Http { .. })),
        "no HTTP request may follow{report}"
    );
}

#[test]
fn without_the_not_ipxe_gate_the_loader_is_chainloaded_in_a_loop() {
    let case = Case {
        mutation: Mutation::NoNotIpxeGate,
        ..Case::new("no-gate", Dhcp::Dnsmasq, Ip::V4, Firmware::UefiPxe)
    };
    let Some(run) = run(&case) else { return };
    let report = run.report();
    assert!(
        matches!(run.watched.end, End::Stopped),
        "iPXE did not start three times{report}"
    );
    let fetches = run
        .events
        .iter()
        .filter(|e| matches!(e, Event::Tftp { file, complete: true, .. } if file == X64_LOADER))
        .count();
    assert!(
        fetches >= 3,
        "the loader was fetched {fetches} times, not in a loop{report}"
    );
    let replies = replies_to_ipxe(&run.events);
    assert!(
        !replies.is_empty() && replies.iter().all(|d| d.file == X64_LOADER),
        "iPXE was not handed the loader again{report}"
    );
    assert!(
        !run.events.iter().any(|e| matches!(e, Event::Http { .. })),
        "the main script may not be fetched{report}"
    );
}

/// The classic flow for a machine its tree has no config for: PXELINUX falls back to
/// `pxelinux.cfg/default` and GRUB's `grub/grub.cfg` finds no per-MAC config; each says so,
/// fetches no kernel, and hands back to the firmware (the local disk).
#[test]
fn classic_machines_without_a_config_are_told_so_and_boot_no_kernel() {
    for firmware in [Firmware::Bios, Firmware::UefiPxe] {
        let name = match firmware {
            Firmware::Bios => "classic-bios-unknown",
            _ => "classic-uefi-unknown",
        };
        let case = Case {
            mutation: Mutation::NoPerMacEntry,
            ..Case::classic(name, Dhcp::Dnsmasq, firmware)
        };
        let Some(run) = run(&case) else { return };
        let report = run.report();
        assert!(
            matches!(run.watched.end, End::Stopped),
            "the loader did not say it has no config{report}"
        );
        let mac = hexhyp(MAC);
        let expected: Vec<String> = match firmware {
            Firmware::Bios => vec![
                format!("tftp RRQ file={PXELINUX} complete"),
                format!("tftp RRQ file=pxelinux.cfg/01-{mac} incomplete"),
                "tftp RRQ file=pxelinux.cfg/default complete".into(),
            ],
            _ => vec![
                format!("tftp RRQ file={GRUB} complete"),
                "tftp RRQ file=/grub/grub.cfg complete".into(),
                format!("tftp RRQ file=/grub/grub.cfg-01-{mac} incomplete"),
            ],
        };
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        assert_in_order(&run.events, &expected, &report);
        assert!(
            !run.events
                .iter()
                .any(|e| matches!(e, Event::Tftp { file, .. } if file.contains(NODE))),
            "a kernel or initrd was fetched{report}"
        );
    }
}

// ------------------------------------------------------------------------------------------
// README's diagram of the flow: rendered from the steps the cases above assert.

/// The flows README shows, with their titles: firmware, family, whether through a ProxyDHCP
/// server, and whether the site is of the classic flow (`ipxe_enabled` false).
const FLOWS: [(&str, Firmware, Ip, bool, bool); 9] = [
    (
        "Legacy BIOS: the NIC's iPXE ROM, so the first DHCP is already iPXE's",
        Firmware::Bios,
        Ip::V4,
        false,
        false,
    ),
    (
        "UEFI firmware PXE over IPv4 (ARM64: arch 11 and the ARM64 loader)",
        Firmware::UefiPxe,
        Ip::V4,
        false,
        false,
    ),
    (
        "UEFI HTTP boot: no TFTP at all",
        Firmware::UefiHttp,
        Ip::V4,
        false,
        false,
    ),
    (
        "UEFI firmware PXE over IPv6 (router advertisements from radvd or dnsmasq first)",
        Firmware::UefiPxe,
        Ip::V6,
        false,
        false,
    ),
    (
        "ProxyDHCP, UEFI firmware PXE (addresses from the network's own DHCP server)",
        Firmware::UefiPxe,
        Ip::V4,
        true,
        false,
    ),
    (
        "ProxyDHCP, legacy BIOS (the NIC's iPXE ROM)",
        Firmware::Bios,
        Ip::V4,
        true,
        false,
    ),
    (
        "Classic flow (ipxe_enabled false), legacy BIOS: the NIC's iPXE ROM runs PXELINUX",
        Firmware::Bios,
        Ip::V4,
        false,
        true,
    ),
    (
        "Classic flow (ipxe_enabled false), UEFI firmware PXE: GRUB",
        Firmware::UefiPxe,
        Ip::V4,
        false,
        true,
    ),
    (
        "Classic flow, ProxyDHCP, legacy BIOS (GRUB cannot boot through ProxyDHCP)",
        Firmware::Bios,
        Ip::V4,
        true,
        true,
    ),
];

/// The diagram: per flow a title, then one line per step (`from -> to  what`).
fn flow_diagram() -> String {
    let mut out = String::new();
    for (n, (title, firmware, ip, proxy, classic)) in FLOWS.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}. {title}", n + 1);
        let case = Case {
            proxy: *proxy,
            classic: *classic,
            ..Case::new("diagram", Dhcp::Dnsmasq, *ip, *firmware)
        };
        for s in expected_steps(&case) {
            let _ = writeln!(out, "   {:<8} -> {:<8} {}", s.from, s.to, s.what);
        }
    }
    out
}

#[test]
fn readme_shows_the_flow_the_tests_assert() {
    let diagram = flow_diagram();
    if ipxegen_tests::updating_goldens() {
        let path = workspace_dir().join("README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let start = readme.find("```text operator:boot-flow\n").unwrap();
        let body = start + readme[start..].find('\n').unwrap() + 1;
        let end = body + readme[body..].find("```").unwrap();
        let updated = format!("{}{diagram}{}", &readme[..body], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
    }
    let readme = readme_block("boot-flow");
    assert!(
        readme == diagram,
        "README.md's block marked operator:boot-flow differs from the steps the boot-chain \
         tests assert (UPDATE_GOLDENS=1 rewrites it); it should read:\n{diagram}"
    );
}

// ------------------------------------------------------------------------------------------
// Many machines: one server with a reservation for each of 1,000 nodes boots two guests at
// once, each to its reserved address and its own config.

/// Nodes of the generated site (`tests/e2e/qemu/gen_reservations_site.py`).
const MANY_NODES: usize = 1000;
/// The two guests: node index, and what the generator gives it.
const MANY_GUESTS: [(usize, &str, &str); 2] = [
    (5, "52:54:00:20:00:05", "192.0.2.15"),
    (77, "52:54:00:20:00:4d", "192.0.2.87"),
];

#[test]
fn a_thousand_reservations_boot_two_machines_each_to_its_own_config() {
    let case = Case::new("many-kea", Dhcp::Kea, Ip::V4, Firmware::UefiPxe);
    let test = format!("boot_chain {}", case.name);
    let tools = missing(&case).or_else(|| kernel().err());
    if !ipxegen_tests::ready_or_skip(&test, tools) {
        return;
    }
    let work = WorkDir::new("boot-chain", case.name);
    let dir = work.0.clone();
    let out = dir.join("out");
    let site = dir.join("site.json");
    let generated = Command::new("python3")
        .arg(Path::new(E2E_DIR).join("gen_reservations_site.py"))
        .arg(MANY_NODES.to_string())
        .arg(&out)
        .args([
            "http://192.0.2.1/images/vmlinuz",
            "http://192.0.2.1/images/initrd",
        ])
        .output()
        .unwrap();
    assert!(generated.status.success());
    std::fs::write(&site, generated.stdout).unwrap();
    build_tree(&site, &out, Some(LOADERS));
    // The kernel and initrd every node boots, served as the operator's own files.
    let images = out.join("http/images");
    std::fs::create_dir_all(&images).unwrap();
    std::fs::copy(kernel().unwrap(), images.join("vmlinuz")).unwrap();
    make_initrd(&images.join("initrd")).unwrap();

    let mut net = TestNet::new(case.name, MANY_GUESTS.len());
    let taps: Vec<String> = (0..MANY_GUESTS.len()).map(|i| format!("tap{i}")).collect();
    let mut guests: Vec<ProcessGroup> = MANY_GUESTS
        .iter()
        .zip(&taps)
        .enumerate()
        .map(|(i, ((_, mac, _), tap))| {
            let guest = Guest { tap, mac };
            start_guest(&case, &net.ns, &guest, &dir, &format!("guest{i}"))
        })
        .collect();
    let servers = Servers::start(&case, &mut net, &dir, &site);
    for i in 0..guests.len() {
        resume(&dir, &format!("guest{i}"));
    }
    let watch = watch_of(&case);
    let watched: Vec<Watched> = std::thread::scope(|s| {
        let running: Vec<_> = guests
            .iter_mut()
            .map(|g| s.spawn(|| watch_console(g, &watch)))
            .collect();
        running.into_iter().map(|r| r.join().unwrap()).collect()
    });
    drop(guests);
    let (responses, logs) = servers.stop();
    drop(net);

    for (i, ((index, mac, address), watched)) in MANY_GUESTS.iter().zip(watched).enumerate() {
        std::fs::write(
            dir.join(format!("guest{i}-console.log")),
            &watched.console.raw,
        )
        .unwrap();
        let node = format!("node-{index:04}");
        let run = Run {
            events: read_capture(&dir.join(format!("guest{i}.pcap"))).unwrap(),
            watched,
            responses: responses
                .iter()
                .filter(|r| r.ends_with(&format!(" {address}")))
                .cloned()
                .collect(),
            logs: logs.clone(),
            _dir: None,
            dir: dir.clone(),
        };
        let report = run.report();
        println!(
            "{node}: {:?} after {:.1} s",
            run.watched.end,
            run.watched.elapsed.as_secs_f64()
        );
        assert!(
            matches!(run.watched.end, End::Exited(status) if status.success()),
            "{node} did not boot{report}"
        );
        let script = "http://192.0.2.1/boot.ipxe";
        assert_in_order(
            &run.events,
            &[
                &format!("dhcp4 ACK mac={mac} yiaddr={address} file={X64_LOADER}"),
                &format!("tftp RRQ file={X64_LOADER} client={address} complete"),
                &format!("dhcp4 ACK mac={mac} yiaddr={address} file={script}"),
                &format!("http GET /pxelinux.cfg/{} client={address}", hexhyp(mac)),
                &format!("http GET /images/vmlinuz client={address}"),
            ],
            &report,
        );
        // The server's account of this guest's requests: its own config, by its own MAC.
        let config = format!("GET /pxelinux.cfg/{} 200 {address}", hexhyp(mac));
        assert!(
            run.responses.contains(&config),
            "{node}'s config was not served to it{report}"
        );
        let cmdline = run.watched.console.cmdline().unwrap_or_default();
        let bootif = format!("BOOTIF=01-{}", hexhyp(mac));
        let own = format!("ipxegen.node={node}");
        assert!(
            cmdline.contains(&bootif.as_str()) && cmdline.contains(&own.as_str()),
            "{node} booted {cmdline:?}{report}"
        );
    }
    drop(work);
}

// ------------------------------------------------------------------------------------------
// ProxyDHCP: the network's own server gives the addresses, dnsmasq with ipxegen's proxy
// config the boot information.

#[test]
fn proxy_dhcp_uefi_pxe() {
    assert_boots(&Case {
        proxy: true,
        ..Case::new("proxy-uefi-pxe", Dhcp::Dnsmasq, Ip::V4, Firmware::UefiPxe)
    });
}

#[test]
fn proxy_dhcp_bios() {
    assert_boots(&Case {
        proxy: true,
        ..Case::new("proxy-bios", Dhcp::Dnsmasq, Ip::V4, Firmware::Bios)
    });
}

#[test]
fn classic_proxy_dhcp_bios() {
    assert_boots(&Case {
        proxy: true,
        ..Case::classic("classic-proxy-bios", Dhcp::Dnsmasq, Firmware::Bios)
    });
}
