//! The views, one per file: each writes its part of the page as markup ([`crate::html`])
//! from data, and names the action each control asks for in its `data-a` (see
//! [`crate::app`]). None of them holds state or touches the DOM.

pub mod dhcp_tabs;
pub mod downloads;
pub mod field;
pub mod files_to_place;
pub mod import_panel;
pub mod lint_list;
pub mod node_table;
pub mod preview;
pub mod problems;
pub mod site_form;
pub mod templates_panel;
pub mod tree_view;
