//! The nodes, a page at a time: one group of editors per node shown, made from the schema's
//! node rows, with its NICs' network boot flags and its list of iSCSI targets.

use super::field::{Editor, alert};
use crate::form::{FieldInfo, fields, in_flow, label, mac_tokens, node_fields, used_by};
use crate::html::Html;
use crate::state::{Field, NodeForm, NodePage, Target};
use ipxegen_core::output::Grouped;
use ipxegen_core::schema::Scope;

/// One node of the page shown, with what the page shows of it.
pub struct Row<'a> {
    /// Its index in the site.
    pub index: usize,
    /// The node.
    pub node: &'a NodeForm,
    /// Its errors, each with where it belongs.
    pub errors: &'a [(Target, &'a str)],
    /// Its "More fields" are shown.
    pub more: bool,
    /// The iSCSI targets (by index) whose CHAP secret is shown as text.
    pub secrets: &'a [usize],
}

/// The node list: what it shows and over what.
pub struct NodeList<'a> {
    /// The nodes of the page shown.
    pub rows: &'a [Row<'a>],
    /// Where that page is among the nodes the filter matches.
    pub page: &'a NodePage,
    /// How many nodes the site has.
    pub total: usize,
    /// The filter's text.
    pub filter: &'a str,
    /// The site boots through iPXE (which decides the fields of one flow shown).
    pub ipxe: bool,
}

/// The status between the pager's buttons: `Nodes 51–100 of 2,000`, or with a filter
/// `Nodes 1–3 of 3 matching (2,000 in all)`.
fn status(list: &NodeList<'_>) -> String {
    let NodePage {
        first, matching, ..
    } = *list.page;
    let filtered = !list.filter.trim().is_empty();
    match (matching, filtered) {
        (0, false) => "No nodes yet".to_owned(),
        (0, true) => format!("No node matches ({} in all)", Grouped(list.total)),
        _ => {
            let range = format!(
                "Nodes {}–{} of {}",
                Grouped(first + 1),
                Grouped(first + list.rows.len()),
                Grouped(matching)
            );
            if filtered {
                format!("{range} matching ({} in all)", Grouped(list.total))
            } else {
                range
            }
        }
    }
}

/// The filter (`#node-filter`, by id or MAC: `filter`), the pager (`#nodes-first`,
/// `#nodes-prev`, `#nodes-next`, `#nodes-last`: `page:<p>`, `aria-disabled` where they lead
/// nowhere, so they keep the focus; `#nodes-status`, `aria-live`), the page's nodes (`nodes`,
/// the markup [`node_rows`] wrote) and the add button (`add`).
pub fn node_table(out: &mut Html, list: &NodeList<'_>, nodes: &str) {
    out.raw("<section id=\"node-list\" aria-labelledby=\"nodes-heading\"><h2 id=\"nodes-heading\">Nodes</h2><p class=\"hint\">MACs: separated by commas or spaces; a ! before a MAC (or its Network boot box unticked) marks a NIC that must not network boot.</p>");
    out.raw("<div class=\"field\"><label for=\"node-filter\">Filter nodes (id or MAC)</label><input id=\"node-filter\" type=\"search\" data-a=\"filter\"");
    out.attr("value", list.filter);
    out.raw(" aria-controls=\"nodes\" autocomplete=\"off\" spellcheck=\"false\"></div>");
    let NodePage { page, pages, .. } = *list.page;
    let pager = |out: &mut Html, id: &str, text: &str, to: usize| {
        out.raw("<button type=\"button\" aria-controls=\"nodes\"")
            .attr("id", id);
        out.state("aria-disabled", to == page);
        out.attr("data-a", &format!("page:{to}"))
            .raw(">")
            .text(text)
            .raw("</button>");
    };
    out.raw("<nav class=\"buttons\" aria-label=\"Pages of nodes\">");
    pager(out, "nodes-first", "First", 0);
    pager(out, "nodes-prev", "Previous", page.saturating_sub(1));
    out.raw("<span id=\"nodes-status\" role=\"status\" aria-live=\"polite\">");
    out.text(&status(list)).raw("</span>");
    pager(out, "nodes-next", "Next", (page + 1).min(pages - 1));
    pager(out, "nodes-last", "Last", pages - 1);
    out.raw("</nav>").raw(nodes);
    out.raw("<button id=\"add-node\" type=\"button\" data-a=\"add\">Add node</button></section>");
}

/// `#nodes`: the page's nodes, in order.
pub fn node_rows(out: &mut Html, list: &NodeList<'_>) {
    out.raw("<div id=\"nodes\">");
    for row in list.rows {
        node_row(out, row, list.ipxe);
    }
    out.raw("</div>");
}

