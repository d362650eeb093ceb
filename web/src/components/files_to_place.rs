//! Files the operator places by hand: kernels, ramdisks, ISOs and iPXE loaders.

use crate::html::Html;
use crate::state::{TreeEntry, TreeKind};

/// `ul#files-to-place`: one `li` per file or loader entry of the tree.
pub fn files_to_place(out: &mut Html, entries: &[TreeEntry]) {
    out.raw("<ul id=\"files-to-place\">");
    for entry in entries {
        let root = if entry.tftp { "TFTP root" } else { "HTTP root" };
        let what = match &entry.kind {
            TreeKind::File(source) => format!("from {source}"),
            TreeKind::Loader => String::from("an iPXE loader (e.g. from /usr/lib/ipxe)"),
            _ => continue,
        };
        out.raw("<li><code>").text(&entry.path).raw("</code>");
        out.text(&format!(" in the {root}: {what}")).raw("</li>");
    }
    out.raw("</ul>");
}
