//! The manifest reader, on any bytes. Property: a manifest it accepts, written back with the
//! core's manifest writer, reads back to the same entries; and what the writer wrote, read and
//! written back again, is identical bytes.
#![no_main]

use ipxegen_core::manifest::{ManifestLines, ManifestWriter, read_manifest, read_manifest_header};
use libfuzzer_sys::fuzz_target;

/// The manifest `doc` (one the reader accepts) read and written back.
fn write_back(doc: &[u8]) -> Vec<u8> {
    let first = doc.split(|&b| b == b'\n').next().unwrap_or_default();
    let server = read_manifest_header(first).expect("an accepted manifest has a header");
    let mut out = Vec::new();
    let mut writer =
        ManifestWriter::begin_with_http_server(server, &mut out).expect("writes to a Vec");
    let mut lines = ManifestLines::new();
    for line in doc.split(|&b| b == b'\n') {
        if let Some(entry) = lines.line(line).expect("an accepted manifest reads") {
            writer.item(&entry.item()).expect("writes to a Vec");
        }
    }
    lines.finish().expect("an accepted manifest ends");
    writer.finish().expect("writes to a Vec");
    out
}

/// The entries of `doc`, with sources decoded (the writer writes their escapes anew).
fn entries(doc: &[u8]) -> Option<Vec<String>> {
    let mut all = Vec::new();
    read_manifest(doc, |e| {
        let source = e.source.map(|s| s.chars().collect::<String>());
        all.push(format!(
            "{:?} {:?} {:?} {source:?} {:?} {:?}",
            e.root, e.path, e.kind, e.link, e.digest
        ));
    })
    .ok()?;
    Some(all)
}

fuzz_target!(|doc: &[u8]| {
    let Some(read) = entries(doc) else { return };
    let once = write_back(doc);
    assert_eq!(
        entries(&once).as_ref(),
        Some(&read),
        "written back, it reads the same"
    );
    assert_eq!(
        String::from_utf8_lossy(&write_back(&once)),
        String::from_utf8_lossy(&once),
        "what the writer wrote comes back identical"
    );
});
