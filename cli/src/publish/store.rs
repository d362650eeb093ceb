//! What `publish` needs of an object store, whichever its API ([`super::swift`],
//! [`super::s3`]), and the HTTP requests both make: bounded in time, retried with back-off.

use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// An object as the container's listing gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Its key.
    pub key: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its ETag as a lower-case MD5 hex digest, when it is one (not for a large object made of
    /// segments or parts).
    pub md5: Option<String>,
}

/// An object's content.
#[derive(Clone, Debug)]
pub enum Body {
    /// Bytes in memory (scripts, per-MAC copies, the manifest).
    Bytes(Arc<[u8]>),
    /// A local file (kernels, ramdisks, ISOs, loaders), streamed.
    File {
        /// Where it is.
        path: PathBuf,
    },
}

impl Body {
    /// A reader of `len` bytes of the content from byte `offset`.
    ///
    /// # Errors
    /// The file cannot be opened or read.
    pub fn reader(&self, offset: u64, len: u64) -> io::Result<Box<dyn Read + Send>> {
        match self {
            Body::Bytes(bytes) => {
                let start = usize::try_from(offset)
                    .unwrap_or(usize::MAX)
                    .min(bytes.len());
                let end = usize::try_from(offset.saturating_add(len))
                    .unwrap_or(usize::MAX)
                    .min(bytes.len());
                Ok(Box::new(io::Cursor::new(
                    bytes.get(start..end).unwrap_or_default().to_vec(),
                )))
            }
            Body::File { path } => {
                let mut file = File::open(path)?;
                io::Seek::seek(&mut file, io::SeekFrom::Start(offset))?;
                Ok(Box::new(file.take(len)))
            }
        }
    }
}

/// One object to write.
#[derive(Clone, Debug)]
pub struct Upload {
    /// Its key.
    pub key: String,
    /// Its content.
    pub body: Body,
    /// Its size.
    pub size: u64,
    /// Its SHA-256, lower-case hex: stored as the object's `sha256` metadata.
    pub sha256: String,
    /// Its MD5, lower-case hex (the ETag the store checks a plain upload against).
    pub md5: String,
    /// Its content type.
    pub content_type: &'static str,
}

/// Why a request failed.
#[derive(Debug)]
pub struct StoreError {
    /// What was being done, and to which object.
    pub message: String,
    /// The credentials are refused (HTTP 401 or 403).
    pub auth: bool,
}

impl StoreError {
    /// A failure described by `message`.
    pub fn new(message: impl Into<String>) -> Self {
        StoreError {
            message: message.into(),
            auth: false,
        }
    }
}

/// An object store as `publish` uses it. Safe to share between the upload threads.
pub trait Store: Sync {
    /// Where it publishes (for messages): `swift://boot/prefix at http://...`.
    fn describe(&self) -> String;
    /// The URL the objects are served from (the container's, with a trailing `/`): what
    /// `http_server` should be, unless a CDN is in front of it.
    fn public_base(&self) -> String;
    /// Every object whose key starts with `prefix`.
    ///
    /// # Errors
    /// The listing failed.
    fn list(&self, prefix: &str) -> Result<Vec<Listed>, StoreError>;
    /// The object `key`'s content, if it exists.
    ///
    /// # Errors
    /// The request failed.
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// The `sha256` metadata of object `key`, if it exists and has one.
    ///
    /// # Errors
    /// The request failed.
    fn stored_sha256(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Writes `upload` (in parts when it is larger than the segment size, the parts `jobs` at
    /// a time): the object appears whole, or not at all.
    ///
    /// # Errors
    /// The request failed after its retries.
    fn put(&self, upload: &Upload, jobs: usize) -> Result<(), StoreError>;
    /// Deletes object `key` (and its segments, for a large object); a missing one is fine.
    ///
    /// # Errors
    /// The request failed after its retries.
    fn delete(&self, key: &str, large: bool) -> Result<(), StoreError>;
    /// Removes what large uploads left that no current object uses (segments of replaced
    /// objects, under the store's segment prefix); `current` gives each large object's key
    /// and SHA-256.
    ///
    /// # Errors
    /// A request failed.
    fn clean_segments(&self, current: &[(String, String)]) -> Result<u64, StoreError>;
}

/// How requests are retried.
#[derive(Clone, Copy, Debug)]
pub struct Retry {
    /// Attempts in all (at least 1).
    pub attempts: u32,
    /// The first back-off; each next one doubles.
    pub first_delay: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            attempts: 5,
            first_delay: Duration::from_millis(250),
        }
    }
}

/// The HTTP agent every request goes through: connect and read timeouts, no redirects
/// followed silently.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(10))
        .timeout_read(timeout)
        .timeout_write(timeout)
        .redirects(0)
        .build()
}

/// The result of one attempt.
pub enum Attempt<T> {
    /// Done.
    Done(T),
    /// Failed in a way another attempt may not (5xx, 408, 429, a timeout, a reset).
    Transient(String),
    /// Failed for good.
    Fatal(StoreError),
}

