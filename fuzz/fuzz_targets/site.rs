//! The site reader and the whole-site check, on any bytes. Property: a site that passes the
//! check has a boot tree whose every script (the main script and each node's config; in the
//! classic flow the PXELINUX and GRUB configs) renders, and every iPXE script lints clean
//! with the core's linter.
#![no_main]

use ipxegen_core::Site;
use ipxegen_core::ipxe::lint::lint_script;
use ipxegen_core::site::RescanSeen;
use ipxegen_core::tree::{EntryKind, ScriptKind, Tree, write_script};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|doc: &[u8]| {
    let Ok(site) = Site::parse(doc) else { return };
    // Every node is read, valid or not.
    site.nodes().for_each(drop);
    let Ok(checked) = site.checked(&mut RescanSeen::new(&site)) else {
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
        if !matches!(which.kind(), ScriptKind::Main | ScriptKind::Node) {
            // A PXELINUX or GRUB config: not iPXE, nothing to lint.
            continue;
        }
        lint_script(&script, |finding| {
            panic!(
                "{}: {finding}\n{}",
                entry.path,
                String::from_utf8_lossy(&script)
            )
        });
    }
});
