//! The only code in ipxegen that writes iPXE script text.
//!
//! iPXE splits a line on whitespace with no quoting and no escaping, expands `${...}` in every
//! argument (recursively), takes `||`, `&&` and `;` as operators when they stand alone, a
//! token beginning with `#` as a comment, a line beginning with `:` as a label, and `-...` in
//! an option position as an option. So every argument written here is either a `&'static str`
//! of ipxegen's own (checked all the same) or a value that passes
//! [`check_literal`](crate::model::check_literal); a value that would be misread is refused
//! with an error naming its field, never escaped or cut.
//!
//! A [`Line`] latches the first error and reports it at [`Line::end`] (or `or_*`), so a
//! command reads as one chain of calls.

use crate::error::{Error, ErrorKind, Field, Result};
use crate::model::{HttpBase, Position, Url, check_literal};
use embedded_io::Write;

/// Writes an iPXE script, line by line, to any [`embedded_io::Write`].
pub struct ScriptWriter<'w, W: Write> {
    out: &'w mut W,
}

/// One command line being written. Finish it with [`Line::end`], [`Line::or_goto`] or
/// [`Line::or_ignore`]; a line dropped unfinished leaves the script without its newline.
#[must_use = "a command line must be finished with end(), or_goto() or or_ignore()"]
pub struct Line<'s, W: Write> {
    out: &'s mut W,
    error: Option<Error>,
}

fn internal() -> Error {
    Error::new(ErrorKind::Internal)
}

/// Checks ipxegen's own static text: plain words separated by single spaces, no expansion,
/// nothing iPXE would misread (the rules of [`check_literal`] for each word). One pass over
/// the bytes: this runs for every word of every line written.
fn check_static_words(text: &str) -> Result<()> {
    let bytes = text.as_bytes();
    let mut word_start = true;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if word_start => return Err(internal()),
            b' ' => {
                word_start = true;
                continue;
            }
            0x00..=0x1f | 0x7f..=0xff | b'\\' | b'$' | b'{' | b'}' => return Err(internal()),
            _ => {}
        }
        if word_start {
            let word = bytes.get(i..).unwrap_or_default();
            let word = word.split(|&c| c == b' ').next().unwrap_or_default();
            if matches!(b, b'#' | b':') || matches!(word, b"||" | b"&&" | b";") {
                return Err(internal());
            }
            word_start = false;
        }
    }
    if word_start {
        // Empty text, or a trailing space (an empty last word).
        return Err(internal());
    }
    Ok(())
}

/// Checks a static token that may hold `${...}` expansions of ipxegen's own: balanced braces,
/// no whitespace, nothing else iPXE would misread.
fn check_static_expansion(text: &str) -> Result<()> {
    let mut depth = 0u32;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'$' if bytes.get(i + 1) == Some(&b'{') => depth += 1,
            b'{' if i.checked_sub(1).and_then(|p| bytes.get(p)) == Some(&b'$') => {}
            b'$' | b'{' => return Err(internal()),
            b'}' => depth = depth.checked_sub(1).ok_or_else(internal)?,
            b'\\' | b'#' | 0x00..=0x20 | 0x7f..=0xff => return Err(internal()),
            _ => {}
        }
    }
    if depth != 0 || matches!(text, "" | "||" | "&&" | ";") || text.starts_with(':') {
        return Err(internal());
    }
    Ok(())
}

/// `true` for bytes a URL path segment carries as they are (RFC 3986 unreserved).
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

impl<'w, W: Write> ScriptWriter<'w, W> {
    /// A writer that appends to `out`.
    pub fn new(out: &'w mut W) -> Self {
        ScriptWriter { out }
    }

    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        self.out.write_all(bytes).map_err(Error::write)
    }

    /// Writes the `#!ipxe` header line (the signature must be followed by whitespace).
    pub fn header(&mut self) -> Result<()> {
        self.put(b"#!ipxe\n")
    }

    /// Writes an empty line.
    pub fn blank(&mut self) -> Result<()> {
        self.put(b"\n")
    }

    /// Writes `# text`. The text is ipxegen's own; it must not end in `\` (which would join the
    /// next line to the comment) nor hold control bytes.
    pub fn comment(&mut self, text: &str) -> Result<()> {
        if text.ends_with('\\') || text.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return Err(internal());
        }
        self.put(b"# ")?;
        self.put(text.as_bytes())?;
        self.put(b"\n")
    }

    /// Writes a `:label` line.
    pub fn label(&mut self, label: &'static str) -> Result<()> {
        check_static_words(label)?;
        self.put(b":")?;
        self.put(label.as_bytes())?;
        self.put(b"\n")
    }

    /// Starts a command line with the command `name`.
    pub fn command(&mut self, name: &'static str) -> Line<'_, W> {
        let error = check_static_words(name).err();
        let mut line = Line {
            out: self.out,
            error,
        };
        line.put(name.as_bytes());
        line
    }

    /// Writes `goto label`.
    pub fn goto(&mut self, label: &'static str) -> Result<()> {
        self.command("goto").word(label).end()
    }

    /// Writes `echo` followed by ipxegen's own words.
    pub fn echo(&mut self, words: &'static str) -> Result<()> {
        self.command("echo").word(words).end()
    }
}

