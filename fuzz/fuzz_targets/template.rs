//! The template parser and the check of what a template writes, on any bytes. Properties: no
//! panic; a node config template the parser accepts renders every node of a site, failing
//! only for a value a node lacks; and when the whole-site check passes a site whose every
//! node's config is that template, every script of its tree renders and lints clean. The
//! same for the classic flow's formats: a PXELINUX or GRUB template the parser accepts renders
//! every node of the classic site, failing only for a value a node lacks or one the loader's
//! writer refuses, and a classic site that checks with it as both configs renders every
//! script of its tree.
#![no_main]

use ipxegen_core::ipxe::lint::lint_script;
use ipxegen_core::ipxe::template::{Ipxe, Script, write_node_config};
use ipxegen_core::limits::SCRIPT_MAX;
use ipxegen_core::model::{TemplateFile, TemplateRef};
use ipxegen_core::site::RescanSeen;
use ipxegen_core::template::Template;
use ipxegen_core::tree::{EntryKind, Tree, write_script};
use ipxegen_core::{ErrorKind, Site};
use libfuzzer_sys::fuzz_target;

/// A site with a node of every mode.
const MODES: &str = include_str!("../../tests/golden/sites/modes.json");
/// The built-in main script, as a template.
const MAIN: &[u8] = include_bytes!("../../examples/templates/main.ipxe");
/// A site of the classic flow with a node of every mode it boots.
const CLASSIC: &str = include_str!("../../tests/golden/sites/classic.json");

/// The classic flow's legs: `template` as a PXELINUX and a GRUB config template.
fn classic(template: &[u8]) {
    use ipxegen_core::classic::template::{Classic, LINE_MAX, Loader, write_node_config};
    let doc = CLASSIC.replacen(
        '{',
        r#"{"pxe_config_template": "t", "grub_config_template": "t", "#,
        1,
    );
    let site = Site::parse(doc.as_bytes()).expect("the classic site is valid");
    for loader in [Loader::Pxelinux, Loader::Grub] {
        if let Ok(parsed) = Template::<Classic>::parse(template, loader) {
            for node in site.nodes().flatten() {
                let mut out = Vec::new();
                if let Err(e) = write_node_config(&parsed, &node, &mut out) {
                    assert!(
                        e.field.is_some() || matches!(e.kind, ErrorKind::Template(_)),
                        "{e:?}"
                    );
                }
            }
        }
    }
    let refs: Vec<TemplateRef<'_>> = site.template_refs().collect();
    let files: Vec<TemplateFile<'_>> = refs
        .iter()
        .map(|r| TemplateFile::load(*r, template))
        .collect();
    let site = site.with_templates(&files);
    let mut scratch = vec![0u8; SCRIPT_MAX];
    let Ok(checked) = site.checked_with(&mut RescanSeen::new(&site), &mut scratch) else {
        return;
    };
    let mut tree = Tree::new(&checked);
    let mut script = Vec::new();
    while let Some(entry) = tree.next_entry() {
        let entry = entry.expect("the tree of a checked site has every entry");
        let EntryKind::Script(which) = entry.kind else {
            continue;
        };
        script.clear();
        write_script(checked.config(), which, &mut script).expect("a checked site renders");
        assert!(
            script
                .split(|&b| b == b'\n')
                .all(|line| line.len() <= LINE_MAX),
            "{}",
            entry.path
        );
    }
}

fuzz_target!(|template: &[u8]| {
    classic(template);
    let _ = Template::<Ipxe>::parse(template, Script::Main);
    let doc = MODES.replacen(
        '{',
        r#"{"ipxe_boot_script_template": "main.ipxe", "ipxe_config_template": "node.ipxe", "#,
        1,
    );
    let site = Site::parse(doc.as_bytes()).expect("the modes site is valid");
    if let Ok(parsed) = Template::<Ipxe>::parse(template, Script::NodeConfig) {
        for node in site.nodes().flatten() {
            let mut out = Vec::new();
            if let Err(e) = write_node_config(&parsed, site.config(), &node, &mut out) {
                assert!(matches!(e.kind, ErrorKind::Template(_)), "{e:?}");
            }
        }
    }
    let mut refs: Vec<TemplateRef<'_>> = Vec::new();
    for r in site.template_refs() {
        if !refs.iter().any(|known| known.same_file(&r)) {
            refs.push(r);
        }
    }
    let files: Vec<TemplateFile<'_>> = refs
        .iter()
        .map(|r| match r.slot.path.to_string().as_str() {
            "main.ipxe" => TemplateFile::load(*r, MAIN),
            _ => TemplateFile::load(*r, template),
        })
        .collect();
    let site = site.with_templates(&files);
    let mut scratch = vec![0u8; SCRIPT_MAX];
    let Ok(checked) = site.checked_with(&mut RescanSeen::new(&site), &mut scratch) else {
        return;
    };
    let mut tree = Tree::new(&checked);
    let mut script = Vec::new();
    while let Some(entry) = tree.next_entry() {
        let entry = entry.expect("the tree of a checked site has every entry");
        let EntryKind::Script(which) = entry.kind else {
            continue;
        };
        script.clear();
        write_script(checked.config(), which, &mut script).expect("a checked site renders");
        lint_script(&script, |finding| {
            panic!(
                "{}: {finding}\n{}",
                entry.path,
                String::from_utf8_lossy(&script)
            )
        });
    }
});
