//! iPXE scripts: the writer every script goes through, the main script, per-node configs,
//! operators' templates of them.

pub mod boot;
pub mod lint;
pub mod node;
pub mod script;
pub mod template;

pub use boot::write_main_script;
pub use node::write_node_config;
pub use script::{Line, ScriptWriter};
