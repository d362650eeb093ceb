//! DHCP server configs (`ipxegen_core::servers`): goldens for every format over the
//! `tests/golden/sites/dhcp-*.json` sites, the errors a site can cause, the JSON outputs'
//! structure, and agreement with the reply builder row by row.
//!
//! After an intended change, regenerate with `UPDATE_GOLDENS=1 cargo test -p ipxegen-tests
//! --test dhcp_servers` and review the diff. `dhcp_servers_real.rs` runs the real servers'
//! own checks on every golden file.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail the test loudly"
)]

use ipxegen_core::dhcp::reply::{build_proxy_reply, build_reply};
use ipxegen_core::dhcp::request::{ClientKind, ClientRequest, Family};
use ipxegen_core::dhcp::table;
use ipxegen_core::model::{ClientArch, Host, LoaderKind};
use ipxegen_core::servers::Format;
use ipxegen_core::site::RescanSeen;
use ipxegen_core::{CheckedSite, Error, ErrorKind, Field, Result, Site};
use ipxegen_tests::{VecWriter, golden_dir};
use std::path::PathBuf;

const FORMATS: [Format; 7] = Format::ALL;

/// The golden file's suffix, which also tells `dhcp_servers_real.rs` which server checks it.
fn suffix(format: Format) -> &'static str {
    match format {
        Format::Dnsmasq => "dnsmasq.conf",
        Format::DnsmasqProxy => "dnsmasq-proxy.conf",
        Format::Isc => "dhcpd.conf",
        Format::Isc6 => "dhcpd6.conf",
        Format::Kea4 => "kea-dhcp4.json",
        Format::Kea6 => "kea-dhcp6.json",
        Format::Neutron => "neutron.json",
    }
}

fn render(format: Format, site: &CheckedSite<'_>) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    format.write(site, &mut VecWriter(&mut out))?;
    Ok(out)
}

/// Each golden site, with the formats rendered for it: the DHCPv4-only formats need an IPv4
/// TFTP server, the DHCPv6-only ones an IPv6 one; a site without one (HTTP only) renders in
/// every format. The ProxyDHCP config carries the boot file in the 128-byte `file` field
/// only, so the long-URL site (a 200-byte script URL) has none.
const V4_FORMATS: &[Format] = &[
    Format::Dnsmasq,
    Format::DnsmasqProxy,
    Format::Isc,
    Format::Kea4,
    Format::Neutron,
];
const V4_LONG_URL_FORMATS: &[Format] =
    &[Format::Dnsmasq, Format::Isc, Format::Kea4, Format::Neutron];
const V6_FORMATS: &[Format] = &[Format::Dnsmasq, Format::Isc6, Format::Kea6, Format::Neutron];
const SITES: &[(&str, &[Format])] = &[
    ("bios", V4_FORMATS),
    ("mixed", V4_FORMATS),
    ("https", V4_FORMATS),
    ("long-url", V4_LONG_URL_FORMATS),
    ("special-chars", V4_FORMATS),
    ("ipv6", V6_FORMATS),
    ("ipv6-special", V6_FORMATS),
    ("ipv6-uuid", V6_FORMATS),
    ("http-only", &FORMATS),
    ("classic", &FORMATS),
];

