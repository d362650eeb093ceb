//! What the tests that boot QEMU share: the kernel and initrd they boot, a work directory per
//! run, processes bounded in time, and the serial console as a terminal shows it.
//!
//! Assets: the kernel is unpacked from the Debian package `linux-image-*-cloud-amd64` by
//! `tests/e2e/qemu/fetch-kernel.sh` and cached under `target/ipxegen-test-assets/` (keyed by
//! package version; `IPXEGEN_TEST_ASSETS` moves the cache, `IPXEGEN_TEST_KERNEL` names a
//! bzImage to use instead); the initrd is built per run by `tests/e2e/qemu/make-initrd.sh`
//! from `busybox-static`: its `/init` prints `CMDLINE: ` and `/proc/cmdline`, then powers off.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test support: a failure here is the test's failure"
)]

use crate::target_dir;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

/// The QEMU tests' helper scripts and sites.
pub const E2E_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/e2e/qemu");
/// OVMF (Debian's `ovmf`): x64 UEFI firmware and the template of its variable store.
pub const OVMF_CODE: &str = "/usr/share/OVMF/OVMF_CODE_4M.fd";
pub const OVMF_VARS: &str = "/usr/share/OVMF/OVMF_VARS_4M.fd";
/// The static busybox the initrd is made of (Debian's `busybox-static`).
pub const BUSYBOX: &str = "/bin/busybox";

/// A command bounded by `timeout -s KILL limit_s`, so that it dies even if the test process is
/// killed. Start it with [`crate::ProcessGroup::spawn`]: `timeout` is then the group's leader,
/// and the group (with the program's children) is killed and reaped when the test is done.
pub fn bounded(limit_s: u32, program: &str) -> Command {
    let mut command = Command::new("timeout");
    command.args(["-s", "KILL", &limit_s.to_string(), program]);
    command
}

/// The cache of downloaded assets.
pub fn assets_dir() -> PathBuf {
    std::env::var_os("IPXEGEN_TEST_ASSETS")
        .map_or_else(|| target_dir().join("ipxegen-test-assets"), Into::into)
}

/// The bzImage to boot: `IPXEGEN_TEST_KERNEL`, or the cached Debian cloud kernel (fetched
/// once per process at most).
pub fn kernel() -> Result<PathBuf, String> {
    static KERNEL: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    KERNEL
        .get_or_init(|| {
            if let Some(path) = std::env::var_os("IPXEGEN_TEST_KERNEL") {
                let path = PathBuf::from(path);
                return if path.is_file() {
                    Ok(path)
                } else {
                    Err(format!(
                        "IPXEGEN_TEST_KERNEL={} is not a file",
                        path.display()
                    ))
                };
            }
            let started = Instant::now();
            let out = Command::new("bash")
                .arg(Path::new(E2E_DIR).join("fetch-kernel.sh"))
                .arg(assets_dir())
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("cannot run fetch-kernel.sh: {e}"))?;
            let stderr = String::from_utf8_lossy(&out.stderr);
            if !out.status.success() {
                return Err(format!("fetch-kernel.sh failed: {}", stderr.trim()));
            }
            let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            println!(
                "kernel: {} ({:.1} s to resolve{})",
                path.display(),
                started.elapsed().as_secs_f64(),
                if stderr.contains("Fetched") {
                    ", downloaded"
                } else {
                    ", cached"
                }
            );
            Ok(path)
        })
        .clone()
}

pub fn make_initrd(out: &Path) -> Result<(), String> {
    let result = Command::new("bash")
        .arg(Path::new(E2E_DIR).join("make-initrd.sh"))
        .arg(out)
        .arg(BUSYBOX)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run make-initrd.sh: {e}"))?;
    if result.status.success() {
        Ok(())
    } else {
        Err(format!(
            "make-initrd.sh failed: {}",
            String::from_utf8_lossy(&result.stderr).trim()
        ))
    }
}

/// A directory of one run: removed when the test passes (unless `IPXEGEN_TEST_KEEP` is set),
/// kept (and named) when it fails.
pub struct WorkDir(pub PathBuf);

