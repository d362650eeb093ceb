//! JSON: the structural walker the site and manifest readers stand on, and the one string
//! encoder every JSON the core writes goes through.

mod scan;
pub mod string;
mod walk;

pub(crate) use walk::*;
