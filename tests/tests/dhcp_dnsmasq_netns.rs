//! End to end with a real DHCP server: dnsmasq, configured with the config ipxegen generates
//! for the example site, answers the captured iPXE DISCOVER with the main script's URL and the
//! captured firmware PXE (OVMF, x64 UEFI) DISCOVER with the TFTP loader. Configured with the
//! ProxyDHCP config (`dhcp --format dnsmasq-proxy`) and the operator's `dhcp-range=...,proxy`
//! line the README gives, it answers with no address: iPXE (BIOS and UEFI) gets the script
//! and a next server; UEFI firmware an offer without file pointing at dnsmasq, then, asking
//! again on port 4011, the loader and the TFTP server; BIOS firmware a one-entry menu, then,
//! asking for that entry on port 4011, the loader. Each answer agrees with the reply builder
//! (`build_proxy_reply`).
//!
//! Each test makes two network namespaces joined by a veth pair (server side 192.0.2.10/24,
//! client side with the captured client's MAC, and 192.0.2.100/24 where a request goes to
//! port 4011), runs dnsmasq in one and `tests/e2e/dhcp_client.py` in the other, and removes
//! both namespaces afterwards. No traffic leaves the namespaces. dnsmasq runs in the foreground in its own process group, killed with
//! its group when the test ends, passes or fails, and under `timeout` (in the same group) so
//! that it cannot outlive a test process that is killed itself; the client is killed with its
//! group after [`CLIENT_TIMEOUT`]. It needs root, `ip` (iproute2), dnsmasq and python3: when
//! one is missing it fails under `CI=true` and prints `SKIPPED: <test>: <reason>` otherwise.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test"
)]

use ipxegen_core::Site;
use ipxegen_core::dhcp::reply::build_proxy_reply;
use ipxegen_core::dhcp::request::parse_request;
use ipxegen_core::dhcp::tlv::{self, Tlvs};
use ipxegen_core::servers::{write_dnsmasq_config, write_dnsmasq_proxy_config};
use ipxegen_core::site::RescanSeen;
use ipxegen_tests::{ProcessGroup, VecWriter, find_command, missing_tool, output_within};
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SITE: &[u8] = include_bytes!("../../examples/site.json");

/// Outer bound of dnsmasq's run (`timeout -s KILL`), should the test process be killed.
const DNSMASQ_LIMIT_S: &str = "60";
/// Longest one request and reply may take.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(20);

/// The first thing this test needs that the machine lacks.
fn tool_missing() -> Option<String> {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !is_root {
        return Some("not root (network namespaces need it)".into());
    }
    missing_tool(&[
        ("ip", "iproute2"),
        ("dnsmasq", "dnsmasq-base"),
        ("python3", "python3"),
        ("timeout", "coreutils"),
    ])
}

fn run(args: &[&str]) {
    let status = Command::new(args[0]).args(&args[1..]).status().unwrap();
    assert!(status.success(), "{args:?} failed");
}

/// Two namespaces and a veth pair, removed (with dnsmasq's process group killed) when dropped.
struct TestNet {
    server_ns: String,
    client_ns: String,
    dnsmasq: Option<ProcessGroup>,
    dir: PathBuf,
}

impl TestNet {
    /// The namespaces of the test `tag` (tests run at once, each with its own).
    fn new(tag: &str) -> TestNet {
        let id = std::process::id();
        let net = TestNet {
            server_ns: format!("ipxg-srv-{tag}-{id}"),
            client_ns: format!("ipxg-cli-{tag}-{id}"),
            dnsmasq: None,
            dir: std::env::temp_dir().join(format!("ipxegen-netns-{tag}-{id}")),
        };
        std::fs::create_dir_all(&net.dir).unwrap();
        let (s, c) = (net.server_ns.as_str(), net.client_ns.as_str());
        run(&["ip", "netns", "add", s]);
        run(&["ip", "netns", "add", c]);
        run(&[
            "ip", "link", "add", "ipxg-s", "netns", s, "type", "veth", "peer", "name", "ipxg-c",
            "netns", c,
        ]);
        run(&[
            "ip",
            "-n",
            s,
            "addr",
            "add",
            "192.0.2.10/24",
            "dev",
            "ipxg-s",
        ]);
        run(&["ip", "-n", s, "link", "set", "ipxg-s", "up"]);
        run(&[
            "ip",
            "-n",
            c,
            "link",
            "set",
            "ipxg-c",
            "address",
            "52:54:00:12:34:56",
        ]);
        run(&["ip", "-n", c, "link", "set", "ipxg-c", "up"]);
        run(&[
            "ip",
            "-n",
            c,
            "addr",
            "add",
            "192.0.2.100/24",
            "dev",
            "ipxg-c",
        ]);
        net
    }

