//! Property tests: every parser of untrusted input in the core takes arbitrary bytes without
//! panicking (the iPXE linter's tokenizer, the DHCP request reader, the site reader, the
//! template parser), and parses of mutated real inputs stay total; a template the parser
//! accepts renders every node without failing on its own account. Run more cases with
//! `PROPTEST_CASES=100000 cargo test -p ipxegen-tests --test fuzz_parsers --release`.

use ipxegen_core::Site;
use ipxegen_core::dhcp::request::parse_request;
use ipxegen_core::dhcp::tlv::Tlvs;
use ipxegen_core::dhcp::v6::Options6;
use ipxegen_core::ipxe::lint::lint_script;
use ipxegen_core::ipxe::template::{Ipxe, Script, write_main_script, write_node_config};
use ipxegen_core::template::Template;
use ipxegen_core::{ErrorKind, output::CountingWriter};
use proptest::prelude::*;

const SITE: &[u8] = include_bytes!("../../examples/site.json");
const SCRIPT: &[u8] = include_bytes!("../golden/ipxe/iscsi-two-targets-chap.ipxe");
const CONFIG_TEMPLATE: &[u8] = include_bytes!("../../examples/templates/config.ipxe");
const MODES_SITE: &[u8] = include_bytes!("../golden/sites/modes.json");

/// Bytes biased towards what templates are made of.
fn template_bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        4 => prop::sample::select(b"{{}}#/ifelseach_node_idkernel_urlmode_deploy \t\n${}:|-".to_vec()),
        1 => any::<u8>(),
    ];
    prop::collection::vec(byte, 0..400)
}

/// Parses `bytes` as both scripts' templates; each accepted one renders every node of the
/// modes site (and the main script) with no error but a value a node lacks.
fn template_is_total(bytes: &[u8]) {
    let Ok(site) = Site::parse(MODES_SITE) else {
        unreachable!("the modes site is valid");
    };
    let own = |e: ipxegen_core::Error| {
        assert!(matches!(e.kind, ErrorKind::Template(_)), "{e:?}");
    };
    if let Ok(t) = Template::<Ipxe>::parse(bytes, Script::NodeConfig) {
        for node in site.nodes().flatten() {
            let mut out = CountingWriter::default();
            if let Err(e) = write_node_config(&t, site.config(), &node, &mut out) {
                own(e);
            }
        }
    }
    if let Ok(t) = Template::<Ipxe>::parse(bytes, Script::Main)
        && let Err(e) = write_main_script(&t, site.config(), &mut CountingWriter::default())
    {
        own(e);
    }
}

/// Bytes biased towards what iPXE scripts are made of.
fn script_bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        4 => prop::sample::select(b"#!ipxe \t\n\r\\${}:|&;-=/.0123456789abcdefgotochainkernel".to_vec()),
        1 => any::<u8>(),
    ];
    prop::collection::vec(byte, 0..400)
}

/// A real input with a few bytes overwritten.
fn mutated(base: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8).prop_map(
        move |edits| {
            let mut bytes = base.to_vec();
            for (at, value) in edits {
                let i = at.index(bytes.len());
                if let Some(b) = bytes.get_mut(i) {
                    *b = value;
                }
            }
            bytes
        },
    )
}

proptest! {
    #[test]
    fn linter_takes_any_bytes(bytes in script_bytes()) {
        lint_script(&bytes, |_| {});
    }

    #[test]
    fn linter_takes_mutated_scripts(bytes in mutated(SCRIPT)) {
        lint_script(&bytes, |_| {});
    }

    #[test]
    fn dhcp_readers_take_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1200)) {
        let _ = parse_request(&bytes);
        Tlvs::new(&bytes).for_each(drop);
        Options6::new(&bytes).for_each(drop);
    }

    #[test]
    fn site_reader_takes_mutated_sites(bytes in mutated(SITE)) {
        if let Ok(site) = Site::parse(&bytes) {
            site.nodes().for_each(drop);
        }
    }

    #[test]
    fn template_parser_takes_any_bytes(bytes in template_bytes()) {
        template_is_total(&bytes);
    }

    #[test]
    fn template_parser_takes_mutated_templates(bytes in mutated(CONFIG_TEMPLATE)) {
        template_is_total(&bytes);
    }

    #[test]
    fn site_reader_takes_any_bytes(bytes in script_bytes()) {
        if let Ok(site) = Site::parse(&bytes) {
            site.nodes().for_each(drop);
        }
    }
}
