//! Every golden case renders to exactly its golden file: iPXE scripts (`ipxe/`) and the classic
//! flow's PXELINUX and GRUB configs (`classic/`).
//!
//! After an intended change, regenerate with `UPDATE_GOLDENS=1 cargo test -p ipxegen-tests
//! --test golden_scripts` and review the diff.

use ipxegen_tests::{GOLDEN_CASES, check_golden, golden_dir, render_case};

#[test]
fn goldens_match() {
    let mut failures = Vec::new();
    for case in GOLDEN_CASES {
        let got = render_case(case).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        if let Err(e) = check_golden(&golden_dir().join(case.path), &got) {
            failures.push(format!("{}: {e}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_golden_file_is_a_case() {
    let mut files: Vec<_> = ["ipxe", "classic"]
        .into_iter()
        .flat_map(|dir| {
            std::fs::read_dir(golden_dir().join(dir))
                .unwrap()
                .map(move |e| format!("{dir}/{}", e.unwrap().file_name().to_string_lossy()))
        })
        .collect();
    files.sort();
    let mut cases: Vec<_> = GOLDEN_CASES.iter().map(|c| c.path.to_string()).collect();
    cases.sort();
    assert_eq!(files, cases, "stale or missing golden files");
}
