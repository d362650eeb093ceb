//! Skipping the bytes a JSON string holds as they are, eight at a time (one 64-bit word):
//! the site reader stops at the others (`"`, `\` and control bytes) in a string, the string
//! encoder escapes them.

/// Eight copies of `b`.
const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// High bit set in each byte of `x` below `n` (for `n` up to 0x80; a byte of `x` above 0x80
/// never sets one). As a test for "any byte below `n`", exact.
const fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(splat(n)) & !x & splat(0x80)
}

/// `true` when one of the eight bytes of `w` is `"`, `\` or below 0x20 (the bytes a string
/// scan must stop at). No false negatives; a false positive only costs a byte-wise look.
const fn has_special(w: u64) -> bool {
    let quote = below(w ^ splat(b'"'), 1);
    let backslash = below(w ^ splat(b'\\'), 1);
    below(w, 0x20) | quote | backslash != 0
}

/// From `pos`, skips whole 8-byte words of plain string bytes of `doc`; gives where to look
/// next (a byte that may not be plain, or the last few bytes).
pub(crate) fn skip_plain(doc: &[u8], mut pos: usize) -> usize {
    while let Some(word) = doc.get(pos..pos + 8) {
        let w = <[u8; 8]>::try_from(word).map_or(splat(b'"'), u64::from_ne_bytes);
        if has_special(w) {
            break;
        }
        pos += 8;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_tests_match_byte_tests() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                let w = u64::from_ne_bytes(word);
                assert_eq!(
                    has_special(w),
                    matches!(b, b'"' | b'\\' | 0..=0x1f),
                    "{b:#x}"
                );
            }
        }
    }
}
