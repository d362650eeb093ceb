//! Shared helpers of ipxegen's cross-crate tests.
#![allow(missing_docs)]

include!("../golden/cases.rs");
include!("../golden/dhcp_cases.rs");

mod golden;
pub mod netns;
pub mod pcap;
mod process;
pub mod qemu;
mod skip;
pub mod swift;

pub use golden::{check_golden, updating_goldens};
pub use process::{ProcessGroup, output_within, output_within_from};
pub use skip::{SKIP_MARKER, find_command, in_ci, missing_tool, ready_or_skip, require_tools};

use ipxegen_core::model::{TemplateFile, TemplateRef};
use ipxegen_core::{Result, Site};

/// Renders what `case` asks for into a `Vec`.
pub fn render_case(case: &GoldenCase) -> Result<Vec<u8>> {
    let site = Site::parse(case.site)?;
    let mut out = Vec::new();
    render_golden(
        site.config(),
        |id| site.node_by_id(id),
        &case.render,
        &mut VecWriter(&mut out),
    )?;
    Ok(out)
}

/// The template files a site names, read from disk (relative to `base`) once each: what a
/// front end does before it checks a site.
pub struct TemplateStore<'a> {
    /// Each distinct file, where the site first names it, and its bytes (or why not).
    pub read: Vec<(TemplateRef<'a>, core::result::Result<Vec<u8>, String>)>,
}

impl<'a> TemplateStore<'a> {
    /// Reads every template file `site` names.
    pub fn read(site: &Site<'a>, base: &std::path::Path) -> Self {
        let mut read: Vec<(TemplateRef<'a>, core::result::Result<Vec<u8>, String>)> = Vec::new();
        for r in site.template_refs() {
            if read.iter().any(|(known, _)| known.same_file(&r)) {
                continue;
            }
            let path = base.join(r.slot.path.to_string());
            read.push((r, std::fs::read(&path).map_err(|e| e.to_string())));
        }
        TemplateStore { read }
    }

    /// The files, loaded (parsed) for the site.
    pub fn files(&self) -> Vec<TemplateFile<'_>> {
        self.read
            .iter()
            .map(|(r, bytes)| match bytes {
                Ok(bytes) => TemplateFile::load(*r, bytes),
                Err(why) => TemplateFile::unreadable(*r, why),
            })
            .collect()
    }
}

/// An `embedded_io::Write` into a `Vec<u8>`.
pub struct VecWriter<'a>(pub &'a mut Vec<u8>);

impl embedded_io::ErrorType for VecWriter<'_> {
    type Error = core::convert::Infallible;
}

impl embedded_io::Write for VecWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> core::result::Result<usize, Self::Error> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> core::result::Result<(), Self::Error> {
        Ok(())
    }
}

/// A [`VecWriter`] is also a manifest spool: what was written to it, replayed.
impl ipxegen_core::archive::ManifestSpool for VecWriter<'_> {
    fn replay(&mut self, chunk: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        chunk(self.0)
    }
}

/// The directory of golden files.
pub fn golden_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("golden")
}

/// The workspace's root directory.
pub fn workspace_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default()
}

/// Cargo's target directory (`CARGO_TARGET_DIR`, else the workspace's `target`).
pub fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace_dir().join("target"), Into::into)
}

/// The `ipxegen` binary, built once per test process with the cargo running the tests (so
/// it is never stale).
///
/// # Panics
/// When the build fails (the test cannot run without it).
#[allow(clippy::panic, reason = "a test helper: the test fails")]
pub fn ipxegen_binary() -> std::path::PathBuf {
    static BINARY: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BINARY
        .get_or_init(|| {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
            let result = std::process::Command::new(cargo)
                .args(["build", "-q", "-p", "ipxegen-cli"])
                .current_dir(workspace_dir())
                .stdin(std::process::Stdio::null())
                .output();
            match result {
                Ok(out) if out.status.success() => {}
                Ok(out) => panic!(
                    "cargo build -p ipxegen-cli failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                ),
                Err(e) => panic!("cannot run cargo: {e}"),
            }
            target_dir().join("debug").join("ipxegen")
        })
        .clone()
}
