//! Golden files: what a test produces, compared with a reviewed file in `tests/golden/`, or
//! written there when `UPDATE_GOLDENS` is set (after an intended change; review the diff).

use std::path::Path;

/// Lines of each side a mismatch shows at most.
const SHOWN_LINES: usize = 40;

/// Whether golden files are being regenerated (`UPDATE_GOLDENS` is set to anything).
pub fn updating_goldens() -> bool {
    std::env::var_os("UPDATE_GOLDENS").is_some()
}

/// Checks `actual` against the golden file at `path`. With `UPDATE_GOLDENS` set, writes
/// `actual` there instead (creating its directory) and succeeds. Otherwise `Err` holds a
/// readable report when the file differs or cannot be read: the file, the first line that
/// differs, and the differing lines of both sides (`-` golden, `+` actual).
///
/// # Panics
/// When `UPDATE_GOLDENS` is set and the file cannot be written.
#[track_caller]
pub fn check_golden(path: &Path, actual: &[u8]) -> Result<(), String> {
    compare_or_update(path, actual, updating_goldens())
}

/// [`check_golden`], with `update` in place of `UPDATE_GOLDENS`.
#[allow(clippy::panic, reason = "a test helper: the test fails")]
#[track_caller]
fn compare_or_update(path: &Path, actual: &[u8], update: bool) -> Result<(), String> {
    if update {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        std::fs::write(path, actual)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return Ok(());
    }
    let golden = std::fs::read(path).map_err(|e| {
        format!(
            "cannot read golden file {}: {e} (UPDATE_GOLDENS=1 writes it)",
            path.display()
        )
    })?;
    if golden == actual {
        return Ok(());
    }
    Err(format!(
        "{} differs from what the test produced (after an intended change: UPDATE_GOLDENS=1, \
         then review the diff)\n{}",
        path.display(),
        line_diff(
            &String::from_utf8_lossy(&golden),
            &String::from_utf8_lossy(actual)
        )
    ))
}

/// The lines between the common start and the common end of `golden` and `actual`, each
/// side at most [`SHOWN_LINES`], after `@@ line N @@` (N: the first differing line, from 1).
fn line_diff(golden: &str, actual: &str) -> String {
    let old: Vec<&str> = golden.split_inclusive('\n').collect();
    let new: Vec<&str> = actual.split_inclusive('\n').collect();
    let start = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let (old_rest, new_rest) = (
        old.get(start..).unwrap_or(&[]),
        new.get(start..).unwrap_or(&[]),
    );
    let end = old_rest
        .iter()
        .rev()
        .zip(new_rest.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_mid = old_rest.get(..old_rest.len() - end).unwrap_or(&[]);
    let new_mid = new_rest.get(..new_rest.len() - end).unwrap_or(&[]);
    let mut out = format!("@@ line {} @@\n", start + 1);
    for (sign, lines) in [('-', old_mid), ('+', new_mid)] {
        for line in lines.iter().take(SHOWN_LINES) {
            out.push(sign);
            out.push_str(line.strip_suffix('\n').unwrap_or(line));
            // A last line without its newline is shown as such.
            out.push_str(if line.ends_with('\n') {
                "\n"
            } else {
                " (no newline at end)\n"
            });
        }
        if lines.len() > SHOWN_LINES {
            out.push_str(&format!(
                "{sign}... {} more lines\n",
                lines.len() - SHOWN_LINES
            ));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "test")]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "ipxegen-golden-helper-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn updating_writes_the_file_and_comparing_then_passes() {
        let dir = scratch("update");
        let path = dir.join("sub/case.txt");
        assert_eq!(compare_or_update(&path, b"a\nb\n", true), Ok(()));
        assert_eq!(std::fs::read(&path).unwrap(), b"a\nb\n");
        assert_eq!(compare_or_update(&path, b"a\nb\n", false), Ok(()));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_mismatch_names_the_file_and_shows_the_differing_lines() {
        let dir = scratch("mismatch");
        let path = dir.join("case.txt");
        compare_or_update(&path, b"one\ntwo\nthree\nfour\n", true).unwrap();
        let err = compare_or_update(&path, b"one\nTWO\nthree\nfour\n", false).unwrap_err();
        assert!(
            err.starts_with(&format!("{} differs", path.display())),
            "{err}"
        );
        assert!(err.ends_with("@@ line 2 @@\n-two\n+TWO\n"), "{err}");
        // Comparing leaves the golden file as it was.
        assert_eq!(std::fs::read(&path).unwrap(), b"one\ntwo\nthree\nfour\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_golden_file_is_a_mismatch() {
        let path = scratch("missing").join("none.txt");
        let err = compare_or_update(&path, b"x", false).unwrap_err();
        assert!(err.contains("cannot read golden file"), "{err}");
        assert!(err.contains("UPDATE_GOLDENS=1"), "{err}");
    }

    #[test]
    fn the_diff_shows_added_lines_and_a_missing_last_newline() {
        assert_eq!(
            line_diff("a\nz\n", "a\nb\nc\nz\n"),
            "@@ line 2 @@\n+b\n+c\n"
        );
        assert_eq!(
            line_diff("a\nb\n", "a\nb"),
            "@@ line 2 @@\n-b\n+b (no newline at end)\n"
        );
        let long: String = (0..50).map(|i| format!("{i}\n")).collect();
        let diff = line_diff("", &long);
        assert_eq!(diff.lines().count(), 1 + SHOWN_LINES + 1);
        assert!(diff.ends_with("+... 10 more lines\n"), "{diff}");
    }
}
