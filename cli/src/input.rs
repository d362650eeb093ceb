//! A command's own input (a site document, a script to lint, a DHCP request), read from a
//! file or standard input with a size cap: past the cap the command stops reading and
//! refuses the input with a message naming the cap, so `/dev/zero` or an endless pipe cannot
//! exhaust memory.

use crate::failure::{EX_DATAERR, EX_NOINPUT, Failure};
use ipxegen_core::output::Grouped;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// What an input is, for messages, and the most bytes it may have.
#[derive(Clone, Copy, Debug)]
pub struct Cap {
    /// What the input is: "a site document", "a script".
    pub what: &'static str,
    /// The most bytes it may have.
    pub max: usize,
}

/// Reads `path` (`-` for standard input), at most `cap.max` bytes. Gives the name messages
/// use for it (`(stdin)` or the path) and its bytes.
///
/// # Errors
/// 66 when it cannot be opened or read; 65 when it is larger than the cap.
pub fn read_path(path: &Path, cap: Cap) -> Result<(String, Vec<u8>), Failure> {
    if path == Path::new("-") {
        let name = "(stdin)".to_owned();
        let bytes = read_capped(std::io::stdin().lock(), &name, cap, 0)?;
        return Ok((name, bytes));
    }
    let name = path.display().to_string();
    let file = File::open(path)
        .map_err(|e| Failure::new(EX_NOINPUT, format!("{name}: cannot read: {e}")))?;
    // A regular file's size is known before reading it: refused at once past the cap, and
    // read into a buffer of its size (one byte more, to see it end), not a doubling one.
    let mut expected = 0;
    if let Ok(meta) = file.metadata()
        && meta.is_file()
    {
        match usize::try_from(meta.len()) {
            Ok(len) if len <= cap.max => expected = len,
            _ => return Err(too_large(&name, cap)),
        }
    }
    let bytes = read_capped(file, &name, cap, expected)?;
    Ok((name, bytes))
}

/// Reads at most `cap.max` bytes of `input`, refusing more without reading on. `expected`:
/// the size it is known to have, if any (0 if unknown).
///
/// # Errors
/// 66 when reading fails; 65 when the input is larger than the cap.
pub fn read_capped(
    mut input: impl Read,
    name: &str,
    cap: Cap,
    expected: usize,
) -> Result<Vec<u8>, Failure> {
    // The buffer starts at the expected size and one byte (to see the end), then doubles
    // from 64 KiB but never past one byte more than the cap, so an endless input costs the
    // cap in memory, not twice it.
    let most = cap.max.saturating_add(1);
    let mut bytes = vec![0; expected.saturating_add(1).min(most)];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            if filled >= most {
                return Err(too_large(name, cap));
            }
            let grown = filled.saturating_mul(2).max(64 * 1024).min(most);
            bytes.resize(grown, 0);
        }
        let free = bytes.get_mut(filled..).unwrap_or_default();
        match input.read(free) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(Failure::new(
                    EX_NOINPUT,
                    format!("{name}: cannot read: {e}"),
                ));
            }
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

fn too_large(name: &str, cap: Cap) -> Failure {
    Failure::new(
        EX_DATAERR,
        format!(
            "{name}: larger than {}, the most {} may be; nothing read past it",
            size_text(cap.max),
            cap.what
        ),
    )
}

/// `1 GiB (1,073,741,824 bytes)`, or `262,140 bytes` for a size that is no whole KiB, MiB or
/// GiB.
fn size_text(bytes: usize) -> String {
    let exact = Grouped(bytes);
    let unit = [(30, "GiB"), (20, "MiB"), (10, "KiB")]
        .into_iter()
        .find(|&(shift, _)| bytes >= 1 << shift && bytes.is_multiple_of(1 << shift));
    match unit {
        Some((shift, name)) => format!("{} {name} ({exact} bytes)", bytes >> shift),
        None => format!("{exact} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: Cap = Cap {
        what: "a test input",
        max: 4,
    };

    #[test]
    fn reads_up_to_the_cap_and_refuses_one_byte_more() {
        assert_eq!(read_capped(&b"abcd"[..], "x", TINY, 0).unwrap(), b"abcd");
        assert_eq!(read_capped(&b"abcd"[..], "x", TINY, 4).unwrap(), b"abcd");
        let e = read_capped(&b"abcde"[..], "x", TINY, 0).unwrap_err();
        assert_eq!(
            format!("{e:?}"),
            format!(
                "{:?}",
                Failure::new(
                    EX_DATAERR,
                    "x: larger than 4 bytes, the most a test input may be; nothing read past it"
                )
            )
        );
    }

    #[test]
    fn stops_reading_an_endless_input() {
        let e = read_capped(std::io::repeat(b'y'), "(stdin)", TINY, 0);
        assert!(e.is_err());
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_text(1 << 30), "1 GiB (1,073,741,824 bytes)");
        assert_eq!(size_text(64 << 20), "64 MiB (67,108,864 bytes)");
        assert_eq!(size_text(262_140), "262,140 bytes");
        assert_eq!(size_text(999), "999 bytes");
    }
}
