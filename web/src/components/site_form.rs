//! The site's editors.

use super::field::Editor;
use crate::form::{FieldInfo, input_id};
use crate::html::Html;

/// One site editor: its schema row, value and errors.
pub struct FieldView<'a> {
    /// Which field.
    pub info: &'static FieldInfo,
    /// The value as typed.
    pub value: &'a str,
    /// The core's errors for it.
    pub errors: Vec<&'a str>,
}

/// Every site editor (`fields`, in order: those of the site's boot flow, and any that hold a
/// value), labelled, in a grid that becomes one column in a narrow window. Each asks for
/// `site:<key>`.
pub fn site_form(out: &mut Html, fields: &[FieldView<'_>]) {
    out.raw("<section id=\"site\" aria-labelledby=\"site-heading\"><h2 id=\"site-heading\">Site</h2><div class=\"grid\">");
    for f in fields {
        let id = input_id(f.info.field);
        Editor {
            info: f.info,
            id: &id,
            label: f.info.label,
            value: f.value,
            errors: &f.errors,
            action: &format!("site:{}", f.info.key),
            secret: false,
        }
        .write(out);
    }
    out.raw("</div></section>");
}