impl WorkDir {
    pub fn new(prefix: &str, case: &str) -> WorkDir {
        let dir = target_dir()
            .join("tmp")
            .join(format!("{prefix}-{case}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        WorkDir(dir)
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept the failed run's files in {}", self.0.display());
        } else if std::env::var_os("IPXEGEN_TEST_KEEP").is_some() {
            println!("kept the run's files in {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// Width at which SeaBIOS's serial console wraps iPXE's text (it inserts CR LF).
pub const BIOS_WRAP: usize = 80;

#[derive(Clone, Copy, Default)]
enum Escape {
    #[default]
    None,
    Started,
    Csi,
    Charset,
}

/// The serial console as a terminal shows it: escape sequences removed, `\r` and backspace
/// applied. Physical lines are what the terminal shows; logical lines join physical lines
/// that SeaBIOS wrapped at [`BIOS_WRAP`] columns (iPXE's error codes are often split).
#[derive(Default)]
pub struct Console {
    /// Every byte received.
    pub raw: Vec<u8>,
    escape: Escape,
    line: Vec<char>,
    column: usize,
    /// Complete physical lines.
    pub lines: Vec<String>,
    /// Wrapped physical lines waiting for their continuation.
    wrapped: String,
    /// Complete logical lines.
    pub logical: Vec<String>,
}

impl Console {
    /// Adds output; returns the index of the first new logical line.
    pub fn feed(&mut self, bytes: &[u8]) -> usize {
        let first_new = self.logical.len();
        self.raw.extend_from_slice(bytes);
        for &byte in bytes {
            self.escape = match (self.escape, byte) {
                (Escape::None, 0x1b) => Escape::Started,
                (Escape::None, b'\n') => {
                    self.end_line();
                    Escape::None
                }
                (Escape::None, b'\r') => {
                    self.column = 0;
                    Escape::None
                }
                (Escape::None, 0x08) => {
                    self.column = self.column.saturating_sub(1);
                    Escape::None
                }
                (Escape::None, byte) if byte < 0x20 || byte == 0x7f => Escape::None,
                (Escape::None, byte) => {
                    let c = char::from(byte);
                    if let Some(slot) = self.line.get_mut(self.column) {
                        *slot = c;
                    } else {
                        self.line.push(c);
                    }
                    self.column += 1;
                    Escape::None
                }
                (Escape::Started, b'[') => Escape::Csi,
                (Escape::Started, b'(' | b')') => Escape::Charset,
                (Escape::Csi, 0x40..=0x7e) | (Escape::Started | Escape::Charset, _) => Escape::None,
                (Escape::Csi, _) => Escape::Csi,
            };
        }
        first_new
    }

    fn end_line(&mut self) {
        let width = self.line.len();
        let text: String = self.line.drain(..).collect();
        self.column = 0;
        self.wrapped.push_str(&text);
        self.lines.push(text.trim_end().to_owned());
        if width != BIOS_WRAP {
            let logical = std::mem::take(&mut self.wrapped);
            self.logical.push(logical.trim_end().to_owned());
        }
    }

    /// The logical line being written (not ended yet).
    pub fn partial(&self) -> String {
        let mut text = self.wrapped.clone();
        text.extend(self.line.iter());
        text
    }

    /// The index of the first logical line containing `needle`.
    pub fn position(&self, needle: &str) -> Option<usize> {
        self.logical.iter().position(|l| l.contains(needle))
    }

    /// What the initrd's `/init` printed as `/proc/cmdline`: up to a kernel message the
    /// serial console may have written into the same line (`[    2.391794] tsc: ...`, when
    /// the kernel logs while `/init` prints).
    pub fn cmdline(&self) -> Option<Vec<&str>> {
        self.lines.iter().find_map(|l| {
            l.split_once("CMDLINE: ")
                .map(|(_, args)| args.get(..kernel_message_at(args)).unwrap_or(args))
                .map(|args| args.split_whitespace().collect())
        })
    }
}

/// Where a kernel log message's timestamp (`[`, spaces, digits, `.`, six digits, `]`)
/// starts in `text`, or its length when there is none.
fn kernel_message_at(text: &str) -> usize {
    let bytes = text.as_bytes();
    let stamp = |from: usize| -> bool {
        let rest = bytes.get(from + 1..).unwrap_or_default();
        let spaces = rest.iter().take_while(|&&b| b == b' ').count();
        let rest = rest.get(spaces..).unwrap_or_default();
        let whole = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let rest = rest.get(whole..).unwrap_or_default();
        whole > 0
            && rest.first() == Some(&b'.')
            && rest
                .get(1..7)
                .is_some_and(|f| f.iter().all(u8::is_ascii_digit))
            && rest.get(7) == Some(&b']')
    };
    (0..bytes.len())
        .find(|&i| bytes.get(i) == Some(&b'[') && stamp(i))
        .unwrap_or(text.len())
}

/// The iPXE error code in `line` (`ipxe.org/` and 8 hex digits), ignoring the statistics
/// lines (`[RXE: ...]`, `[TXE: ...]`).
pub fn ipxe_error_code(line: &str) -> Option<&str> {
    if line.contains("[RXE:") || line.contains("[TXE:") {
        return None;
    }
    line.match_indices("ipxe.org/").find_map(|(at, tag)| {
        let code = line.get(at + tag.len()..at + tag.len() + 8)?;
        code.bytes().all(|b| b.is_ascii_hexdigit()).then_some(code)
    })
}

/// An iPXE error line a run expects: its code and a text on the same (logical) line.
pub struct ExpectedError<'a> {
    pub code: &'a str,
    pub line_contains: &'a str,
}

/// When a run watching the console ends.
pub struct Watch<'a> {
    /// Console text after which the run is complete (QEMU is killed) once it has been seen
    /// `stop_count` times; `None`: run until QEMU exits (the initrd powers off).
    pub stop_at: Option<&'a str>,
    pub stop_count: usize,
    /// iPXE errors the run expects, in order; any other error line ends the run.
    pub expected_errors: &'a [ExpectedError<'a>],
    /// Longest the run may take.
    pub hard: std::time::Duration,
    /// Longest the console may stay silent.
    pub stall: std::time::Duration,
}

/// How a run ended.
#[derive(Debug)]
pub enum End {
    /// QEMU exited by itself (the guest powered off).
    Exited(std::process::ExitStatus),
    /// The console showed the `stop_at` text `stop_count` times.
    Stopped,
    /// An iPXE error line the run did not expect.
    IpxeError(String),
    TimedOut,
    Stalled,
}

/// What a run's console showed.
pub struct Watched {
    pub end: End,
    pub elapsed: std::time::Duration,
    pub console: Console,
    /// How many of the expected iPXE errors were seen (in order).
    pub errors_seen: usize,
}

/// Reads QEMU's standard output (the serial console; `qemu` must have been spawned with it
/// piped) until `watch` ends the run, then kills QEMU's process group. The clock starts now.
pub fn watch_console(qemu: &mut crate::ProcessGroup, watch: &Watch<'_>) -> Watched {
    use std::io::Read as _;
    use std::sync::mpsc;
    let started = Instant::now();
    let Some(mut stdout) = qemu.child_mut().stdout.take() else {
        return Watched {
            end: End::Exited(qemu.wait()),
            elapsed: started.elapsed(),
            console: Console::default(),
            errors_seen: 0,
        };
    };
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            let Some(bytes) = buf.get(..n) else { break };
            if n == 0 || tx.send(bytes.to_vec()).is_err() {
                break;
            }
        }
    });
    let mut console = Console::default();
    let mut errors_seen = 0;
    let mut stops_seen = 0;
    let mut last_output = Instant::now();
    let end = loop {
        let now = Instant::now();
        let hard = (started + watch.hard).saturating_duration_since(now);
        let stall = (last_output + watch.stall).saturating_duration_since(now);
        match rx.recv_timeout(hard.min(stall)) {
            Ok(bytes) => {
                last_output = Instant::now();
                let first_new = console.feed(&bytes);
                let mut unexpected = None;
                for line in console.logical.get(first_new..).unwrap_or_default() {
                    let Some(code) = ipxe_error_code(line) else {
                        continue;
                    };
                    match watch.expected_errors.get(errors_seen) {
                        Some(e) if e.code == code && line.contains(e.line_contains) => {
                            errors_seen += 1;
                        }
                        _ => {
                            unexpected = Some(line.clone());
                            break;
                        }
                    }
                }
                if let Some(line) = unexpected {
                    break End::IpxeError(line);
                }
                if let Some(marker) = watch.stop_at {
                    let new = console.logical.get(first_new..).unwrap_or_default();
                    stops_seen += new.iter().filter(|l| l.contains(marker)).count();
                    let pending = usize::from(console.partial().contains(marker));
                    if stops_seen + pending >= watch.stop_count.max(1) {
                        break End::Stopped;
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break End::Exited(qemu.wait()),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if Instant::now() >= started + watch.hard {
                    break End::TimedOut;
                }
                break End::Stalled;
            }
        }
    };
    let elapsed = started.elapsed();
    qemu.kill();
    let _ = reader.join();
    Watched {
        end,
        elapsed,
        console,
        errors_seen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kernel_message_in_the_command_line_is_cut_off() {
        let line = "ipxegen.node=chain-node[    2.391794] tsc: Refined TSC";
        assert_eq!(
            line.get(..kernel_message_at(line)),
            Some("ipxegen.node=chain-node")
        );
        assert_eq!(kernel_message_at("a=[1] b"), "a=[1] b".len());
        assert_eq!(kernel_message_at("x [12.123456]"), 2);
    }
}
