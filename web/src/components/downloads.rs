//! Download buttons: the tree as a tar, the site document.

use crate::html::Html;

/// `#download-tar` (`tar`), `#export-site` (`site-json`), `#share-link` (`link`, with the
/// page's address), `#load-example` (`example`), and `link_status`, what the last link copy
/// did; a tar is made only of a site without `problems`, and a disabled tar button names why
/// in `#download-why`.
pub fn downloads(out: &mut Html, problems: usize, link_status: &str) {
    let blocked = problems > 0;
    out.raw("<section id=\"downloads\" aria-labelledby=\"download-heading\"><h2 id=\"download-heading\">Download</h2><div class=\"buttons\"><button id=\"download-tar\" type=\"button\" data-a=\"tar\"");
    out.flag("disabled", blocked);
    if blocked {
        out.raw(" aria-describedby=\"download-why\"");
    }
    out.raw(">Tree (ipxegen-tree.tar)</button><button id=\"export-site\" type=\"button\" data-a=\"site-json\">Site (site.json)</button><button id=\"share-link\" type=\"button\" data-a=\"link\">Copy link to this site</button><button id=\"load-example\" type=\"button\" data-a=\"example\">Start from the example</button><span role=\"status\" class=\"hint\">");
    out.text(link_status).raw("</span></div>");
    if blocked {
        out.raw("<p id=\"download-why\" class=\"field-error\">");
        out.text(&format!("No tree to download: the site has {problems} problem(s), listed under Problems. The site itself can still be saved."));
        out.raw("</p>");
    }
    out.raw("<p class=\"hint\">The tar is the HTTP root as `ipxegen archive` writes it (per-MAC entries as symbolic links), byte for byte.</p></section>");
}