/// One node (`fieldset.node-row#node-{i}`): the editors its mode and the site's flow take
/// (`node:{i}:<key>`; those of the fields every mode takes behind "More fields",
/// `#node-{i}-more`: `more:{i}`), and every other one that holds a value; each NIC's network
/// boot flag (`pxe:{i}:{j}`), its iSCSI targets, and its remove button (`rm:{i}`).
fn node_row(out: &mut Html, row: &Row<'_>, ipxe: bool) {
    let Row {
        index,
        node,
        errors,
        more,
        ..
    } = *row;
    let mode = node.get(Field::Mode);
    let errors_at = |target: Target| -> Vec<&str> {
        errors
            .iter()
            .filter(|(t, _)| *t == target)
            .map(|(_, e)| *e)
            .collect()
    };
    let shown = |field: Field| used_by(field, mode) && in_flow(field, ipxe);
    let is_more = |info: &FieldInfo| {
        info.modes.is_all() && !matches!(info.field, Field::NodeId | Field::Nics | Field::Mode)
    };
    let number = index + 1;
    let node_editor = |out: &mut Html, info: &FieldInfo| {
        let target = Target::Node(index, info.field);
        Editor {
            info,
            id: &target.element_id(),
            label: info.label,
            value: node.get(info.field),
            errors: &errors_at(target),
            action: &format!("node:{index}:{}", info.key),
            secret: false,
        }
        .write(out);
    };
    let group = Target::NodeRow(index).element_id();
    let invalid = !errors.is_empty();
    out.raw("<fieldset tabindex=\"-1\"").attr("id", &group);
    out.raw(if invalid {
        " class=\"node-row invalid\">"
    } else {
        " class=\"node-row\">"
    });
    out.raw("<legend>")
        .text(&format!("Node {number}: {}", node.get(Field::NodeId)));
    if invalid {
        out.raw("<span class=\"bad\"> (has errors)</span>");
    }
    out.raw("</legend><div class=\"grid\">");
    for info in node_fields()
        .filter(|info| !is_more(info) && (shown(info.field) || !node.get(info.field).is_empty()))
    {
        node_editor(out, info);
    }
    out.raw("</div><div class=\"flags\">");
    for (j, (mac, pxe)) in mac_tokens(node.get(Field::Nics)).enumerate() {
        let id = format!("node-{index}-nics-{j}-pxe");
        out.raw("<div class=\"field flag\"><label")
            .attr("for", &id)
            .raw(">");
        out.text(&format!("{} ({mac})", label(Field::NicPxe)))
            .raw("</label>");
        out.raw("<input type=\"checkbox\" name=\"pxe\"")
            .attr("id", &id)
            .flag("checked", pxe);
        out.attr("data-a", &format!("pxe:{index}:{j}"))
            .raw("></div>");
    }
    out.raw("</div>");
    if shown(Field::Iscsi) || !node.iscsi.is_empty() {
        iscsi(out, row, &errors_at);
    }
    let more_id = format!("node-{index}-more");
    out.raw("<button type=\"button\" class=\"more-fields\"")
        .state("aria-expanded", more);
    out.attr("aria-controls", &more_id)
        .attr("data-a", &format!("more:{index}"))
        .raw(">");
    out.text(&format!("More fields of node {number}"))
        .raw("</button>");
    out.raw("<div class=\"grid\"").attr("id", &more_id).raw(">");
    for info in node_fields().filter(|info| {
        is_more(info) && ((more && shown(info.field)) || !node.get(info.field).is_empty())
    }) {
        node_editor(out, info);
    }
    out.raw("</div>");
    alert(out, &group, &errors_at(Target::NodeRow(index)));
    out.raw("<button type=\"button\" class=\"remove-node\"")
        .attr("data-a", &format!("rm:{index}"));
    out.raw(">")
        .text(&format!("Remove node {number}"))
        .raw("</button></fieldset>");
}

/// A node's iSCSI targets (`fieldset.iscsi`): each target's editors
/// (`iscsi:{i}:{j}:<key>`; the CHAP secret as dots unless its toggle, `secret:{i}:{j}`, is
/// on), its move-up (`iscsi-up:{i}:{j}`) and remove (`iscsi-rm:{i}:{j}`) buttons, then the
/// add button (`iscsi-add:{i}`), which the list's own errors name.
fn iscsi<'a>(out: &mut Html, row: &Row<'a>, errors_at: &dyn Fn(Target) -> Vec<&'a str>) {
    let index = row.index;
    out.raw("<fieldset class=\"iscsi\"><legend>")
        .text(label(Field::Iscsi))
        .raw("</legend>");
    for (j, target) in row.node.iscsi.iter().enumerate() {
        let number = j + 1;
        let secret_shown = row.secrets.contains(&j);
        out.raw("<div class=\"iscsi-target\" role=\"group\"");
        out.attr("aria-label", &format!("iSCSI target {number}"))
            .raw("><div class=\"grid\">");
        for info in fields(Scope::IscsiTarget) {
            let item = Target::Item(index, j, info.field);
            Editor {
                info,
                id: &item.element_id(),
                label: &format!("{} (target {number})", info.label),
                value: target.get(info.field),
                errors: &errors_at(item),
                action: &format!("iscsi:{index}:{j}:{}", info.key),
                secret: info.field == Field::IscsiPassword && !secret_shown,
            }
            .write(out);
        }
        let password = Target::Item(index, j, Field::IscsiPassword).element_id();
        out.raw("</div><div class=\"buttons\"><button type=\"button\" class=\"toggle-secret\"");
        out.attr("aria-controls", &password)
            .state("aria-pressed", secret_shown);
        out.attr("data-a", &format!("secret:{index}:{j}")).raw(">");
        out.text(&format!("Show CHAP secret (target {number})"))
            .raw("</button>");
        out.raw("<button type=\"button\" class=\"move-up\"")
            .flag("disabled", j == 0);
        out.attr("data-a", &format!("iscsi-up:{index}:{j}"))
            .raw(">");
        out.text(&format!("Move target {number} up"))
            .raw("</button>");
        out.raw("<button type=\"button\" class=\"remove-target\"");
        out.attr("data-a", &format!("iscsi-rm:{index}:{j}"))
            .raw(">");
        out.text(&format!("Remove target {number}"))
            .raw("</button></div></div>");
    }
    let list = Target::Node(index, Field::Iscsi);
    let list_id = list.element_id();
    let errors = errors_at(list);
    out.raw("<button type=\"button\" class=\"add-target\"")
        .attr("id", &list_id);
    out.attr("data-a", &format!("iscsi-add:{index}"));
    if !errors.is_empty() {
        out.attr("aria-describedby", &format!("{list_id}-error"));
    }
    out.raw(">Add iSCSI target</button>");
    alert(out, &list_id, &errors);
    out.raw("</fieldset>");
}
