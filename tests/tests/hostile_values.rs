//! Values iPXE would misread, malformed addresses and ids, oversize values: each is refused
//! with the right error kind, naming the right field (and node). For a site of the classic
//! flow (`ipxe_enabled` false), every value that reaches PXELINUX's or GRUB's config either is
//! refused naming its field or reaches them as one unchanged argument.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail the test loudly"
)]

use ipxegen_core::error::At;
use ipxegen_core::schema::Scope;
use ipxegen_core::site::Problem;
use ipxegen_core::{ErrorKind, Field, Site};

/// A refused character and its position in the value (from 1).
fn at(character: char, position: u16) -> At {
    At {
        character,
        position,
    }
}

const NODE: &str = r#"{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "deploy", "kernel": "/k", "ramdisk": "/r"}"#;

/// A site with `site_extra` members added to a valid site, and one node (`node`).
fn site(site_extra: &str, node: &str) -> String {
    format!(
        r#"{{"schema": 1, "http_server": "192.0.2.1", "http_root": "/srv"{site_extra}, "nodes": [{node}]}}"#
    )
}

/// The valid node with `member` added (a later key of the same name is refused as a
/// duplicate, so members the base node has are replaced instead).
fn node_with(member: &str) -> String {
    let key = member.split('"').nth(1).unwrap_or_default();
    let base: serde_like::Members = serde_like::parse(NODE);
    let mut parts: Vec<String> = base
        .into_iter()
        .filter(|(k, _)| k != key)
        .map(|(k, v)| format!("\"{k}\": {v}"))
        .collect();
    parts.push(member.to_string());
    format!("{{{}}}", parts.join(", "))
}

/// A tiny splitter for the flat test node above (no nested commas in its values but `nics`).
mod serde_like {
    pub type Members = Vec<(String, String)>;
    pub fn parse(object: &str) -> Members {
        let inner = object.trim().trim_start_matches('{').trim_end_matches('}');
        let mut out = Vec::new();
        let mut depth = 0;
        let mut start = 0;
        let bytes = inner.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => depth -= 1,
                b',' if depth == 0 => {
                    out.push(split(&inner[start..i]));
                    start = i + 1;
                }
                _ => {}
            }
        }
        out.push(split(&inner[start..]));
        out
    }
    fn split(member: &str) -> (String, String) {
        let (k, v) = member.split_once(":").unwrap_or((member, ""));
        (k.trim().trim_matches('"').to_string(), v.trim().to_string())
    }
}

struct Case {
    what: &'static str,
    doc: String,
    kind: ErrorKind,
    field: Field,
    node: Option<u32>,
}

