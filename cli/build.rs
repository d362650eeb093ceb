//! Sets `IPXEGEN_VERSION`, what `ipxegen --version` prints: the package version and, when
//! built from a git checkout, the commit (`0.1.0 (git 4cd1b29f1a2b)`, `-dirty` when the
//! working tree has changes).

use std::process::Command;

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let full = match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(commit) if !commit.is_empty() => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            format!(
                "{version} (git {commit}{})",
                if dirty { "-dirty" } else { "" }
            )
        }
        _ => version,
    };
    println!("cargo:rustc-env=IPXEGEN_VERSION={full}");
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        println!("cargo:rerun-if-changed={}", dir.join("HEAD").display());
        println!("cargo:rerun-if-changed={}", dir.join("index").display());
    }
    println!("cargo:rerun-if-changed=build.rs");
}
