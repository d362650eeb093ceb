//! The boot tree: one button per entry.

use crate::html::Html;
use crate::state::{Selection, TreeEntry, TreeKind};

/// One entry of `ul#tree` (`k` its place in the tree): a button (`sel:<k>`) indented by
/// depth, `aria-pressed` when it is the one `pressed`.
pub fn tree_entry(out: &mut Html, k: usize, entry: &TreeEntry, pressed: bool) {
    let depth = entry.path.matches('/').count().min(3);
    let (kind, note) = match &entry.kind {
        TreeKind::Directory => ("directory", String::from("/")),
        TreeKind::Script => ("script", String::new()),
        TreeKind::PerMac(target) => ("per-mac", format!(" → {target}")),
        TreeKind::File(source) => ("file", format!(" (place: {source})")),
        TreeKind::Loader => ("loader", String::from(" (place: iPXE loader)")),
    };
    out.raw("<li")
        .attr("class", &format!("depth depth-{depth}"));
    out.raw("><button type=\"button\"")
        .attr("class", &format!("tree-entry {kind}"));
    out.attr("data-path", &entry.path);
    out.raw(if entry.tftp {
        " data-root=\"tftp\""
    } else {
        " data-root=\"http\""
    });
    out.state("aria-pressed", pressed)
        .attr("data-a", &format!("sel:{k}"))
        .raw(">");
    if entry.tftp {
        out.raw("<span class=\"root\">tftp:</span>");
    }
    out.text(&entry.path).text(&note).raw("</button></li>");
}

/// Whether `entry` is the one `selected`.
pub fn is_selected(entry: &TreeEntry, selected: Option<&Selection>) -> bool {
    selected.is_some_and(|s| s.tftp == entry.tftp && s.path == entry.path)
}

/// The entries of `ul#tree` for the nodes left out because they have errors (`name`, the
/// node's label; `i`, its index), after the tree's own: marked (`.tree-entry.invalid`),
/// activating one (`go-node:<i>`) focuses its first error.
pub fn left_out_entry(out: &mut Html, name: &str, i: usize) {
    out.raw(
        "<li><button type=\"button\" class=\"tree-entry invalid\" aria-describedby=\"left-out\"",
    );
    out.attr("data-a", &format!("go-node:{i}")).raw(">");
    out.text(&format!("✗ {name}: has errors, left out"))
        .raw("</button></li>");
}

/// The heading and notes of the tree's section: why there is no tree at all (`blocked`, the
/// site's own fields have errors), and how many nodes are left out.
pub fn tree_notes(out: &mut Html, blocked: bool, left_out: usize) {
    out.raw("<h2 id=\"tree-heading\">Boot tree</h2>");
    if blocked {
        out.raw("<p class=\"hint\">The site's own fields have errors (see Problems): no part of the tree can be written until they are fixed.</p>");
    }
    if left_out > 0 {
        out.raw("<p class=\"hint\" id=\"left-out\">");
        out.text(&format!("{left_out} node(s) with errors are left out of the tree, the preview and the DHCP config until they are fixed."));
        out.raw("</p>");
    }
}
