//! ipxegen-web: the browser front end of ipxegen, compiled to wasm.
//!
//! [`state`] holds the data and the one reducer, which calls the core; the views
//! (`components`) write the page's markup from it ([`html`]); [`app`] turns the page's
//! events into actions and does what only a browser can, through the page's script
//! (`src/page.js`), which patches the DOM to the markup. Build the page with `web/build.sh`.

pub mod app;
pub mod base64url;
mod components;
pub mod csv;
pub mod form;
pub mod html;
pub mod json;
pub mod state;

pub use app::{AppHandle, mount};
