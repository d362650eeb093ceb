//! Shared helpers of ipxegen's cross-crate tests.
#![allow(missing_docs)]

include!("../golden/cases.rs");
include!("../golden/dhcp_cases.rs");

use ipxegen_core::{Result, Site, ipxe};

/// Renders what `case` asks for into a `Vec`.
pub fn render_case(case: &GoldenCase) -> Result<Vec<u8>> {
    let site = Site::parse(case.site)?;
    let mut out = Vec::new();
    let mut sink = VecWriter(&mut out);
    match case.render {
        Render::Main => ipxe::write_main_script(site.config(), &mut sink)?,
        Render::Node(id) => {
            ipxe::write_node_config(site.config(), &site.node_by_id(id)?, &mut sink)?
        }
    }
    Ok(out)
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

/// The directory of golden files.
pub fn golden_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("golden")
}
