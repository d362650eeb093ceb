//! `ipxegen lint`: check iPXE scripts with iPXE's own parsing rules.

use crate::commands::{json_string, write_stdout};
use crate::failure::Failure;
use crate::input::{Cap, read_path};
use clap::ValueEnum;
use ipxegen_core::ipxe::lint::{
    Diagnostic, LabelEntry, Severity, label_line_count, lint_script_with,
};
use ipxegen_core::limits::LINT_INPUT_MAX;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Arguments of `ipxegen lint`.
#[derive(clap::Args)]
#[command(
    after_help = "Exit codes: 0 no errors (warnings allowed unless --deny-warnings), 1 errors found, 66 a file is unreadable.\n\nTurn a rule off for one script with a comment line: # ipxegen-lint: allow <rule>\n\nExamples:\n  ipxegen lint boot.ipxe pxelinux.cfg/*\n  curl -s http://boot/boot.ipxe | ipxegen lint -"
)]
pub struct LintArgs {
    /// Scripts to check; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
}

/// How findings are printed.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    /// `file:line:col: severity[rule]: message`, one per line.
    Text,
    /// A JSON array of `{"file", "line", "column", "severity", "rule", "message"}`.
    Json,
}

/// The size cap of a script to lint.
const SCRIPT: Cap = Cap {
    what: "a script to lint",
    max: LINT_INPUT_MAX,
};

/// Lints every file; prints findings; fails with exit 1 when an error (or, with
/// `--deny-warnings`, a warning) was found.
pub fn run(args: &LintArgs) -> Result<(), Failure> {
    let mut findings: Vec<(String, Diagnostic)> = Vec::new();
    for path in &args.files {
        let (name, bytes) = read_path(path, SCRIPT)?;
        let mut label_table = vec![LabelEntry::EMPTY; label_line_count(&bytes)];
        lint_script_with(&bytes, &mut label_table, |d| {
            findings.push((name.clone(), d));
        });
    }
    let mut out = String::new();
    match args.format {
        Format::Text => {
            for (file, d) in &findings {
                let _ = writeln!(out, "{file}:{d}");
            }
        }
        Format::Json => {
            let items: Vec<String> = findings
                .iter()
                .map(|(file, d)| {
                    format!(
                        "{{\"file\": {}, \"line\": {}, \"column\": {}, \"severity\": \"{}\", \"rule\": \"{}\", \"message\": {}}}",
                        json_string(file),
                        d.line,
                        d.column,
                        d.severity().as_str(),
                        d.rule.id(),
                        json_string(d.rule.message())
                    )
                })
                .collect();
            let _ = writeln!(out, "[{}]", items.join(",\n "));
        }
    }
    write_stdout(out.as_bytes())?;
    let errors = findings
        .iter()
        .filter(|(_, d)| d.severity() == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        return Err(Failure::new(
            1,
            format!("{errors} error(s), {warnings} warning(s)"),
        ));
    }
    Ok(())
}
