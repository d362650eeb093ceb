//! JSON (RFC 8259): the structural walker the site and manifest readers stand on, and the one
//! string encoder every JSON the core writes goes through.
//!
//! The walker is public so a front end reads JSON by the core's rules: [`document`] gives the
//! top-level [`Value`], whose accessors ([`Value::kind`], [`Value::members`],
//! [`Value::elements`], [`Value::checked_string`], [`Value::number`], ...) check and decode
//! it; every error names its byte offset. Nothing here allocates or panics.

mod scan;
pub mod string;
mod walk;

pub use walk::{Items, Kind, Member, Members, Value, document};
pub(crate) use walk::{KnownEnds, document_with_ends, string_at};
