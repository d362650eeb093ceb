//! ipxegen-web: the browser front end of ipxegen, a Yew (CSR) app compiled to wasm.
//!
//! [`state`] holds the data and the one reducer, which calls the core; the components only
//! present; [`App`] wires them together. Build the page with `web/build.sh`.

mod app;
pub mod base64url;
mod components;
pub mod csv;
pub mod form;
pub mod json;
pub mod state;

pub use app::App;
