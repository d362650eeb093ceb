//! The nodes, a page at a time: one group of editors per node shown, made from the schema's
//! node rows, with its NICs' network boot flags and its list of iSCSI targets.

use super::field::{alert, editor};
use crate::form::{FieldInfo, fields, in_flow, label, mac_tokens, node_fields, used_by, with_pxe};
use crate::state::{Field, IscsiEdit, NodeForm, NodePage, Target};
use ipxegen_core::output::Grouped;
use ipxegen_core::schema::Scope;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A node's errors, each with where it belongs.
pub type RowErrors = Rc<Vec<(Target, AttrValue)>>;

/// Properties of [`NodeTable`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct NodeTableProps {
    /// The nodes of the page shown, each with its index and its errors.
    pub rows: Vec<(usize, Rc<NodeForm>, RowErrors)>,
    /// Where that page is among the nodes the filter matches.
    pub page: NodePage,
    /// How many nodes the site has.
    pub total: usize,
    /// The filter's text.
    pub filter: AttrValue,
    /// The site boots through iPXE (which decides the fields of one flow shown).
    pub ipxe: bool,
    /// Show page `p` (0-based).
    pub on_page: Callback<usize>,
    /// The filter's text changed.
    pub on_filter: Callback<String>,
    /// Append a node.
    pub on_add: Callback<()>,
    /// Remove node `i`.
    pub on_remove: Callback<usize>,
    /// Node `i`'s field changed.
    pub on_edit: Callback<(usize, Field, String)>,
    /// A change to node `i`'s iSCSI targets.
    pub on_iscsi: Callback<(usize, IscsiEdit)>,
}

/// The filter (`#node-filter`, by id or MAC), the pager (`#nodes-first`, `#nodes-prev`,
/// `#nodes-next`, `#nodes-last`, `aria-disabled` where they lead nowhere, so they keep the
/// focus; `#nodes-status`, `aria-live`: `Nodes 51–100 of 2,000`), the page's nodes
/// (`#nodes`, keyed by index) and the add button.
#[component]
pub fn NodeTable(props: &NodeTableProps) -> Html {
    let on_add = props.on_add.reform(|_: MouseEvent| ());
    let NodePage {
        first,
        page,
        pages,
        matching,
        ..
    } = props.page;
    let filtered = !props.filter.trim().is_empty();
    let status = match (matching, filtered) {
        (0, false) => "No nodes yet".to_owned(),
        (0, true) => format!("No node matches ({} in all)", Grouped(props.total)),
        _ => {
            let range = format!(
                "Nodes {}–{} of {}",
                Grouped(first + 1),
                Grouped(first + props.rows.len()),
                Grouped(matching)
            );
            if filtered {
                format!("{range} matching ({} in all)", Grouped(props.total))
            } else {
                range
            }
        }
    };
    let pager_button = |id: &'static str, text: &'static str, to: usize| {
        let on_page = props.on_page.clone();
        let idle = if to == page { "true" } else { "false" };
        html! {
            <button {id} type="button" aria-controls="nodes" aria-disabled={idle}
                onclick={Callback::from(move |_: MouseEvent| on_page.emit(to))}>{ text }</button>
        }
    };
    let oninput = props.on_filter.reform(|e: InputEvent| {
        e.target_dyn_into::<HtmlInputElement>()
            .map(|i| i.value())
            .unwrap_or_default()
    });
    html! {
        <section aria-labelledby="nodes-heading">
            <h2 id="nodes-heading">{ "Nodes" }</h2>
            <p class="hint">
                { "MACs: separated by commas or spaces; a ! before a MAC (or its Network boot box unticked) marks a NIC that must not network boot." }
            </p>
            <div class="field">
                <label for="node-filter">{ "Filter nodes (id or MAC)" }</label>
                <input id="node-filter" type="search" value={props.filter.clone()} {oninput}
                    aria-controls="nodes" autocomplete="off" spellcheck="false" />
            </div>
            <nav class="buttons" aria-label="Pages of nodes">
                { pager_button("nodes-first", "First", 0) }
                { pager_button("nodes-prev", "Previous", page.saturating_sub(1)) }
                <span id="nodes-status" role="status" aria-live="polite">{ status }</span>
                { pager_button("nodes-next", "Next", (page + 1).min(pages - 1)) }
                { pager_button("nodes-last", "Last", pages - 1) }
            </nav>
            <div id="nodes">
                { for props.rows.iter().map(|(index, node, errors)| html! {
                    <NodeRow
                        key={*index}
                        index={*index}
                        node={Rc::clone(node)}
                        errors={Rc::clone(errors)}
                        ipxe={props.ipxe}
                        on_remove={props.on_remove.clone()}
                        on_edit={props.on_edit.clone()}
                        on_iscsi={props.on_iscsi.clone()}
                    />
                }) }
            </div>
            <button id="add-node" type="button" onclick={on_add}>{ "Add node" }</button>
        </section>
    }
}

