//! How the CLI fails: one line on stderr naming file, line, node and field, and an exit code.

use crate::site_file::SiteFile;
use ipxegen_core::Error;
use ipxegen_core::site::Problem;
use std::fmt::Write as _;
use std::process::ExitCode;

/// Bad arguments.
pub const EX_USAGE: u8 = 64;
/// Invalid site data.
pub const EX_DATAERR: u8 = 65;
/// Input missing or unreadable.
pub const EX_NOINPUT: u8 = 66;
/// Output failed.
pub const EX_IOERR: u8 = 74;

/// A failure of a command, ready to report.
#[derive(Debug)]
pub struct Failure {
    /// `None` when everything was reported already.
    message: Option<String>,
    code: u8,
}

impl Failure {
    /// A failure with a message and an exit code.
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            message: Some(message.into()),
            code,
        }
    }

    /// A failure whose messages were all printed already: only the exit code is left.
    pub fn silent(code: u8) -> Self {
        Failure {
            message: None,
            code,
        }
    }

    /// A core error in the site document `doc` read from `name`, worded as the core words
    /// it ([`Problem::in_document`]): `name[:line:col]: <problem>`.
    pub fn in_site(name: &str, doc: &[u8], error: Error) -> Self {
        Failure::of_problem(name, doc, &Problem::in_document(doc, error))
    }

    /// A problem the core's whole-site check found in `file`: `file[:line:col]: <problem>`.
    pub fn problem(file: &SiteFile, problem: &Problem<'_>) -> Self {
        Failure::of_problem(&file.name, &file.bytes, problem)
    }

    fn of_problem(name: &str, doc: &[u8], problem: &Problem<'_>) -> Self {
        let mut message = String::from(name);
        if let Some(offset) = problem.error.offset.and_then(|o| usize::try_from(o).ok()) {
            let (line, column) = line_and_column(doc, offset);
            let _ = write!(message, ":{line}:{column}");
        }
        let _ = write!(message, ": {problem}");
        Failure::new(EX_DATAERR, message)
    }

    /// The message, unless everything was reported already.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Prints the failure and gives the exit code.
    pub fn report(self) -> ExitCode {
        if let Some(message) = self.message {
            eprintln!("ipxegen: {message}");
        }
        ExitCode::from(self.code)
    }
}

/// 1-based line and column (in characters) of byte `offset` in `doc`.
fn line_and_column(doc: &[u8], offset: usize) -> (usize, usize) {
    let before = doc.get(..offset).unwrap_or(doc);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_from_one() {
        assert_eq!(line_and_column(b"ab\ncd", 0), (1, 1));
        assert_eq!(line_and_column(b"ab\ncd", 4), (2, 2));
    }
}