/// Runs `attempt` until it is done, fails for good, or has been tried `retry.attempts`
/// times, sleeping between tries (doubling from `retry.first_delay`).
///
/// # Errors
/// The fatal error, or the last transient one with how many attempts were made.
pub fn with_retries<T>(
    retry: Retry,
    what: &str,
    mut attempt: impl FnMut() -> Attempt<T>,
) -> Result<T, StoreError> {
    let mut delay = retry.first_delay;
    let mut last = String::new();
    for n in 1..=retry.attempts.max(1) {
        match attempt() {
            Attempt::Done(v) => return Ok(v),
            Attempt::Fatal(e) => return Err(e),
            Attempt::Transient(why) => last = why,
        }
        if n < retry.attempts {
            std::thread::sleep(delay);
            delay = delay.saturating_mul(2);
        }
    }
    Err(StoreError::new(format!(
        "{what}: {last} (after {} attempts)",
        retry.attempts.max(1)
    )))
}

/// Sorts a `ureq` result into an [`Attempt`]: `ok` statuses are done (the response is handed
/// to `done`), 5xx, 408 and 429 and transport errors are transient, 401 and 403 are
/// authentication failures, any other status is fatal.
pub fn classify<T>(
    what: &str,
    result: Result<ureq::Response, ureq::Error>,
    ok: &[u16],
    done: impl FnOnce(ureq::Response) -> Result<T, String>,
) -> Attempt<T> {
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(ureq::Error::Transport(t)) => return Attempt::Transient(t.to_string()),
    };
    let status = response.status();
    if ok.contains(&status) {
        return match done(response) {
            Ok(v) => Attempt::Done(v),
            Err(e) => Attempt::Transient(e),
        };
    }
    let text = response.status_text().to_owned();
    match status {
        500..=599 | 408 | 429 => Attempt::Transient(format!("HTTP {status} {text}")),
        401 | 403 => Attempt::Fatal(StoreError {
            message: format!("{what}: HTTP {status} {text}: the credentials are refused"),
            auth: true,
        }),
        _ => Attempt::Fatal(StoreError::new(format!("{what}: HTTP {status} {text}"))),
    }
}

/// [`classify`], where HTTP 404 (the object or container is not there) is done as `missing`.
pub fn classify_or<T>(
    what: &str,
    result: Result<ureq::Response, ureq::Error>,
    ok: &[u16],
    missing: T,
    done: impl FnOnce(ureq::Response) -> Result<T, String>,
) -> Attempt<T> {
    match result {
        Err(ureq::Error::Status(404, _)) => Attempt::Done(missing),
        result => classify(what, result, ok, done),
    }
}

/// Most bytes of an object `publish` reads back (a manifest).
const READ_MAX: u64 = 64 << 20;

/// The body of `response`, at most [`READ_MAX`] bytes.
///
/// # Errors
/// The body cannot be read.
pub fn read_body(response: ureq::Response) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    response
        .into_reader()
        .take(READ_MAX)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Runs `each(i)` for every `i` in `0..count`, `jobs` threads at a time, and gives the
/// results in index order; stops handing out indexes at the first failure.
///
/// # Errors
/// The first failure.
pub fn in_parallel<T: Send>(
    count: usize,
    jobs: usize,
    each: impl Fn(usize) -> Result<T, StoreError> + Sync,
) -> Result<Vec<T>, StoreError> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..count).map(|_| None).collect());
    let failure: Mutex<Option<StoreError>> = Mutex::new(None);
    let failed = || failure.lock().map(|f| f.is_some()).unwrap_or(true);
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, count.max(1)) {
            scope.spawn(|| {
                while !failed() {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        return;
                    }
                    match each(i) {
                        Ok(v) => {
                            if let Ok(mut r) = results.lock()
                                && let Some(slot) = r.get_mut(i)
                            {
                                *slot = Some(v);
                            }
                        }
                        Err(e) => {
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(e);
                            }
                            return;
                        }
                    }
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .collect::<Option<Vec<T>>>()
        .ok_or_else(|| StoreError::new("an upload thread ended without a result"))
}

/// The `(offset, length)` of part `i` of `size` bytes cut in parts of `part` bytes.
pub fn part_range(i: usize, part: u64, size: u64) -> (u64, u64) {
    let offset = u64::try_from(i).unwrap_or(u64::MAX).saturating_mul(part);
    (offset, part.min(size.saturating_sub(offset)))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `key` percent-encoded as a URL path (each segment; `/` kept).
pub fn encode_path(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for b in key.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_transient_failures_then_gives_up() {
        let retry = Retry {
            attempts: 3,
            first_delay: Duration::from_millis(1),
        };
        let mut tries = 0;
        let r: Result<(), _> = with_retries(retry, "PUT x", || {
            tries += 1;
            Attempt::Transient("HTTP 503".into())
        });
        assert_eq!(tries, 3);
        assert_eq!(r.unwrap_err().message, "PUT x: HTTP 503 (after 3 attempts)");
        let mut tries = 0;
        let r = with_retries(retry, "PUT x", || {
            tries += 1;
            if tries < 2 {
                Attempt::Transient("reset".into())
            } else {
                Attempt::Done(7)
            }
        });
        assert_eq!(r.unwrap(), 7);
    }

    #[test]
    fn paths_are_encoded_by_segment() {
        assert_eq!(encode_path("a b/c%d/e"), "a%20b/c%25d/e");
        assert_eq!(
            encode_path("pxelinux.cfg/52-54-00"),
            "pxelinux.cfg/52-54-00"
        );
    }
}