/// Properties of [`NodeRow`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct NodeRowProps {
    /// Its index.
    pub index: usize,
    /// The node.
    pub node: Rc<NodeForm>,
    /// Its errors.
    pub errors: RowErrors,
    /// The site boots through iPXE.
    pub ipxe: bool,
    /// Remove node `i`.
    pub on_remove: Callback<usize>,
    /// Node `i`'s field changed.
    pub on_edit: Callback<(usize, Field, String)>,
    /// A change to node `i`'s iSCSI targets.
    pub on_iscsi: Callback<(usize, IscsiEdit)>,
}

/// One node (`fieldset.node-row#node-{i}`): the editors its mode and the site's flow take
/// (those of the fields every mode takes behind "More fields", `#node-{i}-more`), and every
/// other one that holds a value. Re-rendered only when its props change.
#[component]
pub fn NodeRow(props: &NodeRowProps) -> Html {
    // The targets whose CHAP secret is shown as text, by node id and target: a row that
    // comes to show another node (one before it was removed) shows none of its secrets.
    let shown_secrets = use_state(Vec::<(String, usize)>::new);
    // Whether the fields every mode takes (firmware, host name, addresses, timeouts,
    // templates) are shown; one that holds a value always is.
    let more = use_state(|| false);
    let index = props.index;
    let node = &props.node;
    let mode = node.get(Field::Mode);
    let errors_at = |target: Target| -> Vec<&AttrValue> {
        props
            .errors
            .iter()
            .filter(|(t, _)| *t == target)
            .map(|(_, e)| e)
            .collect()
    };
    let shown = |field: Field| used_by(field, mode) && in_flow(field, props.ipxe);
    let is_more = |info: &&FieldInfo| {
        info.modes.is_all() && !matches!(info.field, Field::NodeId | Field::Nics | Field::Mode)
    };
    let number = index + 1;
    let node_editor = |info: &'static FieldInfo| -> Html {
        let field = info.field;
        let on_edit = props.on_edit.clone();
        let on_input = Callback::from(move |v| on_edit.emit((index, field, v)));
        let target = Target::Node(index, field);
        editor(
            info,
            target.element_id(),
            info.label.into(),
            node.get(field),
            &errors_at(target),
            on_input,
            false,
        )
    };
    let pxe_flags = {
        let macs = node.get(Field::Nics).to_owned();
        html! {
            <div class="flags">
                { for mac_tokens(&macs).enumerate().map(|(j, (mac, pxe))| {
                    let id = format!("node-{index}-nics-{j}-pxe");
                    let on_edit = props.on_edit.clone();
                    let macs = macs.clone();
                    let onchange = Callback::from(move |e: Event| {
                        let on = e.target_dyn_into::<HtmlInputElement>().is_some_and(|i| i.checked());
                        on_edit.emit((index, Field::Nics, with_pxe(&macs, j, on)));
                    });
                    html! {
                        <div class="field flag">
                            <label for={id.clone()}>{ format!("{} ({mac})", label(Field::NicPxe)) }</label>
                            <input {id} type="checkbox" name="pxe" checked={pxe} {onchange} />
                        </div>
                    }
                }) }
            </div>
        }
    };
    let iscsi = if shown(Field::Iscsi) || !node.iscsi.is_empty() {
        // A change to the list hides every secret again: a shown one never passes to the
        // target that takes its place.
        let edit = |edit: IscsiEdit| {
            let on_iscsi = props.on_iscsi.clone();
            let shown_secrets = shown_secrets.clone();
            Callback::from(move |_: MouseEvent| {
                shown_secrets.set(Vec::new());
                on_iscsi.emit((index, edit.clone()));
            })
        };
        let list_target = Target::Node(index, Field::Iscsi);
        let list_id = list_target.element_id();
        html! {
            <fieldset class="iscsi">
                <legend>{ label(Field::Iscsi) }</legend>
                { for node.iscsi.iter().enumerate().map(|(j, target)| {
                    let which = (node.get(Field::NodeId).to_owned(), j);
                    let secret_shown = shown_secrets.contains(&which);
                    let toggle = {
                        let shown_secrets = shown_secrets.clone();
                        Callback::from(move |_: MouseEvent| {
                            let mut shown = (*shown_secrets).clone();
                            match shown.iter().position(|k| *k == which) {
                                Some(at) => {
                                    shown.swap_remove(at);
                                }
                                None => shown.push(which.clone()),
                            }
                            shown_secrets.set(shown);
                        })
                    };
                    let password_id = Target::Item(index, j, Field::IscsiPassword).element_id();
                    html! {
                        <div class="iscsi-target" role="group" aria-label={format!("iSCSI target {}", j + 1)}>
                            <div class="grid">
                                { for fields(Scope::IscsiTarget).map(|info| {
                                    let field = info.field;
                                    let on_iscsi = props.on_iscsi.clone();
                                    let on_input = Callback::from(move |v| on_iscsi.emit((index, IscsiEdit::Set(j, field, v))));
                                    let item = Target::Item(index, j, field);
                                    let secret = field == Field::IscsiPassword && !secret_shown;
                                    editor(info, item.element_id(), format!("{} (target {})", info.label, j + 1), target.get(field), &errors_at(item), on_input, secret)
                                }) }
                            </div>
                            <div class="buttons">
                                <button type="button" class="toggle-secret" aria-controls={password_id}
                                    aria-pressed={if secret_shown { "true" } else { "false" }} onclick={toggle}>
                                    { format!("Show CHAP secret (target {})", j + 1) }
                                </button>
                                <button type="button" class="move-up" disabled={j == 0} onclick={edit(IscsiEdit::MoveUp(j))}>
                                    { format!("Move target {} up", j + 1) }
                                </button>
                                <button type="button" class="remove-target" onclick={edit(IscsiEdit::Remove(j))}>
                                    { format!("Remove target {}", j + 1) }
                                </button>
                            </div>
                        </div>
                    }
                }) }
                <button id={list_id.clone()} type="button" class="add-target" onclick={edit(IscsiEdit::Add)}
                    aria-describedby={(!errors_at(list_target).is_empty()).then(|| format!("{list_id}-error"))}>
                    { "Add iSCSI target" }
                </button>
                { alert(&list_id, &errors_at(list_target)) }
            </fieldset>
        }
    } else {
        html! {}
    };
    let on_remove = {
        let on_remove = props.on_remove.clone();
        Callback::from(move |_: MouseEvent| on_remove.emit(index))
    };
    let more_id = format!("node-{index}-more");
    let toggle_more = {
        let more = more.clone();
        Callback::from(move |_: MouseEvent| more.set(!*more))
    };
    let group = Target::NodeRow(index).element_id();
    let invalid = !props.errors.is_empty();
    html! {
        <fieldset id={group.clone()} tabindex="-1" class={classes!("node-row", invalid.then_some("invalid"))}>
            <legend>{ format!("Node {number}: {}", node.get(Field::NodeId)) }
                if invalid { <span class="bad">{ " (has errors)" }</span> }
            </legend>
            <div class="grid">
                { for node_fields()
                    .filter(|info| !is_more(info) && (shown(info.field) || !node.get(info.field).is_empty()))
                    .map(node_editor) }
            </div>
            { pxe_flags }
            { iscsi }
            <button type="button" class="more-fields" aria-expanded={if *more { "true" } else { "false" }}
                aria-controls={more_id.clone()} onclick={toggle_more}>
                { format!("More fields of node {number}") }
            </button>
            <div id={more_id} class="grid">
                { for node_fields()
                    .filter(|info| is_more(info) && ((*more && shown(info.field)) || !node.get(info.field).is_empty()))
                    .map(node_editor) }
            </div>
            { alert(&group, &errors_at(Target::NodeRow(index))) }
            <button type="button" class="remove-node" onclick={on_remove}>
                { format!("Remove node {number}") }
            </button>
        </fieldset>
    }
}
