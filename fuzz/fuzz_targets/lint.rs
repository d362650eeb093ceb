//! The iPXE linter, on any bytes. Properties: no panic; every finding points into the input
//! (its line is one of the input's lines, its column within the input); and the findings do
//! not depend on the label table: a table sized to the script's label lines (the sorted
//! lookup) and the built-in small table (which falls back to re-reading the script for label
//! lines beyond it) give the same findings in the same order.
#![no_main]

use ipxegen_core::ipxe::lint::{
    LabelEntry, OWN_TABLE_ENTRIES, label_line_count, lint_script, lint_script_with,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|script: &[u8]| {
    let lines = script.iter().filter(|&&b| b == b'\n').count() + 1;
    let mut table = vec![LabelEntry::EMPTY; label_line_count(script)];
    let mut sized = Vec::new();
    lint_script_with(script, &mut table, |finding| {
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
        sized.push(finding);
    });
    // The built-in table's fallback re-reads the script for each label line beyond it
    // (quadratic by design); compared on scripts with up to twice its size in label lines so
    // the fallback is exercised without slowing the campaign tenfold.
    if table.len() <= 2 * OWN_TABLE_ENTRIES {
        let mut small = Vec::new();
        lint_script(script, |finding| small.push(finding));
        assert_eq!(sized, small, "the findings depend on the label table");
    }
});