impl<W: Write> Line<'_, W> {
    fn put(&mut self, bytes: &[u8]) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(bytes)
        {
            self.error = Some(Error::write(e));
        }
    }

    fn fail(mut self, e: Error) -> Self {
        if self.error.is_none() {
            self.error = Some(e);
        }
        self
    }

    fn separated(mut self, bytes: &[u8]) -> Self {
        self.put(b" ");
        self.put(bytes);
        self
    }

    /// Appends ipxegen's own words (an option such as `--timeout`, a label, echo text).
    pub fn word(self, words: &'static str) -> Self {
        match check_static_words(words) {
            Ok(()) => self.separated(words.as_bytes()),
            Err(e) => self.fail(e),
        }
    }

    /// Appends ipxegen's own token holding `${...}` expansions (e.g. `${net${netid}/mac:hexhyp}`).
    pub fn expansion(self, token: &'static str) -> Self {
        match check_static_expansion(token) {
            Ok(()) => self.separated(token.as_bytes()),
            Err(e) => self.fail(e),
        }
    }

    /// Appends a value from the site as one argument, refused (naming `field`) unless iPXE
    /// would read it back unchanged.
    pub fn value(self, value: &str, field: Field, position: Position) -> Self {
        match check_literal(value, position) {
            Ok(()) => self.separated(value.as_bytes()),
            Err(kind) => self.fail(Error::at(kind, field)),
        }
    }

    /// Appends `&& name`: the command `name` runs only if the command before succeeded.
    pub fn and_then(self, name: &'static str) -> Self {
        match check_static_words(name) {
            Ok(()) => self.separated(b"&&").separated(name.as_bytes()),
            Err(e) => self.fail(e),
        }
    }

    /// Appends a decimal number.
    pub fn number(mut self, n: u32) -> Self {
        self.put(b" ");
        let mut adapter = UfmtWriter { out: self.out };
        if ufmt::uwrite!(adapter, "{}", n).is_err() && self.error.is_none() {
            self.error = Some(Error::new(ErrorKind::Write(embedded_io::ErrorKind::Other)));
        }
        self
    }

    /// Appends a BIOS drive number in hex (`0x80`).
    pub fn drive(mut self, drive: u8) -> Self {
        self.put(b" 0x");
        self.put(&crate::hex::pair(drive));
        self
    }

    /// Appends an absolute URL (validated when it was parsed; checked again here).
    pub fn url(self, url: &Url, field: Field) -> Self {
        self.value(url.as_str(), field, Position::OptionArea)
    }

    /// Appends `base/seg1/seg2...`, each segment percent-encoded outside RFC 3986's
    /// unreserved characters.
    pub fn url_in(mut self, base: &HttpBase, segments: &[&str], field: Field) -> Self {
        if check_literal(base.as_str(), Position::OptionArea).is_err() {
            return self.fail(Error::at(ErrorKind::InvalidUrl, field));
        }
        self.put(b" ");
        self.put(base.as_str().as_bytes());
        for segment in segments {
            if segment.is_empty() {
                return self.fail(Error::at(ErrorKind::Empty, field));
            }
            self.put(b"/");
            self.put_encoded(segment);
        }
        self
    }

    /// Appends a relative path (`dir/` then a token of ipxegen's own with expansions), the
    /// directory percent-encoded.
    pub fn relative(mut self, dir: &str, last: &'static str) -> Self {
        if let Err(e) = check_static_expansion(last) {
            return self.fail(e);
        }
        if dir.is_empty() {
            return self.fail(Error::at(ErrorKind::Empty, Field::PerMacDir));
        }
        self.put(b" ");
        self.put_encoded(dir);
        self.put(b"/");
        self.put(last.as_bytes());
        self
    }

    /// Appends `key=value` as one argument; `key` is ipxegen's own, `value` is checked.
    pub fn pair(self, key: &'static str, value: &str, field: Field) -> Self {
        if let Err(e) = check_static_words(key) {
            return self.fail(e);
        }
        if let Err(kind) = check_literal(value, Position::AfterOptions) {
            return self.fail(Error::at(kind, field));
        }
        let mut line = self.separated(key.as_bytes());
        line.put(b"=");
        line.put(value.as_bytes());
        line
    }

    fn put_encoded(&mut self, segment: &str) {
        for &b in segment.as_bytes() {
            if is_unreserved(b) {
                self.put(&[b]);
            } else {
                let [hi, lo] = crate::hex::pair_upper(b);
                self.put(&[b'%', hi, lo]);
            }
        }
    }

    fn finish(mut self, tail: &[u8]) -> Result<()> {
        self.put(tail);
        self.error.map_or(Ok(()), Err)
    }

    /// Ends the line. If the command fails, iPXE ends the script.
    pub fn end(self) -> Result<()> {
        self.finish(b"\n")
    }

    /// Ends the line with `|| goto label`: on failure, go to `label`.
    pub fn or_goto(self, label: &'static str) -> Result<()> {
        match check_static_words(label) {
            Ok(()) => {
                let line = self.separated(b"|| goto");
                line.separated(label.as_bytes()).finish(b"\n")
            }
            Err(e) => self.fail(e).finish(b""),
        }
    }

    /// Ends the line with `||`: a failure is ignored and the script goes on.
    pub fn or_ignore(self) -> Result<()> {
        self.finish(b" ||\n")
    }

    /// Appends `&& goto label ||`: on success go to `label`; on failure go on.
    pub fn and_goto_or_continue(self, label: &'static str) -> Result<()> {
        match check_static_words(label) {
            Ok(()) => self
                .separated(b"&& goto")
                .separated(label.as_bytes())
                .finish(b" ||\n"),
            Err(e) => self.fail(e).finish(b""),
        }
    }
}