    /// Starts dnsmasq with `range` (the operator's `dhcp-range` line) and the `generated`
    /// config; it serves once its log holds `ready`.
    fn start_dnsmasq(&mut self, range: &str, ready: &str, generated: &str) {
        let conf = self.dir.join("dnsmasq.conf");
        let leases = self.dir.join("leases");
        let text = format!(
            "# Test harness: serve DHCP on the veth only, no DNS.\n\
             interface=ipxg-s\nbind-interfaces\nport=0\nlog-dhcp\n\
             {range}\ndhcp-leasefile={}\n\
             # Generated by ipxegen:\n{generated}",
            leases.display()
        );
        std::fs::write(&conf, text).unwrap();
        let log = std::fs::File::create(self.dir.join("dnsmasq.log")).unwrap();
        let dnsmasq = find_command("dnsmasq").unwrap();
        // `ip netns exec` execs `timeout`, which stays in the group and runs dnsmasq in the
        // foreground: killing the group kills both.
        let mut command = Command::new("ip");
        command
            .args(["netns", "exec", &self.server_ns])
            .args(["timeout", "-s", "KILL", DNSMASQ_LIMIT_S])
            .arg(dnsmasq)
            .arg("--no-daemon")
            .arg(format!("--conf-file={}", conf.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        self.dnsmasq = Some(ProcessGroup::spawn(command));
        // dnsmasq logs its DHCP range once it serves.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.log().contains(ready) {
            assert!(
                Instant::now() < deadline,
                "dnsmasq did not start:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("dnsmasq.log")).unwrap_or_default()
    }

    /// Sends the captured request `vector` from the client namespace, broadcast to port 67;
    /// the reply's bytes.
    fn exchange(&self, vector: &str) -> Vec<u8> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        self.send(
            vector,
            &root.join("vectors/dhcp").join(format!("{vector}.hex")),
            "255.255.255.255:67",
        )
    }

    /// Sends `message` (named `name` in messages) to `to` (`address:port`); the reply's bytes.
    fn exchange_message(&self, name: &str, message: &[u8], to: &str) -> Vec<u8> {
        let file = self.dir.join(format!("{name}.hex"));
        let hex: String = message.iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(&file, hex).unwrap();
        self.send(name, &file, to)
    }

    fn send(&self, vector: &str, hex_file: &Path, to: &str) -> Vec<u8> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut client = Command::new("ip");
        client
            .args(["netns", "exec", &self.client_ns, "python3"])
            .arg(root.join("e2e/dhcp_client.py"))
            .arg("ipxg-c")
            .arg(hex_file)
            .arg("10")
            .arg(to);
        let output = output_within(client, CLIENT_TIMEOUT)
            .unwrap_or_else(|e| panic!("{vector}: {e}\n{}", self.log()));
        assert!(
            output.status.success(),
            "{vector}: no reply\n{}\n{}",
            String::from_utf8_lossy(&output.stderr),
            self.log()
        );
        let hex = String::from_utf8(output.stdout).unwrap();
        (0..hex.trim().len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect()
    }
}

impl Drop for TestNet {
    fn drop(&mut self) {
        // Dropping the group kills dnsmasq (and `timeout`) before its namespace goes.
        drop(self.dnsmasq.take());
        for ns in [&self.server_ns, &self.client_ns] {
            let _ = Command::new("ip").args(["netns", "del", ns]).status();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The boot file a client reads from a reply: the `file` field, or option 67 when it is empty
/// (without the NUL dnsmasq ends it with).
fn boot_file(reply: &[u8]) -> String {
    let file = &reply[108..236];
    let end = file.iter().position(|&b| b == 0).unwrap_or(file.len());
    if end > 0 {
        return String::from_utf8(file[..end].to_vec()).unwrap();
    }
    // dnsmasq ends option 67 with a NUL; clients read it as a C string.
    let option = Tlvs::new(&reply[240..])
        .filter_map(Result::ok)
        .find(|t| t.code == 67);
    let data = option.map(|t| t.data).unwrap_or_default();
    String::from_utf8(data.strip_suffix(b"\0").unwrap_or(data).to_vec()).unwrap()
}

#[test]
fn dnsmasq_answers_ipxe_and_firmware_pxe_as_generated() {
    let test = "dhcp_dnsmasq_netns dnsmasq_answers_ipxe_and_firmware_pxe_as_generated";
    if !ipxegen_tests::ready_or_skip(test, tool_missing()) {
        return;
    }
    let site = Site::parse(SITE).unwrap();
    let site = site.checked(&mut RescanSeen::new(&site)).unwrap();
    let mut generated = Vec::new();
    write_dnsmasq_config(&site, &mut VecWriter(&mut generated)).unwrap();
    let mut net = TestNet::new("full");
    net.start_dnsmasq(
        "dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,1h",
        "DHCP, IP range",
        &String::from_utf8(generated).unwrap(),
    );

    let ipxe = net.exchange("ipxe-bios-x86-discover");
    assert_eq!(
        boot_file(&ipxe),
        "http://192.0.2.10:8080/boot.ipxe",
        "{}",
        net.log()
    );

    let firmware = net.exchange("ovmf-pxe-uefi-x64-discover");
    assert_eq!(boot_file(&firmware), "snponly.efi", "{}", net.log());
    assert_eq!(
        Ipv4Addr::new(firmware[20], firmware[21], firmware[22], firmware[23]),
        Ipv4Addr::new(192, 0, 2, 10)
    );
}

fn siaddr(reply: &[u8]) -> Ipv4Addr {
    Ipv4Addr::new(reply[20], reply[21], reply[22], reply[23])
}

fn yiaddr(reply: &[u8]) -> Ipv4Addr {
    Ipv4Addr::new(reply[16], reply[17], reply[18], reply[19])
}

/// The data of the reply's option `code`, if present.
fn option(reply: &[u8], code: u8) -> Option<Vec<u8>> {
    tlv::find(&reply[240..], code).unwrap().map(<[u8]>::to_vec)
}

/// The captured DHCPv4 `message` with the options `drop` left out, option 53 set to
/// `message_type`, `add` appended (raw TLVs), and `ciaddr`: the request a client sends next.
fn rewritten(
    message: &[u8],
    message_type: u8,
    drop: &[u8],
    add: &[u8],
    ciaddr: Ipv4Addr,
) -> Vec<u8> {
    let mut out = message[..240].to_vec();
    out[12..16].copy_from_slice(&ciaddr.octets());
    for item in Tlvs::new(&message[240..]).map(Result::unwrap) {
        if drop.contains(&item.code) {
            continue;
        }
        let data: &[u8] = if item.code == 53 {
            &[message_type]
        } else {
            item.data
        };
        out.push(item.code);
        out.push(u8::try_from(data.len()).unwrap());
        out.extend_from_slice(data);
    }
    out.extend_from_slice(add);
    out.push(255);
    out
}

fn captured(vector: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/dhcp")
        .join(format!("{vector}.hex"));
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim();
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The example site with its TFTP server moved to 192.0.2.20, so that an answer's `siaddr`
/// tells the TFTP server from dnsmasq itself (192.0.2.10).
fn proxy_site() -> Vec<u8> {
    let text = String::from_utf8(SITE.to_vec()).unwrap();
    let moved = text.replace(
        r#""tftp_server": "192.0.2.10""#,
        r#""tftp_server": "192.0.2.20""#,
    );
    assert_ne!(moved, text);
    moved.into_bytes()
}

#[test]
fn dnsmasq_proxy_answers_without_addresses_as_generated() {
    let test = "dhcp_dnsmasq_netns dnsmasq_proxy_answers_without_addresses_as_generated";
    if !ipxegen_tests::ready_or_skip(test, tool_missing()) {
        return;
    }
    let doc = proxy_site();
    let site = Site::parse(&doc).unwrap();
    let config = site.config();
    let checked = site.checked(&mut RescanSeen::new(&site)).unwrap();
    let mut generated = Vec::new();
    write_dnsmasq_proxy_config(&checked, &mut VecWriter(&mut generated)).unwrap();
    let mut net = TestNet::new("proxy");
    // The operator's line, as the README and the file's header give it.
    net.start_dnsmasq(
        "dhcp-range=192.0.2.0,proxy",
        "DHCP, proxy on subnet 192.0.2.0",
        &String::from_utf8(generated).unwrap(),
    );
    let dnsmasq = Ipv4Addr::new(192, 0, 2, 10);
    let tftp = Ipv4Addr::new(192, 0, 2, 20);
    let client = Ipv4Addr::new(192, 0, 2, 100);
    let builder = |message: &[u8]| {
        build_proxy_reply(config, &parse_request(message).unwrap(), Some(dnsmasq)).unwrap()
    };
    let log = || net.log();

    // iPXE, BIOS and UEFI: the script, a next server, no address, no PXE menu.
    for vector in ["ipxe-bios-x86-discover", "ipxe-uefi-x64-discover"] {
        let offer = net.exchange(vector);
        let expected = builder(&captured(vector));
        assert_eq!(yiaddr(&offer), Ipv4Addr::UNSPECIFIED, "{vector}");
        assert_eq!(option(&offer, 53), Some(vec![2]), "{vector}");
        assert_eq!(
            option(&offer, 60).as_deref(),
            Some(&b"PXEClient"[..]),
            "{vector}"
        );
        assert_eq!(
            boot_file(&offer),
            "http://192.0.2.10:8080/boot.ipxe",
            "{vector}\n{}",
            log()
        );
        assert_eq!(boot_file(&offer), expected.bootfile.as_str(), "{vector}");
        assert_eq!(Some(siaddr(&offer)), expected.siaddr, "{vector}");
        let menu =
            option(&offer, 43).and_then(|pxe| tlv::find(&pxe, 9).unwrap().map(<[u8]>::to_vec));
        assert_eq!(menu, None, "{vector}: a PXE menu would make iPXE run it");
    }

    // UEFI firmware: an offer with no file that points at dnsmasq ...
    let vector = "ovmf-pxe-uefi-x64-discover";
    let discover = captured(vector);
    let offer = net.exchange(vector);
    let expected = builder(&discover);
    assert_eq!(yiaddr(&offer), Ipv4Addr::UNSPECIFIED);
    assert_eq!(option(&offer, 60).as_deref(), Some(&b"PXEClient"[..]));
    assert_eq!(
        option(&offer, 43),
        None,
        "EDK2 keeps a ProxyDHCP offer without 43"
    );
    assert_eq!(boot_file(&offer), "", "{}", log());
    assert_eq!(siaddr(&offer), dnsmasq);
    assert!(expected.redirect_to_port_4011);
    assert_eq!(expected.siaddr, Some(dnsmasq));
    assert_eq!(expected.file_field(), "");
    // ... then, asking dnsmasq again on port 4011, the loader from the TFTP server.
    let request = rewritten(&discover, 3, &[], &[], client);
    let ack = net.exchange_message("ovmf-request-4011", &request, "192.0.2.10:4011");
    let expected = builder(&request);
    assert_eq!(option(&ack, 53), Some(vec![5]));
    assert_eq!(yiaddr(&ack), Ipv4Addr::UNSPECIFIED);
    assert_eq!(boot_file(&ack), "snponly.efi", "{}", log());
    assert_eq!(boot_file(&ack), expected.file_field());
    assert_eq!(siaddr(&ack), tftp);
    assert_eq!(expected.siaddr, Some(tftp));

    // BIOS firmware (the iPXE BIOS request without 77 and 175: a plain PXE ROM's): a
    // one-entry menu naming dnsmasq as boot server, prompt timeout 0 ...
    let bios = rewritten(
        &captured("ipxe-bios-x86-discover"),
        1,
        &[77, 175],
        &[],
        Ipv4Addr::UNSPECIFIED,
    );
    let offer = net.exchange_message("bios-firmware-discover", &bios, "255.255.255.255:67");
    let pxe = option(&offer, 43).unwrap_or_else(|| panic!("no 43\n{}", log()));
    let menu = tlv::find(&pxe, 9).unwrap().unwrap().to_vec();
    assert_eq!(&menu[3..], b"x86 BIOS PXE (arch 0)");
    assert_eq!(
        tlv::find(&pxe, 10).unwrap().unwrap()[0],
        0,
        "prompt timeout 0"
    );
    assert_eq!(tlv::find(&pxe, 8).unwrap().unwrap()[3..7], dnsmasq.octets());
    // ... then, asking for that entry on port 4011 (43.71 = type, layer 0), the loader.
    let item = [43, 6, 71, 4, menu[0], menu[1], 0, 0];
    let request = rewritten(&bios, 3, &[43], &item, client);
    let ack = net.exchange_message("bios-firmware-request-4011", &request, "192.0.2.10:4011");
    assert_eq!(option(&ack, 53), Some(vec![5]));
    assert_eq!(boot_file(&ack), "undionly.kpxe", "{}", log());
    assert_eq!(siaddr(&ack), tftp);
    // The reply builder names the same loader and server in one answer (43.6 = 8).
    let expected = builder(&bios);
    assert_eq!(expected.file_field(), "undionly.kpxe");
    assert_eq!(expected.siaddr, Some(tftp));
    assert_eq!(expected.pxe_discovery_control, Some(8));
}
