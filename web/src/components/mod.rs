//! Presentational components, one per file: each takes data and callbacks and only renders.

pub mod dhcp_tabs;
pub mod downloads;
pub mod field;
pub mod files_to_place;
pub mod import_panel;
pub mod lint_list;
pub mod node_table;
pub mod preview;
pub mod site_form;
pub mod templates_panel;
pub mod tree_view;

pub use dhcp_tabs::DhcpTabs;
pub use downloads::Downloads;
pub use files_to_place::FilesToPlace;
pub use import_panel::ImportPanel;
pub use lint_list::LintList;
pub use node_table::NodeTable;
pub use preview::Preview;
pub use site_form::SiteFormView;
pub use templates_panel::{TemplateTarget, TemplatesPanel};
pub use tree_view::TreeView;
