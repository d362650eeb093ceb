//! iPXE scripts: the writer every script goes through, the main script, per-node configs.

pub mod boot;
pub mod lint;
pub mod node;
pub mod script;

pub use boot::write_main_script;
pub use node::write_node_config;
pub use script::{Line, ScriptWriter};
