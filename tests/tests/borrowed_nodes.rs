//! Nodes borrow the site document: JSON escapes are kept where a field takes a character JSON
//! must escape (`"` in kernel arguments, CHAP values and local paths) and refused elsewhere,
//! and a checked site walked again without validation gives exactly the nodes a validating
//! walk gives.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail the test loudly"
)]

use ipxegen_core::archive::{LinkMode, write_tree_archive};
use ipxegen_core::error::At;
use ipxegen_core::site::RescanSeen;
use ipxegen_core::{ErrorKind, Field, Site, ipxe};
use ipxegen_tests::{GOLDEN_CASES, VecWriter};

fn site(node: &str) -> String {
    format!(
        r#"{{"schema": 1, "http_server": "192.0.2.1", "http_root": "/srv", "nodes": [{node}]}}"#
    )
}

fn config_of(doc: &str) -> String {
    let site = Site::parse(doc.as_bytes()).unwrap();
    let node = site.nodes().next().unwrap().unwrap();
    let mut out = Vec::new();
    ipxe::write_node_config(site.config(), &node, &mut VecWriter(&mut out)).unwrap();
    String::from_utf8(out).unwrap()
}

fn first_error(doc: &str) -> ipxegen_core::Error {
    match Site::parse(doc.as_bytes()) {
        Err(e) => e,
        Ok(site) => site.nodes().find_map(Result::err).expect("an error"),
    }
}

#[test]
fn escapes_are_decoded_where_a_field_takes_them() {
    let doc = site(
        r#"{"id": "n1", "nics": ["52:54:00:12:34:5\u0036"], "mode": "ramdisk",
            "kernel": "http://x/k", "ramdisk": "http://x/r",
            "kernel_args": "opt=\"a\"  \u0071uiet"}"#,
    );
    let config = config_of(&doc);
    assert!(
        config.contains(" opt=\"a\" quiet || goto retry\n"),
        "{config}"
    );
    let site_read = Site::parse(doc.as_bytes()).unwrap();
    let node = site_read.nodes().next().unwrap().unwrap();
    assert_eq!(node.nics[0].mac.hexhyp().as_str(), "52-54-00-12-34-56");

    let doc = site(
        r#"{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "iscsi",
            "iscsi": [{"server": "192.0.2.3", "iqn": "iqn.2010-04.org.example:x",
                       "username": "u", "password": "p\"q"}]}"#,
    );
    let config = config_of(&doc);
    assert!(config.contains("set password p\"q\n"), "{config}");
}

#[test]
fn a_local_path_keeps_its_escapes_and_the_manifest_writes_it_back() {
    let doc = site(
        r#"{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "ramdisk",
            "kernel": "/srv/images/a\"b\u00e9", "ramdisk": "/srv/images/r\\s"}"#,
    );
    let site = Site::parse(doc.as_bytes()).unwrap();
    let site = site.checked(&mut RescanSeen::new(&site)).unwrap();
    let mut tar = Vec::new();
    write_tree_archive(&site, LinkMode::Symlink, &mut VecWriter(&mut tar)).unwrap();
    let text = String::from_utf8_lossy(&tar);
    assert!(
        text.contains(r#""source": "/srv/images/a\"bé""#),
        "manifest: {text}"
    );
    assert!(text.contains(r#""source": "/srv/images/r\\s""#), "{text}");
}

#[test]
fn escapes_are_refused_where_a_field_never_needs_them() {
    let node = |member: &str| {
        site(&format!(
            r#"{{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "ramdisk",
                "kernel": "http://x/k", "ramdisk": "http://x/r", {member}}}"#
        ))
    };
    let cases = [
        (
            site(r#"{"id": "n\u0031", "nics": ["52:54:00:12:34:56"], "mode": "local"}"#),
            ErrorKind::JsonEscape,
            Field::NodeId,
        ),
        (
            site(r#"{"id": "n\u0000", "nics": ["52:54:00:12:34:56"], "mode": "local"}"#),
            ErrorKind::ControlByte(At {
                character: '\0',
                position: 2,
            }),
            Field::NodeId,
        ),
        (
            site(
                r#"{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "chain", "url": "http:\/\/x\/k"}"#,
            ),
            ErrorKind::JsonEscape,
            Field::ChainUrl,
        ),
        (
            site(
                r#"{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "chain", "url": "http://x/\u0020"}"#,
            ),
            ErrorKind::Whitespace(At {
                character: ' ',
                position: 10,
            }),
            Field::ChainUrl,
        ),
        (
            node(r#""hostname": "n\u0031""#),
            ErrorKind::JsonEscape,
            Field::Hostname,
        ),
        (
            node(r#""kernel_args": "a\u005c""#),
            ErrorKind::Backslash,
            Field::NodeKernelArgs,
        ),
    ];
    for (doc, kind, field) in cases {
        let e = first_error(&doc);
        assert_eq!((e.kind, e.field), (kind, Some(field)), "{doc}");
    }
    let e =
        first_error(r#"{"schema": 1, "http_server": "http:\/\/192.0.2.1", "http_root": "/srv"}"#);
    assert_eq!(
        (e.kind, e.field),
        (ErrorKind::JsonEscape, Some(Field::HttpServer))
    );
}

/// Every golden site: the nodes of a checked site, read without validation, are the nodes a
/// validating read gives.
#[test]
fn a_checked_site_gives_the_same_nodes_without_validating() {
    let mut sites: Vec<&[u8]> = GOLDEN_CASES.iter().map(|c| c.site).collect();
    sites.dedup();
    let escaped = site(
        r#"{"id": "n1", "nics": ["52:54:00:12:34:56", {"mac": "52:54:00:12:34:57", "pxe": false}],
            "mode": "ramdisk", "kernel": "/k\"1", "ramdisk": "http://x/r",
            "kernel_args": "a=\"b\" \u0063", "timeout_ms": 2000, "retries": 7}"#,
    );
    sites.push(escaped.as_bytes());
    for doc in sites {
        let site = Site::parse(doc).unwrap();
        let checked = site.checked(&mut RescanSeen::new(&site)).unwrap();
        let full: Vec<_> = site.nodes().map(Result::unwrap).collect();
        let trusted: Vec<_> = checked.nodes().map(Result::unwrap).collect();
        assert_eq!(full, trusted, "{}", String::from_utf8_lossy(doc));
        assert_eq!(checked.node_count(), full.len());
    }
}