/// Lets `ufmt` format numbers straight into an `embedded_io::Write`.
struct UfmtWriter<'a, W: Write> {
    out: &'a mut W,
}

impl<W: Write> ufmt::uWrite for UfmtWriter<'_, W> {
    type Error = W::Error;

    fn write_str(&mut self, s: &str) -> core::result::Result<(), W::Error> {
        self.out.write_all(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::write_to_slice;

    fn line(
        build: impl FnOnce(&mut ScriptWriter<'_, &mut [u8]>) -> Result<()>,
    ) -> Result<heapless::String<256>> {
        let mut buf = [0u8; 256];
        let n = write_to_slice(&mut buf, |out| build(&mut ScriptWriter::new(out)))?;
        let mut s = heapless::String::new();
        s.push_str(core::str::from_utf8(&buf[..n]).unwrap())
            .unwrap();
        Ok(s)
    }

    #[test]
    fn writes_a_command_with_fallback() {
        let got = line(|s| {
            s.command("kernel")
                .word("--timeout")
                .number(60000)
                .value("http://x/k", Field::Kernel, Position::OptionArea)
                .pair("initrd", "deploy_ramdisk", Field::Ramdisk)
                .or_goto("retry")
        })
        .unwrap();
        assert_eq!(
            got,
            "kernel --timeout 60000 http://x/k initrd=deploy_ramdisk || goto retry\n"
        );
    }

    #[test]
    fn refuses_unsafe_values_naming_the_field() {
        for (value, kind) in [
            ("a b", ErrorKind::Whitespace),
            ("${x}", ErrorKind::Expansion),
            ("||", ErrorKind::Operator),
        ] {
            let err = line(|s| {
                s.command("echo")
                    .value(value, Field::NodeKernelArgs, Position::AfterOptions)
                    .end()
            })
            .unwrap_err();
            assert_eq!(err, Error::at(kind, Field::NodeKernelArgs));
        }
    }

    #[test]
    fn refuses_bad_static_text() {
        assert_eq!(
            line(|s| s.command("echo").word("a ${x}").end())
                .unwrap_err()
                .kind,
            ErrorKind::Internal
        );
        assert_eq!(
            line(|s| s.command("isset").expansion("${a").end())
                .unwrap_err()
                .kind,
            ErrorKind::Internal
        );
        assert_eq!(
            line(|s| s.command("isset").expansion("$a}").end())
                .unwrap_err()
                .kind,
            ErrorKind::Internal
        );
        assert!(line(|s| s.command("isset").expansion("${net${netid}/mac}").end()).is_ok());
    }

    #[test]
    fn encodes_segments() {
        let base = HttpBase::parse("http://h").unwrap();
        let got = line(|s| {
            s.command("chain")
                .url_in(&base, &["a+b", "c"], Field::Kernel)
                .end()
        })
        .unwrap();
        assert_eq!(got, "chain http://h/a%2Bb/c\n");
    }

    #[test]
    fn small_buffer_is_an_error() {
        let mut buf = [0u8; 8];
        let err = write_to_slice(&mut buf, |out| {
            ScriptWriter::new(out).echo("far too long for the buffer")
        })
        .unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::Write(embedded_io::ErrorKind::WriteZero)
        );
    }
}
