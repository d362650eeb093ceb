//! ipxegen-core: turns a description of a network-boot site into everything the site needs:
//! the main iPXE script, one config per node, and (in later modules) DHCP options and
//! server configs. `no_std`, no allocation: every value lives in a fixed-capacity buffer
//! (see [`limits`]) and every output goes through an [`embedded_io::Write`].
//!
//! Panic contract: no public function panics on any input. Bad input gives an [`Error`] that
//! names the field (and node) at fault; nothing is escaped or truncated silently.
//!
//! ```
//! use ipxegen_core::{Site, ipxe, output::write_to_slice};
//! let doc = br#"{"schema": 1, "http_server": "192.0.2.10:8080", "http_root": "/srv/http"}"#;
//! let site = Site::parse(doc).unwrap();
//! let mut buf = [0u8; 4096];
//! let len = write_to_slice(&mut buf, |out| ipxe::write_main_script(site.config(), out)).unwrap();
//! assert!(buf[..len].starts_with(b"#!ipxe\n"));
//! ```
#![no_std]
#![allow(
    clippy::large_enum_variant,
    reason = "no allocation: every value is stored inline"
)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

pub mod archive;
mod ascii;
pub mod classic;
pub mod dhcp;
pub mod error;
pub mod hex;
pub mod ipxe;
pub mod json;
pub mod limits;
pub mod manifest;
pub mod model;
pub mod output;
pub mod schema;
pub mod servers;
pub mod site;
pub mod tar;
pub mod template;
pub mod tree;

pub use error::{Error, ErrorKind, Field, JsonError, Result};
pub use site::{CheckedSite, Nodes, SCHEMA_VERSION, Site, raw_node_id};