fn site_case(what: &'static str, member: &str, kind: ErrorKind, field: Field) -> Case {
    let mut doc = site(&format!(", {member}"), NODE);
    if member.starts_with(r#""http_server""#) {
        doc = doc.replacen(r#""http_server": "192.0.2.1", "#, "", 1);
    }
    Case {
        what,
        doc,
        kind,
        field,
        node: None,
    }
}

fn node_case(what: &'static str, member: &str, kind: ErrorKind, field: Field) -> Case {
    Case {
        what,
        doc: site("", &node_with(member)),
        kind,
        field,
        node: Some(0),
    }
}

fn first_error(doc: &str) -> Option<ipxegen_core::Error> {
    match Site::parse(doc.as_bytes()) {
        Err(e) => Some(e),
        Ok(site) => site.nodes().find_map(Result::err),
    }
}

#[test]
fn hostile_values_are_refused_naming_their_field() {
    let long_id = "a".repeat(65);
    let long_args = "x".repeat(1100);
    let iscsi = |target: &str| format!(r#""mode": "iscsi", "iscsi": [{target}]"#);
    let iscsi_node = |target: &str| {
        let mut n = node_with(&iscsi(target));
        for k in [
            r#""kernel": "/k", "#,
            r#", "kernel": "/k""#,
            r#""ramdisk": "/r", "#,
            r#", "ramdisk": "/r""#,
        ] {
            n = n.replace(k, "");
        }
        n
    };
    let cases = vec![
        node_case(
            "setting expansion in kernel args",
            r#""kernel_args": "console=ttyS0 ${evil}""#,
            ErrorKind::Expansion,
            Field::NodeKernelArgs,
        ),
        node_case(
            "operator in kernel args",
            r#""kernel_args": "quiet || reboot""#,
            ErrorKind::Operator,
            Field::NodeKernelArgs,
        ),
        node_case(
            "a lone pipe in kernel args (a mistyped ||)",
            r#""kernel_args": "quiet | reboot""#,
            ErrorKind::LoneOperatorCharacter,
            Field::NodeKernelArgs,
        ),
        node_case(
            "newline injecting a command",
            r#""kernel_args": "quiet\nchain http://evil/x""#,
            ErrorKind::Whitespace(at('\n', 6)),
            Field::NodeKernelArgs,
        ),
        node_case(
            "NUL byte in kernel args",
            r#""kernel_args": "quiet\u0000x""#,
            ErrorKind::ControlByte(at('\0', 6)),
            Field::NodeKernelArgs,
        ),
        node_case(
            "backslash line continuation",
            r#""kernel_args": "quiet\\""#,
            ErrorKind::Backslash,
            Field::NodeKernelArgs,
        ),
        node_case(
            "comment token in kernel args",
            r##""kernel_args": "#rest""##,
            ErrorKind::LeadingHash,
            Field::NodeKernelArgs,
        ),
        node_case(
            "initrd= set by hand",
            r#""kernel_args": "initrd=other""#,
            ErrorKind::ReservedArgument,
            Field::NodeKernelArgs,
        ),
        node_case(
            "oversize kernel args",
            &format!(r#""kernel_args": "{long_args}""#),
            ErrorKind::TooLong { max: 1024 },
            Field::NodeKernelArgs,
        ),
        node_case(
            "space in a kernel URL",
            r#""kernel": "http://x/k ${y}""#,
            ErrorKind::Whitespace(at(' ', 11)),
            Field::Kernel,
        ),
        node_case(
            "expansion in a ramdisk URL",
            r#""ramdisk": "http://x/${y}""#,
            ErrorKind::Expansion,
            Field::Ramdisk,
        ),
        node_case(
            "bad percent escape",
            r#""ramdisk": "ftp://x/%zz""#,
            ErrorKind::InvalidPercentEncoding,
            Field::Ramdisk,
        ),
        node_case(
            "id escaping the root",
            r#""id": "../etc""#,
            ErrorKind::EscapesRoot,
            Field::NodeId,
        ),
        node_case(
            "id with a space",
            r#""id": "a b""#,
            ErrorKind::Whitespace(at(' ', 2)),
            Field::NodeId,
        ),
        node_case(
            "id taken as an option",
            r#""id": "-rf""#,
            ErrorKind::LeadingDash,
            Field::NodeId,
        ),
        node_case(
            "malformed UUID",
            r#""id": "1be26c0b-03f2-4d2e-ae87-c02d7f33c1zz""#,
            ErrorKind::InvalidUuid,
            Field::NodeId,
        ),
        node_case(
            "oversize id",
            &format!(r#""id": "{long_id}""#),
            ErrorKind::TooLong { max: 64 },
            Field::NodeId,
        ),
        node_case(
            "short MAC",
            r#""nics": ["52:54:00:12:34"]"#,
            ErrorKind::InvalidMac,
            Field::NicMac,
        ),
        node_case(
            "non-hex MAC",
            r#""nics": [{"mac": "zz:54:00:12:34:56"}]"#,
            ErrorKind::InvalidMac,
            Field::NicMac,
        ),
        node_case(
            "timeout in seconds",
            r#""timeout_ms": 180"#,
            ErrorKind::TimeoutNotMilliseconds,
            Field::NodeTimeoutMs,
        ),
        node_case(
            "field of another mode",
            r#""iso": "/x.iso""#,
            ErrorKind::NotForMode,
            Field::Iso,
        ),
        node_case(
            "unknown mode",
            r#""mode": "netboot""#,
            ErrorKind::UnknownValue,
            Field::Mode,
        ),
        site_case(
            "expansion in http_server",
            r#""http_server": "http://x/${y}""#,
            ErrorKind::Expansion,
            Field::HttpServer,
        ),
        site_case(
            "unsupported scheme",
            r#""http_server": "gopher://x""#,
            ErrorKind::UnsupportedScheme,
            Field::HttpServer,
        ),
        site_case(
            "port out of range",
            r#""http_server": "http://x:70000""#,
            ErrorKind::InvalidPort,
            Field::HttpServer,
        ),
        site_case(
            "bad IPv6 literal",
            r#""http_server": "[2001:db8::g]""#,
            ErrorKind::InvalidHost,
            Field::HttpServer,
        ),
        site_case(
            "per-MAC dir escaping",
            r#""per_mac_dir": "../x""#,
            ErrorKind::EscapesRoot,
            Field::PerMacDir,
        ),
        site_case(
            "script name with a space",
            r#""ipxe_boot_script": "boot ipxe""#,
            ErrorKind::Whitespace(at(' ', 5)),
            Field::IpxeBootScript,
        ),
        site_case(
            "fallback taken as a label",
            r#""ipxe_fallback_script": ":x""#,
            ErrorKind::LeadingColon,
            Field::FallbackScript,
        ),
        site_case(
            "site timeout in seconds",
            r#""timeout_ms": 30"#,
            ErrorKind::TimeoutNotMilliseconds,
            Field::TimeoutMs,
        ),
        site_case(
            "operator in site kernel args",
            r#""kernel_args": "a ; b""#,
            ErrorKind::Operator,
            Field::KernelArgs,
        ),
        site_case(
            "retries out of range",
            r#""retries": 1000"#,
            ErrorKind::OutOfRange { min: 0, max: 100 },
            Field::Retries,
        ),
        site_case(
            "retries with a fraction",
            r#""retries": 1.5"#,
            ErrorKind::OutOfRange { min: 0, max: 100 },
            Field::Retries,
        ),
        site_case(
            "timeout with a fraction",
            r#""timeout_ms": 60000.5"#,
            ErrorKind::OutOfRange {
                min: 1000,
                max: 3_600_000,
            },
            Field::TimeoutMs,
        ),
        site_case(
            "timeout beyond u64",
            r#""timeout_ms": 1e400"#,
            ErrorKind::OutOfRange {
                min: 1000,
                max: 3_600_000,
            },
            Field::TimeoutMs,
        ),
        site_case(
            "negative retries",
            r#""retries": -1"#,
            ErrorKind::OutOfRange { min: 0, max: 100 },
            Field::Retries,
        ),
        site_case(
            "retries written as a float",
            r#""retries": 1.0"#,
            ErrorKind::OutOfRange { min: 0, max: 100 },
            Field::Retries,
        ),
        Case {
            what: "schema written as a float",
            doc: site("", NODE).replacen(r#""schema": 1"#, r#""schema": 1.0"#, 1),
            kind: ErrorKind::OutOfRange { min: 1, max: 1 },
            field: Field::Schema,
            node: None,
        },
        node_case(
            "node retries above the range",
            r#""retries": 101"#,
            ErrorKind::OutOfRange { min: 0, max: 100 },
            Field::NodeRetries,
        ),
        node_case(
            "id with a refused character",
            r#""id": "rack1@node1""#,
            ErrorKind::CharacterNotAllowed(At {
                character: '@',
                position: 6,
            }),
            Field::NodeId,
        ),
        node_case(
            "hostname that is an IPv4 address",
            r#""hostname": "192.0.2.9""#,
            ErrorKind::InvalidHostname,
            Field::Hostname,
        ),
        node_case(
            "hostname that is an IPv6 address",
            r#""hostname": "[2001:db8::9]""#,
            ErrorKind::InvalidHostname,
            Field::Hostname,
        ),
        node_case(
            "multicast MAC",
            r#""nics": ["01:00:5e:00:00:fb"]"#,
            ErrorKind::MulticastMac,
            Field::NicMac,
        ),
        node_case(
            "broadcast MAC",
            r#""nics": [{"mac": "FF:FF:FF:FF:FF:FF"}]"#,
            ErrorKind::BroadcastMac,
            Field::NicMac,
        ),
        node_case(
            "all-zero MAC",
            r#""nics": ["00-00-00-00-00-00"]"#,
            ErrorKind::ZeroMac,
            Field::NicMac,
        ),
        Case {
            what: "iSCSI port with a fraction",
            doc: site(
                "",
                &iscsi_node(
                    r#"{"server": "192.0.2.3", "iqn": "iqn.2010-04.org.example:x", "port": 3260.5}"#,
                ),
            ),
            kind: ErrorKind::OutOfRange { min: 1, max: 65535 },
            field: Field::IscsiPort,
            node: Some(0),
        },
        Case {
            what: "CHAP secret with a space",
            doc: site(
                "",
                &iscsi_node(
                    r#"{"server": "192.0.2.3", "iqn": "iqn.2010-04.org.example:x", "username": "u", "password": "a b"}"#,
                ),
            ),
            kind: ErrorKind::Whitespace(at(' ', 2)),
            field: Field::IscsiPassword,
            node: Some(0),
        },
        Case {
            what: "malformed target IQN",
            doc: site(
                "",
                &iscsi_node(r#"{"server": "192.0.2.3", "iqn": "target1"}"#),
            ),
            kind: ErrorKind::InvalidIqn,
            field: Field::IscsiIqn,
            node: Some(0),
        },
        node_case(
            "system UUID without hyphens",
            r#""system_uuid": "0b9c4f5e1d2a4c3b8e7f123456789abc""#,
            ErrorKind::InvalidSystemUuid,
            Field::SystemUuid,
        ),
        node_case(
            "system UUID in braces",
            r#""system_uuid": "{0b9c4f5e-1d2a-4c3b-8e7f-123456789abc}""#,
            ErrorKind::InvalidSystemUuid,
            Field::SystemUuid,
        ),
        node_case(
            "system UUID as a URN",
            r#""system_uuid": "urn:uuid:0b9c4f5e-1d2a-4c3b-8e7f-123456789abc""#,
            ErrorKind::InvalidSystemUuid,
            Field::SystemUuid,
        ),
        node_case(
            "system UUID with a hyphen moved",
            r#""system_uuid": "0b9c4f5e-1d2a4-c3b-8e7f-123456789abc""#,
            ErrorKind::InvalidSystemUuid,
            Field::SystemUuid,
        ),
        node_case(
            "system UUID with a non-hex digit",
            r#""system_uuid": "0b9c4f5e-1d2a-4c3b-8e7f-12345678zabc""#,
            ErrorKind::InvalidSystemUuid,
            Field::SystemUuid,
        ),
        node_case(
            "system UUID with a trailing space",
            r#""system_uuid": "0b9c4f5e-1d2a-4c3b-8e7f-123456789abc ""#,
            ErrorKind::InvalidSystemUuid,
            Field::SystemUuid,
        ),
        node_case(
            "system UUID with a newline inside",
            r#""system_uuid": "0b9c4f5e-1d2a-4c3b-8e7f-12345678\n9ab""#,
            ErrorKind::InvalidSystemUuid,
            Field::SystemUuid,
        ),
        node_case(
            "system UUID with an escaped space",
            r#""system_uuid": "0b9c4f5e-1d2a-4c3b-8e7f-123456789ab\u0020""#,
            ErrorKind::InvalidSystemUuid,
            Field::SystemUuid,
        ),
        node_case(
            "system UUID far too long",
            &format!(r#""system_uuid": "{}""#, "0".repeat(5000)),
            ErrorKind::TooLong { max: 64 },
            Field::SystemUuid,
        ),
        node_case(
            "system UUID as a number",
            r#""system_uuid": 42"#,
            ErrorKind::Json(ipxegen_core::JsonError::WrongType),
            Field::SystemUuid,
        ),
        node_case(
            "empty system UUID",
            r#""system_uuid": """#,
            ErrorKind::InvalidSystemUuid,
            Field::SystemUuid,
        ),
        node_case(
            "all-zero system UUID (SMBIOS: not present)",
            r#""system_uuid": "00000000-0000-0000-0000-000000000000""#,
            ErrorKind::UnsetSystemUuid,
            Field::SystemUuid,
        ),
        node_case(
            "all-f system UUID (SMBIOS: not set)",
            r#""system_uuid": "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF""#,
            ErrorKind::UnsetSystemUuid,
            Field::SystemUuid,
        ),
    ];
    assert!(cases.len() >= 20);
    let mut wrong = Vec::new();
    for case in &cases {
        let got = first_error(&case.doc);
        let ok = got.is_some_and(|e| {
            e.kind == case.kind && e.field == Some(case.field) && e.node == case.node
        });
        if !ok {
            wrong.push(format!("{}: got {got:?}\n  doc: {}", case.what, case.doc));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn unknown_and_duplicate_keys_point_at_the_key() {
    let doc = site(r#", "http_rot": "/x""#, NODE);
    let e = first_error(&doc).unwrap();
    assert_eq!(
        e.kind,
        ErrorKind::UnknownField {
            scope: Scope::Site,
            nearest: Some(Field::HttpRoot)
        }
    );
    assert_eq!(
        e.offset,
        Some(u32::try_from(doc.find("\"http_rot\"").unwrap()).unwrap())
    );
    let doc = site(r#", "http_server": "192.0.2.2""#, NODE);
    assert_eq!(first_error(&doc).unwrap().kind, ErrorKind::DuplicateField);
}

#[test]
fn valid_base_is_accepted() {
    assert!(first_error(&site("", NODE)).is_none());
}

/// The message every front end shows for the first problem of `doc`.
fn first_message(doc: &str) -> String {
    first_error(doc).map_or_else(String::new, |e| {
        Problem::in_document(doc.as_bytes(), e).to_string()
    })
}

#[test]
fn unknown_keys_are_named_with_the_nearest_known_one() {
    let cases = [
        (
            r#""kernal": "/k""#,
            r#"nodes[0]: unknown field "kernal"; did you mean "kernel"?"#,
        ),
        (
            r#""colour": 1"#,
            r#"nodes[0]: unknown field "colour" (check its spelling)"#,
        ),
        (
            r#""nics": [{"mac": "52:54:00:12:34:56", "pxee": false}]"#,
            r#"nodes[0].nics[0]: unknown field "pxee"; did you mean "pxe"?"#,
        ),
    ];
    for (member, want) in cases {
        let doc = site("", &node_with(member));
        assert_eq!(
            first_message(&doc),
            format!(r#"node "n1": {want}"#),
            "{doc}"
        );
    }
    let doc = site(r#", "tftp_rot": "/t""#, NODE);
    assert_eq!(
        first_message(&doc),
        r#"unknown field "tftp_rot"; did you mean "tftp_root"?"#
    );
}

#[test]
fn echoed_values_are_elided_and_escaped() {
    // A 50 MB id gives a short line, not a 50 MB one.
    let huge = "x".repeat(50 << 20);
    let doc = site("", &node_with(&format!(r#""id": "{huge}""#)));
    let message = first_message(&doc);
    assert!(message.len() < 200, "{} bytes", message.len());
    assert!(
        message.contains(&format!("\"{}\"…", "x".repeat(64))),
        "{message}"
    );
    // A key holding what would read as a second log line stays on one line.
    let doc = site("", &node_with(r#""a\nipxegen: forged\u001b[2J": 1"#));
    let message = first_message(&doc);
    assert!(
        !message.contains('\n') && !message.contains('\u{1b}'),
        "{message}"
    );
    assert!(
        message.contains(r#""a\\nipxegen: forged\\u001b[2J""#),
        "{message}"
    );
    // A 50 MB unknown key likewise.
    let doc = site("", &node_with(&format!(r#""{huge}": 1"#)));
    assert!(first_message(&doc).len() < 200);
}

#[test]
fn a_bad_system_uuid_names_node_and_field() {
    let doc = site(
        "",
        &node_with(r#""system_uuid": "0b9c4f5e1d2a4c3b8e7f123456789abc""#),
    );
    assert_eq!(
        first_message(&doc),
        "node \"n1\": nodes[0].system_uuid: not a system UUID (expected 8-4-4-4-12 hex digits as `dmidecode -s system-uuid` prints them, such as 0b9c4f5e-1d2a-4c3b-8e7f-123456789abc)"
    );
    // Either case is taken (dmidecode prints upper case on some machines).
    let doc = site(
        "",
        &node_with(r#""system_uuid": "4C4C4544-0042-3510-8048-B7C04F565931""#),
    );
    assert!(first_error(&doc).is_none());
    // A JSON escape is decoded, as in the other values ipxegen copies (MACs, addresses).
    let doc = site(
        "",
        &node_with(r#""system_uuid": "\u0030b9c4f5e-1d2a-4c3b-8e7f-123456789abc""#),
    );
    assert!(first_error(&doc).is_none());
}

// Templates: a value reaches a template's output only as the reader validated it, and a
// template iPXE (or the linter) would misread is refused where it is.

/// A node config template that writes every value a node can have.
const EVERY_VALUE: &str = r#"#!ipxe
{{#if https}}
# ipxegen-lint: allow https-url
{{/if}}
# every value of node {{ node_id }}
echo node {{ node_id }} mode {{ mode }} timeout {{ timeout_ms }} retries {{ retries }} attempts {{ attempts }}
{{#if kernel_url}}
kernel --timeout {{ timeout_ms }} {{ kernel_url }} initrd={{ initrd_name }} {{ bootif }}{{#if kickstart_url}} inst.ks={{ kickstart_url }}{{/if}}{{#if repo_url}} inst.repo={{ repo_url }}{{/if}}{{#if stage2_url}} inst.stage2={{ stage2_url }}{{/if}}{{#if kernel_args}} {{ kernel_args }}{{/if}} || goto fail
initrd --name {{ initrd_name }} {{ initrd_url }} || goto fail
boot || goto fail
{{/if}}
{{#if iso_url}}
sanboot --no-describe {{ iso_url }} || goto fail
{{/if}}
{{#if chain_url}}
chain --timeout {{ timeout_ms }} {{ chain_url }} || goto fail
{{/if}}
{{#if mode_iscsi}}
{{#if initiator_iqn}}
set initiator-iqn {{ initiator_iqn }}
{{/if}}
{{#each iscsi_targets}}
{{#if chap_username}}
set username {{ chap_username }}
set password {{ chap_password }}
{{/if}}
sanhook --drive {{ drive }} {{ iscsi_root }} || goto fail
{{/each}}
sanboot --no-describe --drive 0x80 || goto fail
{{/if}}
:fail
exit 1
"#;

/// The first problem of `doc` (whose templates are `templates`, by path) as the check words
/// it, or the rendered config of node 0 when there is none.
#[allow(clippy::unwrap_used, reason = "a test helper: the test fails")]
fn check_with_templates(doc: &str, templates: &[(&str, &[u8])]) -> Result<String, String> {
    use ipxegen_core::limits::SCRIPT_MAX;
    use ipxegen_core::model::TemplateFile;
    let site = Site::parse(doc.as_bytes())
        .map_err(|e| Problem::in_document(doc.as_bytes(), e).to_string())?;
    let mut refs: Vec<ipxegen_core::model::TemplateRef<'_>> = Vec::new();
    for r in site.template_refs() {
        if !refs.iter().any(|known| known.same_file(&r)) {
            refs.push(r);
        }
    }
    let files: Vec<TemplateFile<'_>> = refs
        .iter()
        .map(|r| {
            let path = r.slot.path.to_string();
            match templates.iter().find(|(p, _)| *p == path) {
                Some((_, bytes)) => TemplateFile::load(*r, bytes),
                None => TemplateFile::unreadable(*r, "no such test template"),
            }
        })
        .collect();
    let site = site.with_templates(&files);
    let mut first = None;
    let mut scratch = vec![0u8; SCRIPT_MAX];
    let checked = site.check_with(
        &mut ipxegen_core::site::RescanSeen::new(&site),
        &mut scratch,
        |event| {
            if let (ipxegen_core::site::CheckEvent::Problem(p), None) = (event, &first) {
                first = Some(p.to_string());
            }
        },
    );
    let Ok(site) = checked else {
        return Err(first.unwrap_or_default());
    };
    let node = site.nodes().next().unwrap().unwrap();
    let mut out = Vec::new();
    ipxegen_core::ipxe::write_node_config(
        site.config(),
        &node,
        &mut ipxegen_tests::VecWriter(&mut out),
    )
    .unwrap();
    Ok(String::from_utf8(out).unwrap())
}

/// `doc` with `"ipxe_config_template": "every.ipxe"` for every node.
fn naming_every_value(doc: &str) -> String {
    doc.replacen('{', r#"{"ipxe_config_template": "every.ipxe", "#, 1)
}

#[test]
fn a_value_refused_by_the_reader_is_refused_with_a_template_too() {
    // Every node value of the cases above, through a template that writes every value:
    // refused as without it, naming the same field (the template reads the same values).
    for (member, field) in [
        (r#""kernel_args": "console=ttyS0 ${evil}""#, "kernel_args"),
        (r#""kernel_args": "quiet || reboot""#, "kernel_args"),
        (
            r#""kernel_args": "quiet\nchain http://evil/x""#,
            "kernel_args",
        ),
        (r#""kernel_args": "quiet\u0000x""#, "kernel_args"),
        (r##""kernel_args": "#rest""##, "kernel_args"),
        (r#""kernel_args": "quiet\\""#, "kernel_args"),
        (r#""kernel": "http://x/k ${y}""#, "kernel"),
        (r#""ramdisk": "http://x/${y}""#, "ramdisk"),
        (r#""id": "-rf""#, "id"),
        (r#""id": "a;b""#, "id"),
    ] {
        let doc = naming_every_value(&site("", &node_with(member)));
        let got = check_with_templates(&doc, &[("every.ipxe", EVERY_VALUE.as_bytes())]);
        let message = got.expect_err(member);
        assert!(
            message.contains(&format!("nodes[0].{field}: ")),
            "{member}: {message}"
        );
    }
}

#[test]
fn accepted_values_reach_a_template_s_output_as_whole_arguments_and_lint_clean() {
    let templates: &[(&str, &[u8])] = &[("every.ipxe", EVERY_VALUE.as_bytes())];
    // An id that is a lint rule's name, arguments that look like options and operators, a
    // quote written as a JSON escape, URLs with a query and percent escapes.
    let deploy = naming_every_value(&site(
        "",
        r#"{"id": "https-url", "nics": ["52:54:00:12:34:56"], "mode": "deploy",
            "kernel": "http://x/k%20a?b=c&d=e", "ramdisk": "https://x/r?v=%7B1%7D",
            "kernel_args": "-- -x a=\"q\" ||x ;y x&&"}"#,
    ));
    let config = check_with_templates(&deploy, templates).unwrap();
    assert!(
        config.contains(
            "kernel --timeout 60000 http://x/k%20a?b=c&d=e initrd=deploy_ramdisk BOOTIF=01-${netX/mac:hexhyp} -- -x a=\"q\" ||x ;y x&& || goto fail\n"
        ),
        "{config}"
    );
    assert!(
        config.contains("# every value of node https-url\n"),
        "{config}"
    );
    assert!(config.contains("initrd --name deploy_ramdisk https://x/r?v=%7B1%7D || goto fail\n"));
    // CHAP values beginning with `-` and holding a quote, after a plain argument.
    let iscsi = naming_every_value(&site(
        "",
        r#"{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "iscsi", "initiator_iqn": "iqn.2010-04.org.example:i",
            "iscsi": [{"server": "192.0.2.3", "iqn": "iqn.2010-04.org.example:x", "username": "-u", "password": "p\"w"}]}"#,
    ));
    let config = check_with_templates(&iscsi, templates).unwrap();
    assert!(
        config.contains("set username -u\nset password p\"w\nsanhook --drive 0x80 iscsi:192.0.2.3:::0:iqn.2010-04.org.example:x || goto fail\n"),
        "{config}"
    );
}

#[test]
fn malformed_templates_are_refused_naming_file_line_and_column() {
    let long = format!("#!ipxe\n{}", "#".repeat(ipxegen_core::limits::TEMPLATE_MAX));
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (
            b"#!ipxe\necho {{ node_id\n".to_vec(),
            r#""t.ipxe":2:6: `{{` is not closed by `}}` on its line"#,
        ),
        (
            b"#!ipxe\necho {{ {{ node_id }} }}\n".to_vec(),
            r#""t.ipxe":2:9: `{{` inside a tag: tags do not nest"#,
        ),
        (
            b"#!ipxe\necho {{ nodeid }}\n".to_vec(),
            r#""t.ipxe":2:6: unknown placeholder; did you mean `node_id`?"#,
        ),
        (
            b"#!ipxe\n{{#if mode_deploy}}\necho x\n".to_vec(),
            r#""t.ipxe":2:1: `{{#if}}` is not closed by `{{/if}}`"#,
        ),
        (
            b"#!ipxe\necho x\n{{/each}}\n".to_vec(),
            r#""t.ipxe":3:1: `{{/each}}` closes no `{{#each}}`"#,
        ),
        (
            long.into_bytes(),
            r#""t.ipxe":1:1: the template is longer than 16384 bytes"#,
        ),
        (
            "#!ipxe\necho caf\u{e9}\n".as_bytes().to_vec(),
            r#""t.ipxe":2:9: a byte that is not ASCII"#,
        ),
        (
            b"#!ipxe\r\necho x\r\n".to_vec(),
            r#""t.ipxe":1:7: a control character"#,
        ),
        (
            b"#!ipxe\necho \x1b[2J {{ node_id }}\n".to_vec(),
            r#""t.ipxe":2:6: a control character"#,
        ),
        (
            b"#!ipxe\necho a\0b\n".to_vec(),
            r#""t.ipxe":2:7: a control character"#,
        ),
        (
            b"#!ipxe\necho ${{{ node_id }}}\n".to_vec(),
            r#""t.ipxe":2:7: not a tag"#,
        ),
        (
            b"#!ipxe\necho ${net{{ node_id }}/mac}\n".to_vec(),
            r#""t.ipxe":2:11: `node_id` inside `${...}`"#,
        ),
        (
            b"#!ipxe\n{{ chain_url }} || goto x\n".to_vec(),
            r#""t.ipxe":2:1: `chain_url` in a command's name or a label"#,
        ),
        (
            b"#!ipxe\n:{{ node_id }}\n".to_vec(),
            r#""t.ipxe":2:2: `node_id` in a command's name or a label"#,
        ),
        (
            b"#!ipxe\necho a || {{ node_id }}\n".to_vec(),
            r#""t.ipxe":2:11: `node_id` in a command's name or a label"#,
        ),
        (
            b"#!ipxe\nkernel {{ kernel_args }} {{ kernel_url }}\n".to_vec(),
            r#""t.ipxe":2:8: `kernel_args` where iPXE may still read options"#,
        ),
        (
            b"#!ipxe\nkernel {{ kernel_url }} a{{ kernel_args }}\n".to_vec(),
            r#""t.ipxe":2:26: `kernel_args` holds whole arguments"#,
        ),
        (
            b"#!ipxe\n# ipxegen-lint: allow {{ node_id }}\n".to_vec(),
            r#""t.ipxe":2:23: `node_id` on an `# ipxegen-lint:` line"#,
        ),
        (
            b"#!ipxe\necho {{ per_mac_dir }}\n".to_vec(),
            r#""t.ipxe":2:6: `per_mac_dir` is not available in this script (only in the main script)"#,
        ),
    ];
    let doc = site("", NODE).replacen('{', r#"{"ipxe_config_template": "t.ipxe", "#, 1);
    for (template, want) in &cases {
        let message = check_with_templates(&doc, &[("t.ipxe", template)]).unwrap_err();
        assert!(
            message.starts_with(&format!("ipxe_config_template: {want}")),
            "{:?}:\n  got  {message}\n  want {want}",
            String::from_utf8_lossy(template)
        );
    }
}

/// A site of the classic flow (`ipxe_enabled` false) with `site_extra` members and one node.
fn classic_site(site_extra: &str, node: &str) -> String {
    format!(
        r#"{{"schema": 1, "ipxe_enabled": false, "http_server": "192.0.2.1", "http_root": "/srv/http", "tftp_server": "192.0.2.1", "tftp_root": "/srv/tftp"{site_extra}, "nodes": [{node}]}}"#
    )
}

/// What a classic site gives: the first problem the whole-site check finds, or the node's
/// PXELINUX and GRUB configs.
fn classic_outcome(doc: &str) -> Result<(String, String), ipxegen_core::Error> {
    classic_outcome_with(doc, &[])
}

/// The shipped classic templates (`examples/templates/`), by the paths
/// [`with_classic_templates`] names them.
fn shipped_classic_templates() -> Vec<(&'static str, Vec<u8>)> {
    let dir = ipxegen_tests::workspace_dir().join("examples/templates");
    ["config.pxelinux", "config.grub.cfg"]
        .into_iter()
        .map(|name| (name, std::fs::read(dir.join(name)).unwrap()))
        .collect()
}

/// `doc` (a classic site) naming the shipped templates for every node's two configs.
fn with_classic_templates(doc: &str) -> String {
    doc.replacen(
        '{',
        r#"{"pxe_config_template": "config.pxelinux", "grub_config_template": "config.grub.cfg", "#,
        1,
    )
}

/// [`classic_outcome`] of `doc` with the template files `templates` (path, bytes) loaded.
fn classic_outcome_with(
    doc: &str,
    templates: &[(&str, Vec<u8>)],
) -> Result<(String, String), ipxegen_core::Error> {
    use ipxegen_core::model::TemplateFile;
    use ipxegen_core::site::FixedSeen;
    use ipxegen_core::tree::{Script, write_script};
    let site = Site::parse(doc.as_bytes())?;
    let refs: Vec<_> = site.template_refs().collect();
    let files: Vec<TemplateFile<'_>> = refs
        .iter()
        .map(|r| {
            let path = r.slot.path.to_string();
            match templates.iter().find(|(p, _)| *p == path) {
                Some((_, bytes)) => TemplateFile::load(*r, bytes),
                None => TemplateFile::unreadable(*r, "no such test template"),
            }
        })
        .collect();
    let site = site.with_templates(&files);
    let mut scratch = vec![0u8; ipxegen_core::limits::SCRIPT_MAX];
    let site = site.checked_with(&mut FixedSeen::<16>::new(), &mut scratch)?;
    let node = site.nodes().next().unwrap()?;
    let render = |script| {
        let mut out = Vec::new();
        write_script(
            site.config(),
            script,
            &mut ipxegen_tests::VecWriter(&mut out),
        )
        .map(|()| String::from_utf8(out).unwrap())
    };
    Ok((
        render(Script::PxelinuxNode(&node))?,
        render(Script::GrubNode(&node))?,
    ))
}

/// The text of `keyword`'s line in a PXELINUX config, as PXELINUX reads it (`fgets`, the
/// first `\r` or `\n` ends the line, leading whitespace skipped, the keyword in any case).
fn pxelinux_value<'c>(config: &'c str, keyword: &str) -> Option<&'c str> {
    config.split('\n').find_map(|line| {
        let line = line.split('\r').next().unwrap_or_default().trim_start();
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        word.eq_ignore_ascii_case(keyword).then_some(rest)
    })
}

/// The words of a GRUB command line as GRUB's lexer makes them (plain characters, `'...'`,
/// `"..."` with `$name` left as written), or `None` for a line it would read otherwise (an
/// operator, a comment, an unbalanced quote, an escape).
fn grub_words(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        let Some(&first) = chars.peek() else {
            return Some(words);
        };
        if first == '#' {
            return None;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            match c {
                ' ' => break,
                '\'' | '"' => {
                    chars.next();
                    loop {
                        match chars.next()? {
                            q if q == c => break,
                            '\\' if c == '"' => return None,
                            other => word.push(other),
                        }
                    }
                }
                '{' | '}' | '|' | '&' | ';' | '<' | '>' | '\\' | '\t' | '\n' => return None,
                other => {
                    chars.next();
                    word.push(other);
                }
            }
        }
        words.push(word);
    }
}

/// The arguments after the kernel path on the GRUB config's `linux` line.
fn grub_linux_args(config: &str) -> Vec<String> {
    let line = config
        .lines()
        .find(|l| l.starts_with("linux "))
        .unwrap_or_else(|| panic!("no linux line:\n{config}"));
    let words = grub_words(line).unwrap_or_else(|| panic!("GRUB would misread {line:?}"));
    words[2..].to_vec()
}

#[test]
fn classic_configs_carry_each_value_unchanged_or_refuse_it() {
    let anaconda = |kickstart: &str, repo: &str, member: &str| {
        format!(
            r#"{{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "anaconda", "kernel": "/k", "ramdisk": "/r", "kickstart": "http://192.0.2.1/{kickstart}", "repo": "http://192.0.2.1/{repo}"{member}}}"#
        )
    };
    let node = |member: &str| anaconda("ks.cfg", "os/", member);
    let shipped = shipped_classic_templates();
    // Values as JSON writes them, each in every field that reaches the configs. A value is
    // refused naming the field it was given in, or both configs carry it as it is: one
    // argument of the command line, on its own line.
    let hostile = [
        r"a'b",
        r#"a\"b"#,
        r"a;reboot",
        r"a&&b",
        r"a|b",
        r"a<b>c",
        r"{a}",
        r"$x",
        r"a#b",
        r"#b",
        r"in",
        r"[[",
        r"a\nLABEL x",
        r"a\rb",
        r"a\u0000b",
        r"a\tb",
        r"a\\b",
        r"-x",
        r"::x",
        r"a,b",
        r"é",
    ];
    let mut accepted = 0;
    for value in hostile {
        let cases = [
            (
                classic_site("", &node(&format!(r#", "kernel_args": "{value}""#))),
                Field::NodeKernelArgs,
                value.to_owned(),
            ),
            (
                classic_site(&format!(r#", "kernel_args": "{value}""#), &node("")),
                Field::KernelArgs,
                value.to_owned(),
            ),
            (
                classic_site("", &anaconda(value, "os/", "")),
                Field::Kickstart,
                format!("inst.ks=http://192.0.2.1/{value}"),
            ),
            (
                classic_site("", &anaconda("ks.cfg", value, "")),
                Field::Repo,
                format!("inst.repo=http://192.0.2.1/{value}"),
            ),
        ];
        for (doc, field, argument) in cases {
            let argument: String = serde_json::from_str(&format!("\"{argument}\"")).unwrap();
            // Through the shipped templates, the same: refused at the same field, or the
            // same configs byte for byte.
            let templated = classic_outcome_with(&with_classic_templates(&doc), &shipped);
            let plain = classic_outcome(&doc);
            match (&plain, &templated) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{value} in {field:?}"),
                (Err(a), Err(b)) => assert_eq!(a.field, b.field, "{value} in {field:?}: {b}"),
                _ => {
                    panic!("{value} in {field:?}: {plain:?} without templates, {templated:?} with")
                }
            }
            match plain {
                Err(e) => assert_eq!(e.field, Some(field), "{value} in {field:?}: {e}"),
                Ok((pxelinux, grub)) => {
                    accepted += 1;
                    let append = pxelinux_value(&pxelinux, "APPEND").unwrap();
                    assert!(
                        append.split(' ').any(|w| w == argument),
                        "{value} in {field:?}: PXELINUX reads APPEND {append:?}"
                    );
                    assert_eq!(pxelinux.lines().count(), 9, "{pxelinux}");
                    assert!(
                        grub_linux_args(&grub).contains(&argument),
                        "{value} in {field:?}: GRUB reads {grub}"
                    );
                    assert_eq!(grub.lines().count(), 11, "{grub}");
                }
            }
        }
    }
    // Some of them reach the configs unchanged (`;`, `&&`, `|`, `#` inside a word, ...).
    assert!(accepted >= 10, "{accepted}");
}

#[test]
fn classic_refusals_name_field_and_node() {
    let kernel_node = |member: &str| {
        format!(
            r#"{{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "deploy", "kernel": "/k", "ramdisk": "/r"{member}}}"#
        )
    };
    let cases: Vec<(&str, String, ErrorKind, Field, Option<u32>)> = vec![
        (
            "a quote GRUB would pass on with a backslash",
            classic_site("", &kernel_node(r#", "kernel_args": "quiet x='a'""#)),
            ErrorKind::GrubQuote(at('\'', 9)),
            Field::NodeKernelArgs,
            Some(0),
        ),
        (
            "a double quote in the site's kernel args",
            classic_site(r#", "kernel_args": "x=\"a b\"""#, &kernel_node("")),
            ErrorKind::GrubQuote(at('"', 3)),
            Field::KernelArgs,
            None,
        ),
        (
            "a kernel URL",
            classic_site(
                "",
                &kernel_node("").replace(r#""/k""#, r#""http://192.0.2.1/k""#),
            ),
            ErrorKind::NeedsLocalFile,
            Field::Kernel,
            Some(0),
        ),
        (
            "a deploy ramdisk URL for the site",
            classic_site(
                r#", "deploy_ramdisk": "tftp://192.0.2.1/r""#,
                &kernel_node(""),
            ),
            ErrorKind::NeedsLocalFile,
            Field::DeployRamdisk,
            None,
        ),
        (
            "iso needs iPXE",
            classic_site(
                "",
                r#"{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "iso", "iso": "/i.iso"}"#,
            ),
            ErrorKind::ModeNeedsIpxe,
            Field::Mode,
            Some(0),
        ),
        (
            "chain needs iPXE",
            classic_site(
                "",
                r#"{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "chain", "url": "http://x/y"}"#,
            ),
            ErrorKind::ModeNeedsIpxe,
            Field::Mode,
            Some(0),
        ),
        (
            "an iPXE timeout",
            classic_site(r#", "timeout_ms": 5000"#, &kernel_node("")),
            ErrorKind::IpxeOnly,
            Field::TimeoutMs,
            None,
        ),
        (
            "a node's iPXE retries",
            classic_site("", &kernel_node(r#", "retries": 1"#)),
            ErrorKind::IpxeOnly,
            Field::NodeRetries,
            Some(0),
        ),
        (
            "a per-MAC directory PXELINUX would not read",
            classic_site(r#", "per_mac_dir": "cfg""#, &kernel_node("")),
            ErrorKind::IpxeOnly,
            Field::PerMacDir,
            None,
        ),
        (
            "no TFTP root",
            classic_site("", &kernel_node("")).replace(r#", "tftp_root": "/srv/tftp""#, ""),
            ErrorKind::NeededWithoutIpxe,
            Field::TftpRoot,
            None,
        ),
        (
            "a node named like GRUB's directory",
            classic_site(
                "",
                &kernel_node("").replace(r#""id": "n1""#, r#""id": "grub""#),
            ),
            ErrorKind::ReplacesSiteName {
                name: Field::GrubDir,
            },
            Field::NodeId,
            Some(0),
        ),
        (
            "a loader named like PXELINUX's module",
            classic_site(
                r#", "uefi_x64_bootfile_name": "ldlinux.c32""#,
                &kernel_node(""),
            ),
            ErrorKind::TftpNameTaken {
                by: Field::LdlinuxModule,
            },
            Field::UefiX64BootfileName,
            None,
        ),
        (
            "a command line longer than the kernel takes",
            classic_site(
                "",
                &format!(
                    r#"{{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "anaconda", "kernel": "/k", "ramdisk": "/r", "kickstart": "http://192.0.2.1/{}", "repo": "http://192.0.2.1/{}", "kernel_args": "{}"}}"#,
                    "k".repeat(480),
                    "r".repeat(480),
                    "b".repeat(1000)
                ),
            ),
            ErrorKind::CommandLineTooLong { max: 2047 },
            Field::NodeKernelArgs,
            Some(0),
        ),
    ];
    for (what, doc, kind, field, node) in cases {
        let e = classic_outcome(&doc).map(|_| ()).unwrap_err();
        assert_eq!(
            (e.kind, e.field, e.node),
            (kind, Some(field), node),
            "{what}: {e}"
        );
    }
    // The same site with `ipxe_enabled` true takes what only the classic flow refuses.
    let doc = classic_site("", &kernel_node(r#", "kernel_args": "quiet x='a'""#))
        .replace(r#""ipxe_enabled": false"#, r#""ipxe_enabled": true"#);
    assert!(first_error(&doc).is_none());
}

/// The first problem the whole-site check reports for `doc` with the template files
/// `templates` (path, bytes) loaded, as every front end words it.
fn first_template_problem(doc: &str, templates: &[(&str, Vec<u8>)]) -> String {
    let borrowed: Vec<(&str, &[u8])> = templates.iter().map(|(p, b)| (*p, b.as_slice())).collect();
    check_with_templates(doc, &borrowed).unwrap_err()
}

#[test]
fn malformed_classic_templates_are_refused_naming_file_line_and_column() {
    let split = "regexp --set=1:m1 --set=2:m2 --set=3:m3 --set=4:m4 --set=5:m5 --set=6:m6 '^(..):(..):(..):(..):(..):(..)$' \"$net_default_mac\"";
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "p.cfg",
            "{{ kernel }}\n".into(),
            r#"pxe_config_template: "p.cfg":1:1: `kernel` in a command's name (GRUB) or a keyword (PXELINUX)"#,
        ),
        (
            "p.cfg",
            "  APPEND x{{ arguments }}\n".into(),
            r#"pxe_config_template: "p.cfg":1:11: `arguments` holds whole arguments"#,
        ),
        (
            "p.cfg",
            "SAY {{ bootif }}\n".into(),
            r#"pxe_config_template: "p.cfg":1:5: `bootif` is not available in this script (only in GRUB configs)"#,
        ),
        (
            "p.cfg",
            "SAY {{ kernal }}\n".into(),
            r#"pxe_config_template: "p.cfg":1:5: unknown placeholder; did you mean `kernel`?"#,
        ),
        (
            "p.cfg",
            "SAY {{#if mode_local}}\n".into(),
            r#"pxe_config_template: "p.cfg":1:5: `{{#if}}` is not closed"#,
        ),
        (
            "p.cfg",
            "SAY a\r\n".into(),
            r#"pxe_config_template: "p.cfg":1:6: a control character"#,
        ),
        (
            "p.cfg",
            "SAY {{ iso_url }}\n".into(),
            r#"pxe_config_template: "p.cfg":1:5: unknown placeholder"#,
        ),
        (
            "g.cfg",
            "echo x; {{ kernel }}\n".into(),
            r#"grub_config_template: "g.cfg":1:9: `kernel` in a command's name"#,
        ),
        (
            "g.cfg",
            "echo ${x{{ node_id }}}\n".into(),
            r#"grub_config_template: "g.cfg":1:9: `node_id` inside `${...}` or after `$`"#,
        ),
        (
            "g.cfg",
            "linux {{ kernel }} '{{ arguments }}'\n".into(),
            r#"grub_config_template: "g.cfg":1:21: `arguments` inside quotes"#,
        ),
        (
            "g.cfg",
            "linux {{ kernel }} {{ bootif }}\n".into(),
            r#"grub_config_template: "g.cfg":1:20: `bootif` reads $m1 to $m6"#,
        ),
        (
            "g.cfg",
            format!("{split}\nlinux {{{{ kernel }}}} {{{{ bootif }}}}x\n"),
            r#"grub_config_template: "g.cfg":2:20: `bootif` holds whole arguments"#,
        ),
        (
            "g.cfg",
            "linux {{ kernel }}\n".into(),
            r#"node "n1": grub_config_template: "g.cfg":1:7: `kernel` has no value in mode local"#,
        ),
        (
            "g.cfg",
            format!("echo {}\n", "a".repeat(1900)),
            r#"node "n1": grub_config_template: "g.cfg":1:1: renders its line 1 longer than 1836 bytes"#,
        ),
    ];
    let local = r#"{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "local"}"#;
    for (file, template, want) in &cases {
        let field = if *file == "p.cfg" {
            "pxe_config_template"
        } else {
            "grub_config_template"
        };
        let doc = classic_site(&format!(r#", "{field}": "{file}""#), local);
        let templates = vec![(*file, template.clone().into_bytes())];
        let message = first_template_problem(&doc, &templates);
        assert!(
            message.starts_with(want),
            "{template:?}:\n  got  {message}\n  want {want}"
        );
    }
    // A classic template in a site that boots through iPXE is refused at its field.
    let doc = classic_site(r#", "pxe_config_template": "p.cfg""#, local)
        .replace(r#""ipxe_enabled": false"#, r#""ipxe_enabled": true"#);
    let e = first_error(&doc).unwrap();
    assert_eq!(e.field, Some(Field::PxeConfigTemplate));
    assert_eq!(e.kind, ErrorKind::ClassicOnly);
    // And an iPXE template in a classic site.
    let doc = classic_site(r#", "ipxe_config_template": "c.ipxe""#, local);
    assert_eq!(first_error(&doc).unwrap().kind, ErrorKind::IpxeOnly);
}
