//! Tests that need a tool this machine may lack: they run, or are skipped with one line in a
//! fixed format (`SKIPPED: <test>: <reason>`, which `scripts/test.sh` counts), or fail under
//! `CI=true`, where everything they need is installed (`.ci/run`).

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

/// The marker a skip line starts with; `scripts/test.sh` counts its occurrences.
pub const SKIP_MARKER: &str = "SKIPPED: ";

/// Whether the tests run under CI (`CI=true`), where no test may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Where the program `name` is: the first executable file of that name on `PATH`, else in
/// `/usr/sbin` or `/sbin` (where Debian puts the DHCP servers and `ip`, often not on a user's
/// `PATH`).
pub fn find_command(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
        .map(|dir| dir.join(name))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// The first of `tools` (`(command, Debian package)`) that [`find_command`] does not find, as
/// a reason to skip: `"<command> is not installed (Debian package <package>)"`.
pub fn missing_tool(tools: &[(&str, &str)]) -> Option<String> {
    tools
        .iter()
        .find(|(command, _)| find_command(command).is_none())
        .map(|(command, package)| format!("{command} is not installed (Debian package {package})"))
}

/// Whether `test` can run: `true` when `missing` is `None`. Otherwise the test is skipped:
/// this prints `SKIPPED: <test>: <missing>` on one line to the process's real standard error
/// (past the test harness's capture, so it is seen and counted) and returns `false`; the
/// caller returns at once.
///
/// # Panics
/// Under `CI=true` when `missing` is `Some`: there the test must run.
#[track_caller]
pub fn ready_or_skip(test: &str, missing: Option<String>) -> bool {
    match verdict(test, missing, in_ci()) {
        None => true,
        Some(line) => {
            let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
            false
        }
    }
}

/// [`ready_or_skip`] for the first of `tools` (`(command, Debian package)`) that is missing.
///
/// # Panics
/// Under `CI=true` when a tool is missing.
#[track_caller]
pub fn require_tools(test: &str, tools: &[(&str, &str)]) -> bool {
    ready_or_skip(test, missing_tool(tools))
}

/// `None` when `test` runs; else its skip line (one line, ending in a newline).
#[allow(clippy::panic, reason = "a test helper: under CI the test fails")]
#[track_caller]
fn verdict(test: &str, missing: Option<String>, ci: bool) -> Option<String> {
    let reason = missing?.replace(['\r', '\n'], " ");
    assert!(
        !ci,
        "{test}: {reason} (CI=true: this test must run; .ci/run installs what it needs)"
    );
    Some(format!("{SKIP_MARKER}{test}: {reason}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_with_everything_runs_under_ci_and_elsewhere() {
        assert_eq!(verdict("t", None, true), None);
        assert_eq!(verdict("t", None, false), None);
    }

    #[test]
    fn a_skip_is_one_line_in_the_counted_format() {
        let line = verdict("dhcp check", Some("dhcpd is not\ninstalled".into()), false);
        assert_eq!(
            line.as_deref(),
            Some("SKIPPED: dhcp check: dhcpd is not installed\n")
        );
    }

    #[test]
    #[should_panic(expected = "dhcp check: dhcpd is not installed (CI=true: this test must run")]
    fn a_skip_fails_under_ci() {
        let _ = verdict("dhcp check", Some("dhcpd is not installed".into()), true);
    }

    #[test]
    fn tools_are_found_on_path_and_missing_ones_named() {
        assert!(find_command("sh").is_some());
        assert_eq!(missing_tool(&[("sh", "dash")]), None);
        assert_eq!(
            missing_tool(&[("sh", "dash"), ("ipxegen-no-such-tool", "none")]).as_deref(),
            Some("ipxegen-no-such-tool is not installed (Debian package none)")
        );
    }
}
