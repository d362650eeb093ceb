//! The lint findings of the previewed script.

use crate::html::Html;

/// The Lint section: `ul#lint` with one `li.diagnostic` per finding (`line:column:
/// severity[rule]: message`), and a note when a script (`has_script`) has none.
pub fn lint_list<'a>(
    out: &mut Html,
    has_script: bool,
    findings: impl ExactSizeIterator<Item = &'a str>,
) {
    out.raw("<section id=\"lint-section\" aria-labelledby=\"lint-heading\"><h2 id=\"lint-heading\">Lint</h2>");
    if has_script && findings.len() == 0 {
        out.raw("<p class=\"hint\">No findings: this script lints clean.</p>");
    }
    out.raw("<ul id=\"lint\">");
    for finding in findings {
        out.raw("<li class=\"diagnostic\">")
            .text(finding)
            .raw("</li>");
    }
    out.raw("</ul></section>");
}
