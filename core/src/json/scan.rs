//! Skipping the bytes a JSON string holds as they are, eight at a time (one 64-bit word):
//! the site reader stops at the others (`"`, `\` and control bytes) in a string, the string
//! encoder escapes them.

/// Eight copies of `b`.
const fn splat(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// High bit set in bytes of `x` below `n` (for `n` up to 0x80; a byte of `x` above 0x80
/// never sets one). A byte above one below `n` may be set wrongly (a borrow), but the
/// lowest set bit is always that of the first byte below `n`.
const fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(splat(n)) & !x & splat(0x80)
}

/// High bits of the bytes of `w` (little-endian) that are `"`, `\` or below 0x20 (the bytes
/// a string scan must stop at): the lowest is exact (see [`below`]); 0 when there is none.
const fn specials(w: u64) -> u64 {
    let quote = below(w ^ splat(b'"'), 1);
    let backslash = below(w ^ splat(b'\\'), 1);
    below(w, 0x20) | quote | backslash
}

/// From `pos`, skips the plain string bytes of `doc` eight at a time; gives the position of
/// the first byte that is not plain, or of the last few (under eight) bytes, to look at one
/// by one.
pub(crate) fn skip_plain(doc: &[u8], mut pos: usize) -> usize {
    while let Some(word) = doc.get(pos..pos + 8) {
        let w = <[u8; 8]>::try_from(word).map_or(splat(b'"'), u64::from_le_bytes);
        let found = specials(w);
        if found != 0 {
            return pos + usize::try_from(found.trailing_zeros() / 8).unwrap_or(0);
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
                let special = matches!(b, b'"' | b'\\' | 0..=0x1f);
                let w = u64::from_le_bytes(word);
                assert_eq!(specials(w) != 0, special, "{b:#x}");
                let doc = [word, [b'a'; 8]].concat();
                assert_eq!(skip_plain(&doc, 0), if special { at } else { 16 }, "{b:#x}");
                // The first special byte is found even with another one after it.
                word[7] = b'"';
                let doc = [word, [b'a'; 8]].concat();
                assert_eq!(skip_plain(&doc, 0), if special { at } else { 7 }, "{b:#x}");
            }
        }
    }
}
