//! Every capacity of the core in one place.
//!
//! The core never allocates: each value it keeps lives in a fixed-capacity buffer sized here.
//! A value longer than its capacity is refused with [`ErrorKind::TooLong`](crate::ErrorKind)
//! naming the field; nothing is ever truncated.

/// Longest URL (any URL the site names, or that the core composes), in bytes.
pub const URL_MAX: usize = 512;
/// Longest host name or address literal (brackets included), in bytes.
pub const HOST_MAX: usize = 255;
/// Longest local filesystem path (`http_root`, a kernel to place, ...), in bytes.
pub const PATH_MAX: usize = 512;
/// Longest file or directory name inside the tree (`boot.ipxe`, `pxelinux.cfg`), in bytes.
pub const NAME_MAX: usize = 128;
/// Longest node id, in bytes.
pub const NODE_ID_MAX: usize = 64;
/// Longest kernel command line the core adds for a node (site and node arguments together).
pub const KERNEL_ARGS_MAX: usize = 1024;
/// Most NICs a node may list.
pub const NICS_MAX: usize = 8;
/// Most iSCSI targets a node may list (`sanhook` drives 0x80 upwards).
pub const ISCSI_TARGETS_MAX: usize = 4;
/// Longest iSCSI qualified name (RFC 3720 allows 223 bytes).
pub const IQN_MAX: usize = 223;
/// Longest CHAP user name or secret, in bytes.
pub const CHAP_MAX: usize = 128;
/// Deepest JSON nesting the site reader accepts.
pub const JSON_DEPTH_MAX: usize = 16;

/// Largest site document the front ends read, in bytes (512 MiB). A site of 1,000,000 nodes
/// is about 210 MiB; past this size a front end stops reading and refuses the document.
/// (The core itself reads documents up to 4 GiB, the reach of its 32-bit offsets.)
pub const SITE_DOCUMENT_MAX: usize = 512 << 20;

/// Largest script `lint` reads, in bytes (64 MiB): a script of 1,000,000 lines fits; iPXE
/// itself holds a script in memory, and real ones are a few KiB.
pub const LINT_INPUT_MAX: usize = 64 << 20;

/// Largest template a site may name, in bytes (16 KiB): the built-in scripts written as
/// templates (`examples/templates/`) are a few KiB; front ends read no more of a template
/// file than this.
pub const TEMPLATE_MAX: usize = 16 << 10;

/// Deepest nesting of a template's sections (`{{#if}}`, `{{#each}}`).
pub const TEMPLATE_SECTIONS_MAX: usize = 8;

/// Most template files one site may name (each distinct path, in each of its uses).
pub const TEMPLATE_FILES_MAX: usize = 64;

/// Longest script the core writes, in bytes: a buffer this long holds any main script or node
/// config (a test renders the largest nodes the limits allow); the whole-site check refuses a
/// template that renders a longer one.
pub const SCRIPT_MAX: usize = 8192;

/// Smallest `--timeout` the core emits or accepts, in milliseconds. iPXE timeouts are in
/// milliseconds; anything below one second is almost always seconds written by mistake.
pub const TIMEOUT_MIN_MS: u32 = 1_000;
/// Largest `--timeout` accepted, in milliseconds (one hour).
pub const TIMEOUT_MAX_MS: u32 = 3_600_000;
/// Default download inactivity timeout, in milliseconds.
pub const TIMEOUT_DEFAULT_MS: u32 = 60_000;
/// Most download attempts a node config makes before giving up.
pub const RETRIES_MAX: u8 = 100;
/// Default number of retries after the first attempt.
pub const RETRIES_DEFAULT: u8 = 3;
/// Seconds added to the pause before each further retry (1st retry waits this, 2nd twice it).
pub const RETRY_STEP_S: u32 = 5;
/// How long the main script waits for a key before rebooting when no config matched, in ms.
pub const NO_CONFIG_REBOOT_MS: u32 = 30_000;

const _: () = assert!(HOST_MAX < URL_MAX);
const _: () = assert!(NODE_ID_MAX < NAME_MAX);
const _: () = assert!(IQN_MAX + HOST_MAX + 32 < URL_MAX);
const _: () = assert!(TIMEOUT_MIN_MS <= TIMEOUT_DEFAULT_MS && TIMEOUT_DEFAULT_MS <= TIMEOUT_MAX_MS);
const _: () = assert!(ISCSI_TARGETS_MAX <= 0x7f);
const _: () = assert!(RETRIES_DEFAULT <= RETRIES_MAX);
