//! The iPXE linter, on any bytes. Property: no panic, and every finding points into the
//! input: its line is one of the input's lines, its column within the input.
#![no_main]

use ipxegen_core::ipxe::lint::lint_script;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|script: &[u8]| {
    let lines = script.iter().filter(|&&b| b == b'\n').count() + 1;
    lint_script(script, |finding| {
        let line = usize::try_from(finding.line).expect("u32 fits usize");
        let column = usize::try_from(finding.column).expect("u32 fits usize");
        assert!(
            (1..=lines).contains(&line),
            "{finding}: the input has {lines} lines"
        );
        assert!(
            (1..=script.len() + 1).contains(&column),
            "{finding}: the input has {} bytes",
            script.len()
        );
    });
});