fn site_doc(stem: &str) -> Vec<u8> {
    let path = golden_dir().join("sites").join(format!("dhcp-{stem}.json"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn golden_path(stem: &str, format: Format) -> PathBuf {
    golden_dir()
        .join("dhcp")
        .join(format!("{stem}.{}", suffix(format)))
}

fn render_doc(doc: &[u8], format: Format) -> Result<Vec<u8>> {
    let site = Site::parse(doc)?;
    let site = site.checked(&mut RescanSeen::new(&site))?;
    render(format, &site)
}

#[test]
fn goldens_match() {
    let mut failures = Vec::new();
    for (stem, formats) in SITES {
        let doc = site_doc(stem);
        for format in *formats {
            let got =
                render_doc(&doc, *format).unwrap_or_else(|e| panic!("{stem} {format:?}: {e}"));
            if let Err(e) = ipxegen_tests::check_golden(&golden_path(stem, *format), &got) {
                failures.push(format!("{stem} {format:?}: {e}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_golden_file_is_a_case() {
    let mut files: Vec<String> = std::fs::read_dir(golden_dir().join("dhcp"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut cases: Vec<String> = SITES
        .iter()
        .flat_map(|(stem, formats)| {
            formats
                .iter()
                .map(move |f| format!("{stem}.{}", suffix(*f)))
        })
        .collect();
    cases.sort();
    assert_eq!(files, cases, "stale or missing golden files");
}

#[test]
fn the_long_url_site_has_a_200_byte_script_url() {
    let doc = site_doc("long-url");
    let site = Site::parse(&doc).unwrap();
    let url = table::script_url(site.config()).unwrap();
    assert_eq!(url.len(), 200);
    assert!(!table::fits_file_field(&url));
    // Every format moves it out of the 128-byte `file` field into option 67.
    let text = |f| String::from_utf8(render_doc(&doc, f).unwrap()).unwrap();
    assert!(text(Format::Isc).contains(&format!("  option bootfile-name \"{url}\";")));
    assert!(!text(Format::Isc).contains(&format!("filename \"{url}\"")));
    assert!(text(Format::Dnsmasq).contains(&format!("dhcp-option-force=tag:ipxe,67,\"{url}\"")));
    assert!(!text(Format::Dnsmasq).contains("dhcp-boot=tag:ipxe,"));
    let kea: serde_json::Value = serde_json::from_str(&text(Format::Kea4)).unwrap();
    let ipxe = &kea["Dhcp4"]["client-classes"][0];
    assert!(ipxe.get("boot-file-name").is_none());
    assert_eq!(ipxe["option-data"][0]["name"], "boot-file-name");
    assert_eq!(ipxe["option-data"][0]["data"], url.as_str());
}

#[test]
fn commas_quotes_and_semicolons_are_written_the_way_each_server_reads_them() {
    let doc = site_doc("special-chars");
    let url = "http://192.0.2.50:8080/sites/a,b;c'd(e)!*&f=g+h@i/boot.ipxe";
    let text = |f| String::from_utf8(render_doc(&doc, f).unwrap()).unwrap();
    // dnsmasq: quoted, so the comma stays in the value.
    assert!(text(Format::Dnsmasq).contains(&format!("dhcp-boot=tag:ipxe,\"{url}\"\n")));
    // ISC: a quoted string; `;` and `'` inside quotes are plain.
    assert!(text(Format::Isc).contains(&format!("  filename \"{url}\";\n")));
    // Kea: `boot-file-name` is a plain string (no CSV), so no escape there.
    let kea: serde_json::Value = serde_json::from_str(&text(Format::Kea4)).unwrap();
    assert_eq!(kea["Dhcp4"]["client-classes"][0]["boot-file-name"], url);
    // Kea option-data (CSV): the comma is escaped as `\,` (JSON text `\\,`).
    let doc6 = site_doc("ipv6-special");
    let kea6 = String::from_utf8(render_doc(&doc6, Format::Kea6).unwrap()).unwrap();
    assert!(kea6.contains(r#"/sites/a\\,b;c'd/"#), "{kea6}");
    let kea6: serde_json::Value = serde_json::from_str(&kea6).unwrap();
    let data = kea6["Dhcp6"]["client-classes"][0]["option-data"][0]["data"]
        .as_str()
        .unwrap();
    assert!(data.contains(r"/sites/a\,b;c'd/"), "{data}");
    // Neutron: the value as it is (Neutron's dnsmasq keeps a string value whole).
    let neutron: serde_json::Value = serde_json::from_str(&text(Format::Neutron)).unwrap();
    assert_eq!(neutron["ports"][0]["extra_dhcp_opts"][1]["opt_value"], url);
}

fn error_of(doc: &str, format: Format) -> Error {
    render_doc(doc.as_bytes(), format).expect_err("an error")
}

const NO_TFTP: &str = r#"{"schema": 1, "http_server": "192.0.2.1", "http_root": "/srv/http"}"#;

/// An HTTP-only site (no `tftp_server`) renders in every format: no TFTP stage, UEFI HTTP
/// boot and the iPXE stage as on any site, and a note of what it cannot boot.
#[test]
fn an_http_only_site_has_no_tftp_stage_in_any_format() {
    let doc = site_doc("http-only");
    let site = Site::parse(&doc).unwrap();
    let config = site.config();
    assert!(config.tftp_server.is_none());
    let script = table::script_url(config).unwrap();
    let x64 = table::http_loader_url(config, LoaderKind::UefiX64).unwrap();
    let arm64 = table::http_loader_url(config, LoaderKind::UefiArm64).unwrap();
    let bios = config.loader(LoaderKind::Bios).as_str();
    for format in FORMATS {
        let text = String::from_utf8(render_doc(&doc, format).unwrap()).unwrap();
        assert!(text.contains(script.as_str()), "{format:?}: script URL");
        // Nothing of a TFTP stage outside comments: no TFTP server option, next-server,
        // tftp:// URL, BIOS loader or firmware-PXE class.
        let settings: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        for tftp in [
            "tftp-server",
            "next-server",
            "tftp://",
            "pxe-bios",
            "pxe-efi",
            "pxe6-",
            "\"66\"",
            "\"150\"",
            bios,
        ] {
            assert!(!settings.contains(tftp), "{format:?}: {tftp:?} in\n{text}");
        }
        // UEFI HTTP boot wherever the format can give it (not Neutron, not dnsmasq's
        // ProxyDHCP; not dnsmasq over v6).
        if !matches!(format, Format::Neutron | Format::DnsmasqProxy) {
            assert!(text.contains(x64.as_str()), "{format:?}: x64 loader URL");
            assert!(
                text.contains(arm64.as_str()),
                "{format:?}: arm64 loader URL"
            );
            assert!(text.contains("HTTPClient") || text.contains("48545450436c69656e74"));
        }
        // It says what it cannot boot.
        assert!(
            text.contains("HTTP-only site (no tftp_server)"),
            "{format:?}"
        );
        assert!(text.contains("firmware PXE"), "{format:?}");
    }
    // A site with a TFTP server says nothing of the kind.
    let mixed = String::from_utf8(render_doc(&site_doc("mixed"), Format::Isc).unwrap()).unwrap();
    assert!(!mixed.contains("HTTP-only"));
    // Neutron: the iPXE stage for both families, nothing else.
    let v: serde_json::Value =
        serde_json::from_slice(&render_doc(&doc, Format::Neutron).unwrap()).unwrap();
    assert_eq!(
        v["ports"][0]["extra_dhcp_opts"],
        serde_json::json!([
            {"opt_name": "tag:ipxe,67", "opt_value": script.as_str(), "ip_version": 4},
            {"opt_name": "tag:ipxe6,59", "opt_value": script.as_str(), "ip_version": 6}
        ])
    );
    // The minimal site (nothing but http_server and http_root) renders too.
    for format in FORMATS {
        render_doc(NO_TFTP.as_bytes(), format).unwrap_or_else(|e| panic!("{format:?}: {e}"));
    }
}

/// On an HTTP-only site the reply builder refuses firmware PXE of every architecture, and
/// answers UEFI HTTP boot and iPXE as the configs do.
#[test]
fn an_http_only_site_refuses_firmware_pxe_and_answers_the_rest() {
    let doc = site_doc("http-only");
    let site = Site::parse(&doc).unwrap();
    let config = site.config();
    for (family, rows) in [
        (Family::V4, &table::STAGE1_V4[..]),
        (Family::V6, &table::STAGE1_V6[..]),
    ] {
        for row in rows {
            for arch in row.archs {
                match row.fetch {
                    table::Fetch::Tftp => {
                        let e = build_reply(
                            config,
                            &request(family, ClientKind::FirmwarePxe, Some(*arch)),
                        )
                        .unwrap_err();
                        assert_eq!(
                            e,
                            Error::at(ErrorKind::HttpOnlySite, Field::TftpServer),
                            "{}",
                            row.name
                        );
                    }
                    table::Fetch::Http => {
                        let reply = build_reply(
                            config,
                            &request(family, ClientKind::UefiHttpBoot, Some(*arch)),
                        )
                        .unwrap();
                        assert_eq!(
                            reply.bootfile,
                            table::http_loader_url(config, row.loader).unwrap()
                        );
                        assert_eq!(reply.siaddr, None);
                        assert_eq!(reply.tftp_server_name, None);
                    }
                }
            }
        }
        // Firmware PXE with no architecture at all is refused the same way.
        let e = build_reply(config, &request(family, ClientKind::FirmwarePxe, None)).unwrap_err();
        assert_eq!(e.kind, ErrorKind::HttpOnlySite);
        let ipxe = build_reply(
            config,
            &request(family, ClientKind::Ipxe, Some(ClientArch(7))),
        )
        .unwrap();
        assert_eq!(ipxe.bootfile, table::script_url(config).unwrap());
    }
    assert_eq!(
        Error::at(ErrorKind::HttpOnlySite, Field::TftpServer).to_string(),
        "tftp_server: not set: this HTTP-only site cannot boot firmware PXE (BIOS, or UEFI PXE over TFTP); only UEFI HTTP boot and iPXE"
    );
}

#[test]
fn the_tftp_server_must_be_an_address_of_the_format_family() {
    let with = |server: &str| {
        format!(
            r#"{{"schema": 1, "http_server": "192.0.2.1", "http_root": "/srv/http", "tftp_server": "{server}"}}"#
        )
    };
    let wrong = Error::at(ErrorKind::WrongAddressFamily, Field::TftpServer);
    for format in [Format::Isc6, Format::Kea6] {
        assert_eq!(error_of(&with("192.0.2.1"), format), wrong, "{format:?}");
    }
    for format in [Format::Isc, Format::Kea4, Format::DnsmasqProxy] {
        assert_eq!(error_of(&with("2001:db8::1"), format), wrong, "{format:?}");
    }
    for format in FORMATS {
        assert_eq!(
            error_of(&with("tftp.example.com"), format),
            wrong,
            "{format:?}"
        );
    }
}

/// A site whose main script URL is `len` bytes long, over https; the loaders' names are no
/// longer than the script's, so the HTTP-boot loader URLs are no longer than it either.
fn https_site_with_script_url_of(len: usize) -> String {
    let base = "https://boot.example.com/";
    let tail = "/boot.ipxe";
    let prefix = format!("{base}{}", "p".repeat(len - base.len() - tail.len()));
    format!(
        r#"{{"schema": 1, "http_server": "{prefix}", "http_root": "/srv/http", "tftp_server": "192.0.2.1",
            "pxe_bootfile_name": "b.kpxe", "uefi_x64_bootfile_name": "x64.efi",
            "uefi_arm64_bootfile_name": "arm64.efi"}}"#
    )
}

#[test]
fn a_script_url_must_fit_one_dhcp_option() {
    let fits = https_site_with_script_url_of(255);
    let too_long = https_site_with_script_url_of(256);
    for format in [Format::Dnsmasq, Format::Isc, Format::Kea4, Format::Neutron] {
        render_doc(fits.as_bytes(), format).unwrap_or_else(|e| panic!("{format:?}: {e}"));
        let e = error_of(&too_long, format);
        assert_eq!(
            e,
            Error::at(ErrorKind::TooLong { max: 255 }, Field::HttpServer),
            "{format:?}"
        );
        assert_eq!(e.to_string(), "http_server: too long (at most 255 bytes)");
    }
}

#[test]
fn an_http_boot_loader_url_must_fit_one_dhcp_option_too() {
    // The script URL fits (255 bytes) but `<http_server>/snponly-arm64.efi` does not.
    let doc =
        https_site_with_script_url_of(255).replace(r#""arm64.efi""#, r#""snponly-arm64.efi""#);
    for format in [Format::Dnsmasq, Format::Isc, Format::Kea4] {
        let e = error_of(&doc, format);
        assert_eq!(
            e,
            Error::at(ErrorKind::TooLong { max: 255 }, Field::HttpServer),
            "{format:?}"
        );
    }
    // Neutron hands out no HTTP-boot URL.
    render_doc(doc.as_bytes(), Format::Neutron).unwrap();
}

/// Every format renders a checked site: the whole-site check, which refuses an invalid node
/// naming it, comes first.
#[test]
fn an_invalid_node_is_named() {
    let doc = r#"{"schema": 1, "http_server": "192.0.2.1", "http_root": "/srv/http", "tftp_server": "192.0.2.1",
        "nodes": [{"id": "ok", "nics": ["52:54:00:00:00:01"], "mode": "local"},
                  {"id": "bad", "nics": ["52:54:00:00:00:02"], "mode": "local", "ipv4": "300.1.1.1"}]}"#;
    for format in FORMATS
        .into_iter()
        .filter(|f| !matches!(f, Format::Isc6 | Format::Kea6))
    {
        let e = render_doc(doc.as_bytes(), format).expect_err("invalid node");
        assert_eq!(
            (e.kind, e.field, e.node),
            (ErrorKind::InvalidHost, Some(Field::Ipv4), Some(1)),
            "{format:?}"
        );
    }
}

#[test]
fn a_small_buffer_is_an_error_not_a_panic() {
    let doc = site_doc("mixed");
    let site = Site::parse(&doc).unwrap();
    let site = site.checked(&mut RescanSeen::new(&site)).unwrap();
    for size in [0usize, 1, 100, 1000] {
        let mut buf = vec![0u8; size];
        let result =
            ipxegen_core::output::write_to_slice(&mut buf, |w| Format::Kea4.write(&site, w));
        assert_eq!(
            result.unwrap_err().kind,
            ErrorKind::Write(embedded_io::ErrorKind::WriteZero)
        );
    }
}

#[test]
fn kea_outputs_are_json_with_the_decision_table() {
    let doc = site_doc("mixed");
    let kea: serde_json::Value =
        serde_json::from_slice(&render_doc(&doc, Format::Kea4).unwrap()).unwrap();
    let d = &kea["Dhcp4"];
    let classes = d["client-classes"].as_array().unwrap();
    let names: Vec<&str> = classes
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "ipxegen-ipxe",
            "ipxegen-pxe-bios",
            "ipxegen-pxe-efi-x64",
            "ipxegen-pxe-efi-arm64",
            "ipxegen-http-efi-x64",
            "ipxegen-http-efi-arm64"
        ]
    );
    for class in &classes[1..] {
        assert!(
            class["test"]
                .as_str()
                .unwrap()
                .starts_with("not member('ipxegen-ipxe') and ")
        );
    }
    assert_eq!(
        classes[0]["boot-file-name"],
        "http://boot.example.com:8080/main.ipxe"
    );
    assert_eq!(classes[1]["boot-file-name"], "ipxe.kpxe");
    assert_eq!(classes[1]["next-server"], "192.0.2.20");
    assert_eq!(
        classes[4]["boot-file-name"],
        "http://boot.example.com:8080/ipxe-x86_64.efi"
    );
    // bios-1 (1 NIC), the deploy node (2 boot NICs of 3), uefi-local (hostname only).
    let reservations = d["reservations"].as_array().unwrap();
    let macs: Vec<&str> = reservations
        .iter()
        .map(|r| r["hw-address"].as_str().unwrap())
        .collect();
    assert_eq!(
        macs,
        [
            "52:54:00:00:20:01",
            "52:54:00:00:20:02",
            "52:54:00:00:20:04",
            "52:54:00:00:20:05"
        ]
    );
    assert_eq!(reservations[1]["ip-address"], reservations[2]["ip-address"]);
    assert_eq!(d["ip-reservations-unique"], false);
    assert_eq!(d["reservations-global"], true);
    assert_eq!(d["subnet4"], serde_json::json!([]));

    let doc6 = site_doc("ipv6");
    let kea6: serde_json::Value =
        serde_json::from_slice(&render_doc(&doc6, Format::Kea6).unwrap()).unwrap();
    let classes = kea6["Dhcp6"]["client-classes"].as_array().unwrap();
    assert_eq!(
        classes[0]["test"],
        "substring(option[15].hex,2,4) == 'iPXE'"
    );
    assert_eq!(
        classes[0]["option-data"][0]["data"],
        "http://[2001:db8::10]:8080/boot.ipxe"
    );
    assert_eq!(
        classes[1]["option-data"][0]["data"],
        "tftp://[2001:db8::10]/snponly.efi"
    );
    assert_eq!(classes[3]["option-data"][0]["name"], "vendor-class");
    assert_eq!(
        classes[3]["option-data"][0]["data"],
        "343, 000a48545450436c69656e74"
    );
}

#[test]
fn neutron_output_is_one_entry_per_boot_nic_as_ironic_sends_it() {
    let doc = site_doc("mixed");
    let v: serde_json::Value =
        serde_json::from_slice(&render_doc(&doc, Format::Neutron).unwrap()).unwrap();
    let ports = v["ports"].as_array().unwrap();
    let pairs: Vec<(&str, &str)> = ports
        .iter()
        .map(|p| (p["node"].as_str().unwrap(), p["mac"].as_str().unwrap()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("bios-1", "52:54:00:00:20:01"),
            ("2f1c7a52-8a1e-4c1b-9a57-0d0f3e6b7c21", "52:54:00:00:20:02"),
            ("2f1c7a52-8a1e-4c1b-9a57-0d0f3e6b7c21", "52:54:00:00:20:04"),
            ("uefi-local", "52:54:00:00:20:05"),
            ("arm64-1", "52:54:00:00:20:06"),
            ("no-reservation", "52:54:00:00:20:07"),
        ]
    );
    for port in ports {
        for opt in port["extra_dhcp_opts"].as_array().unwrap() {
            assert_eq!(opt.as_object().unwrap().len(), 3);
            assert!(opt["opt_name"].is_string() && opt["opt_value"].is_string());
            assert_eq!(opt["ip_version"], 4);
        }
    }
    let opts = |i: usize| ports[i]["extra_dhcp_opts"].as_array().unwrap().clone();
    assert_eq!(
        opts(0)[0],
        serde_json::json!({"opt_name": "tag:!ipxe,67", "opt_value": "ipxe.kpxe", "ip_version": 4})
    );
    assert_eq!(
        opts(3)[0]["opt_value"],
        "ipxe-x86_64.efi",
        "firmware uefi gets the x64 loader"
    );
    assert_eq!(
        opts(0)[1]["opt_value"],
        "http://boot.example.com:8080/main.ipxe"
    );
    let first = opts(0);
    let names: Vec<&str> = first
        .iter()
        .map(|o| o["opt_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "tag:!ipxe,67",
            "tag:ipxe,67",
            "66",
            "150",
            "server-ip-address"
        ]
    );

    let doc6 = site_doc("ipv6");
    let v6: serde_json::Value =
        serde_json::from_slice(&render_doc(&doc6, Format::Neutron).unwrap()).unwrap();
    assert_eq!(
        v6["ports"][0]["extra_dhcp_opts"],
        serde_json::json!([
            {"opt_name": "tag:!ipxe6,59", "opt_value": "tftp://[2001:db8::10]/snponly.efi", "ip_version": 6},
            {"opt_name": "tag:ipxe6,59", "opt_value": "http://[2001:db8::10]:8080/boot.ipxe", "ip_version": 6}
        ])
    );
}

/// A request of `kind` from architecture `arch`, for the reply builder.
fn request(family: Family, kind: ClientKind, arch: Option<ClientArch>) -> ClientRequest {
    ClientRequest {
        family,
        message_type: Some(1),
        xid: 1,
        kind,
        arch,
        vendor_class: Default::default(),
        features: Default::default(),
        ipxe_version: None,
        mac: None,
        duid: Default::default(),
        machine_id: None,
    }
}

#[test]
fn every_row_gives_the_boot_file_the_reply_builder_gives() {
    for stem in [
        "bios",
        "mixed",
        "long-url",
        "special-chars",
        "ipv6",
        "ipv6-special",
    ] {
        let doc = site_doc(stem);
        let site = Site::parse(&doc).unwrap();
        let config = site.config();
        let (family, rows): (Family, &[table::Stage1]) = match config.tftp_server {
            Some(Host::V6(_)) => (Family::V6, &table::STAGE1_V6),
            _ => (Family::V4, &table::STAGE1_V4),
        };
        let ipxe = build_reply(
            config,
            &request(family, ClientKind::Ipxe, Some(ClientArch(7))),
        )
        .unwrap();
        assert_eq!(ipxe.bootfile, table::script_url(config).unwrap(), "{stem}");
        for row in rows {
            for arch in row.archs {
                let (kind, expected) = match row.fetch {
                    table::Fetch::Http => (
                        ClientKind::UefiHttpBoot,
                        table::http_loader_url(config, row.loader).unwrap(),
                    ),
                    table::Fetch::Tftp => (
                        ClientKind::FirmwarePxe,
                        match family {
                            Family::V4 => table::tftp_loader_name(config, row.loader)
                                .unwrap()
                                .try_into()
                                .unwrap(),
                            Family::V6 => table::tftp_loader_url(
                                table::tftp_server_v6(config).unwrap(),
                                config,
                                row.loader,
                            )
                            .unwrap(),
                        },
                    ),
                };
                let reply = build_reply(config, &request(family, kind, Some(*arch))).unwrap();
                assert_eq!(reply.bootfile, expected, "{stem} {}", row.name);
                if family == Family::V4 && row.fetch == table::Fetch::Tftp {
                    let Some(Host::V4(server)) = config.tftp_server else {
                        panic!()
                    };
                    assert_eq!(reply.siaddr, Some(server), "{stem} {}", row.name);
                }
                if row.fetch == table::Fetch::Http {
                    assert_eq!(
                        reply.vendor_class,
                        Some("HTTPClient"),
                        "{stem} {}",
                        row.name
                    );
                }
            }
        }
    }
}

#[test]
fn dnsmasq_lines_fit_its_line_buffer() {
    // dnsmasq reads a config line into a 1025-byte buffer (MAXDNAME); a longer line would be
    // read as two.
    for (stem, _) in SITES {
        let text =
            String::from_utf8(render_doc(&site_doc(stem), Format::Dnsmasq).unwrap()).unwrap();
        assert!(text.lines().all(|l| l.len() < 1024), "{stem}");
    }
    let macs: Vec<String> = (0..8)
        .map(|i| format!("\"52:54:00:00:99:{i:02x}\""))
        .collect();
    let doc = format!(
        r#"{{"schema": 1, "http_server": "192.0.2.1", "http_root": "/r", "tftp_server": "192.0.2.1",
            "nodes": [{{"id": "n", "nics": [{}], "mode": "local", "ipv4": "192.0.2.9", "ipv6": "2001:db8::9",
                        "hostname": "{}"}}]}}"#,
        macs.join(","),
        [
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(61)
        ]
        .join(".")
    );
    let text = String::from_utf8(render_doc(doc.as_bytes(), Format::Dnsmasq).unwrap()).unwrap();
    let host = text.lines().find(|l| l.starts_with("dhcp-host=")).unwrap();
    assert!(host.len() < 1024, "{}", host.len());
}

/// dnsmasq's configs tag iPXE once, `ipxe`, for both families (its `dhcp-userclass` matches
/// DHCPv4 option 77 and DHCPv6 option 15 alike), and gate every boot line with it: `tag:ipxe`
/// on the stage-2 lines, `tag:!ipxe` on every stage-1 line.
#[test]
fn dnsmasq_tags_ipxe_once_for_both_families() {
    for (stem, formats) in SITES {
        // The classic flow has no iPXE stage: see below.
        if !formats.contains(&Format::Dnsmasq) || *stem == "classic" {
            continue;
        }
        let text =
            String::from_utf8(render_doc(&site_doc(stem), Format::Dnsmasq).unwrap()).unwrap();
        let settings: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        let setters: Vec<&str> = settings
            .iter()
            .copied()
            .filter(|l| l.contains("set:ipxe"))
            .collect();
        assert_eq!(
            setters,
            ["dhcp-match=set:ipxe,175", "dhcp-userclass=set:ipxe,iPXE"],
            "{stem}"
        );
        assert!(!text.contains("ipxe6"), "{stem}");
        for line in settings {
            let boot = line.starts_with("dhcp-boot=")
                || line.starts_with("dhcp-option=")
                || line.starts_with("dhcp-option-force=");
            if !boot {
                continue;
            }
            let stage2 = line.contains("=tag:ipxe,");
            let stage1 = line.contains("=tag:!ipxe,tag:");
            assert!(stage1 ^ stage2, "{stem}: {line}");
        }
    }
}

/// The ProxyDHCP config gives each firmware-PXE architecture of the table one `pxe-service`,
/// gated with `tag:!ipxe`, naming the row's loader and the TFTP server; iPXE gets the script
/// from `dhcp-boot=tag:ipxe,...` with the TFTP server as next server; no addresses are
/// handed out.
#[test]
fn dnsmasq_proxy_gives_one_pxe_service_per_architecture_and_the_script_to_ipxe() {
    for stem in ["bios", "mixed", "https", "special-chars"] {
        let doc = site_doc(stem);
        let text = String::from_utf8(render_doc(&doc, Format::DnsmasqProxy).unwrap()).unwrap();
        let site = Site::parse(&doc).unwrap();
        let config = site.config();
        let Some(Host::V4(server)) = config.tftp_server else {
            panic!("{stem}: an IPv4 tftp_server")
        };
        let settings: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        let services: Vec<&str> = settings
            .iter()
            .copied()
            .filter(|l| l.starts_with("pxe-service="))
            .collect();
        let mut expected = Vec::new();
        for row in table::STAGE1_V4
            .iter()
            .filter(|r| r.fetch == table::Fetch::Tftp)
        {
            let loader = table::tftp_loader_name(config, row.loader).unwrap();
            for arch in row.archs {
                expected.push(format!(
                    "pxe-service=tag:!ipxe,{},\"{}\",\"{loader}\",{server}",
                    arch.0, row.what
                ));
            }
        }
        assert_eq!(services, expected, "{stem}");
        let script = table::script_url(config).unwrap();
        let boot: Vec<&str> = settings
            .iter()
            .copied()
            .filter(|l| l.starts_with("dhcp-boot="))
            .collect();
        assert_eq!(
            boot,
            [format!("dhcp-boot=tag:ipxe,\"{script}\",,{server}")],
            "{stem}"
        );
        assert!(settings.contains(&"pxe-prompt=\"PXE\",0"), "{stem}");
        for absent in ["dhcp-range", "dhcp-host", "dhcp-option", "option6", "ipxe6"] {
            assert!(
                !settings.iter().any(|l| l.contains(absent)),
                "{stem}: {absent}"
            );
        }
        // What the operator adds around it is in the header.
        assert!(text.contains("#   dhcp-range=<network address>,proxy\n"));
        assert!(text.contains("#   port=0\n"));
    }
}

/// dnsmasq puts a ProxyDHCP answer's boot file only in the 128-byte `file` field, and sends a
/// `pxe-service` name without a `.` with `.0` appended: the config refuses both, naming the
/// field.
#[test]
fn dnsmasq_proxy_refuses_names_dnsmasq_would_change() {
    let site = |http: &str, bios: &str| {
        format!(
            r#"{{"schema": 1, "http_server": "{http}", "http_root": "/srv/http", "tftp_server": "192.0.2.1",
                "pxe_bootfile_name": "{bios}"}}"#
        )
    };
    let base = "http://192.0.2.1/";
    let tail = "/boot.ipxe";
    let url_of = |len: usize| format!("{base}{}", "p".repeat(len - base.len() - tail.len()));
    render_doc(
        site(&url_of(127), "undionly.kpxe").as_bytes(),
        Format::DnsmasqProxy,
    )
    .unwrap();
    assert_eq!(
        error_of(&site(&url_of(128), "undionly.kpxe"), Format::DnsmasqProxy),
        Error::at(ErrorKind::TooLong { max: 127 }, Field::HttpServer)
    );
    // The full-DHCP config moves it to option 67 instead.
    render_doc(
        site(&url_of(128), "undionly.kpxe").as_bytes(),
        Format::Dnsmasq,
    )
    .unwrap();
    let e = error_of(&site(base, "undionly"), Format::DnsmasqProxy);
    assert_eq!(
        e,
        Error::at(ErrorKind::NoFileExtension, Field::PxeBootfileName)
    );
    assert!(
        e.to_string().starts_with(
            "pxe_bootfile_name: has no `.`: dnsmasq's pxe-service would send it with `.0` appended"
        ),
        "{e}"
    );
    let long_name = format!("{}.kpxe", "u".repeat(123));
    assert_eq!(
        error_of(&site(base, &long_name), Format::DnsmasqProxy),
        Error::at(ErrorKind::TooLong { max: 127 }, Field::PxeBootfileName)
    );
}

/// The ProxyDHCP config and the ProxyDHCP reply builder give each client the same boot file
/// and next server, row by row: a `pxe-service` line's loader and server are the firmware's
/// `file` and `siaddr`, the `dhcp-boot` line's file and server are iPXE's.
#[test]
fn dnsmasq_proxy_rows_give_what_the_proxy_reply_builder_gives() {
    for stem in ["bios", "mixed", "https", "special-chars"] {
        let doc = site_doc(stem);
        let text = String::from_utf8(render_doc(&doc, Format::DnsmasqProxy).unwrap()).unwrap();
        let site = Site::parse(&doc).unwrap();
        let config = site.config();
        for line in text.lines().filter(|l| l.starts_with("pxe-service=")) {
            // pxe-service=tag:!ipxe,<arch>,"<menu>","<loader>",<server>
            let fields: Vec<&str> = line.rsplitn(3, ',').collect();
            let (server, loader) = (fields[0], fields[1].trim_matches('"'));
            let arch: u16 = line["pxe-service=tag:!ipxe,".len()..]
                .split(',')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            // The answer that names the loader: to UEFI firmware's REQUEST on port 4011
            // (its DISCOVER gets an offer without file), to BIOS firmware's DISCOVER too.
            let mut request = request(Family::V4, ClientKind::FirmwarePxe, Some(ClientArch(arch)));
            request.message_type = Some(3);
            let reply = build_proxy_reply(config, &request, None).unwrap();
            assert_eq!(reply.bootfile.as_str(), loader, "{stem}: {line}");
            assert_eq!(reply.siaddr.unwrap().to_string(), server, "{stem}: {line}");
        }
        if config.http_base.is_https() {
            // Only an iPXE that announces HTTPS gets an https:// script (tested elsewhere).
            continue;
        }
        let boot = text.lines().find(|l| l.starts_with("dhcp-boot=")).unwrap();
        let (file, server) = boot["dhcp-boot=tag:ipxe,".len()..]
            .rsplit_once(",,")
            .unwrap();
        let reply = build_proxy_reply(
            config,
            &request(Family::V4, ClientKind::Ipxe, Some(ClientArch(0))),
            None,
        )
        .unwrap();
        assert_eq!(reply.bootfile.as_str(), file.trim_matches('"'), "{stem}");
        assert_eq!(reply.siaddr.unwrap().to_string(), server, "{stem}");
    }
}

/// A site of the classic flow (`ipxe_enabled` false): no format has an iPXE stage or gate
/// (no tag, class or branch for iPXE, no option 175, no script URL); every DHCPv4 format
/// names both classic loaders with the TFTP server; the DHCPv6 ones set no boot option and
/// keep the hosts; and every row gives the boot file the reply builder gives.
#[test]
fn a_classic_site_has_no_ipxe_stage_in_any_format() {
    let doc = site_doc("classic");
    for format in FORMATS {
        let text = String::from_utf8(render_doc(&doc, format).unwrap()).unwrap();
        let settings: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        let settings = match format {
            Format::Kea4 | Format::Kea6 | Format::Neutron => {
                // JSON: leave the comment out.
                let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
                let inner = v.get_mut("Dhcp4").or(None);
                if let Some(inner) = inner {
                    inner.as_object_mut().unwrap().remove("comment");
                }
                if let Some(inner) = v.get_mut("Dhcp6") {
                    inner.as_object_mut().unwrap().remove("comment");
                }
                v.as_object_mut().unwrap().remove("comment");
                v.to_string()
            }
            _ => settings,
        };
        for word in ["ipxe,", "ipxe'", "iPXE", "175", "boot.ipxe", "http://"] {
            assert!(!settings.contains(word), "{format:?}: {word}\n{settings}");
        }
        match format {
            Format::Isc6 | Format::Kea6 => {
                assert!(!settings.contains("bootfile-url"), "{format:?}");
                assert!(settings.contains("2001:db8::62"), "{format:?}: the host");
            }
            Format::Neutron => {
                assert!(settings.contains(r#""opt_name":"67","opt_value":"pxelinux.0""#));
                assert!(settings.contains(r#""opt_name":"67","opt_value":"grubnetx64.efi""#));
            }
            Format::DnsmasqProxy => {
                // GRUB cannot boot through ProxyDHCP: BIOS (PXELINUX) only.
                assert!(settings.contains("pxe-service=0,"), "{format:?}");
                assert!(!settings.contains("grubnetx64.efi"), "{format:?}");
            }
            _ => {
                assert!(settings.contains("pxelinux.0"), "{format:?}");
                assert!(settings.contains("grubnetx64.efi"), "{format:?}");
                assert!(settings.contains("192.0.2.10"), "{format:?}");
            }
        }
    }
    let site = Site::parse(&doc).unwrap();
    let config = site.config();
    assert!(table::rows_for(config, Family::V6).is_empty());
    for row in table::rows_for(config, Family::V4) {
        for arch in row.archs {
            for kind in [ClientKind::FirmwarePxe, ClientKind::Ipxe] {
                let reply = build_reply(config, &request(Family::V4, kind, Some(*arch))).unwrap();
                assert_eq!(
                    reply.bootfile.as_str(),
                    table::tftp_loader_name(config, row.loader).unwrap(),
                    "{}",
                    row.name
                );
                assert_eq!(reply.siaddr, Some(std::net::Ipv4Addr::new(192, 0, 2, 10)));
            }
        }
    }
    assert_eq!(
        config.loader(LoaderKind::Bios).as_str(),
        "pxelinux.0",
        "the classic flow's default BIOS loader"
    );
    assert_eq!(
        config.loader(LoaderKind::UefiX64).as_str(),
        "grubnetx64.efi"
    );
}
