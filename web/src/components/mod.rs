//! Presentational components, one per file: each takes data and callbacks and only renders.

pub mod script_preview;
pub mod server_field;

pub use script_preview::ScriptPreview;
pub use server_field::ServerField;
