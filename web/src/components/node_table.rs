//! The node table: one row per node, edited inline.

use crate::form::{label, used_by};
use crate::state::{Field, MODES, NodeForm};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A row's errors: each with its field (`None` for the row as a whole).
pub type RowErrors = Rc<Vec<(Option<Field>, AttrValue)>>;

/// Properties of [`NodeTable`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct NodeTableProps {
    /// The nodes, each with the errors of its row (field, or `None` for the row).
    pub rows: Vec<(Rc<NodeForm>, RowErrors)>,
    /// Append a node.
    pub on_add: Callback<()>,
    /// Remove node `i`.
    pub on_remove: Callback<usize>,
    /// Node `i`'s field changed.
    pub on_edit: Callback<(usize, Field, String)>,
}

/// The table (scrolls sideways in a narrow window) and the add button.
#[component]
pub fn NodeTable(props: &NodeTableProps) -> Html {
    let on_add = props.on_add.reform(|_: MouseEvent| ());
    html! {
        <section aria-labelledby="nodes-heading">
            <h2 id="nodes-heading">{ "Nodes" }</h2>
            <p class="hint">
                { "MACs: separated by commas or spaces; a ! before a MAC marks a NIC that must not network boot." }
            </p>
            <div class="scroll">
                <table id="nodes">
                    <thead><tr>
                        <th scope="col">{ "Id" }</th>
                        <th scope="col">{ "MACs" }</th>
                        <th scope="col">{ "Mode" }</th>
                        <th scope="col">{ "Kernel" }</th>
                        <th scope="col">{ "Ramdisk" }</th>
                        <th scope="col">{ "Kernel arguments" }</th>
                        <th scope="col">{ "Mode fields" }</th>
                        <th scope="col"><span class="visually-hidden">{ "Remove" }</span></th>
                    </tr></thead>
                    <tbody>
                        { for props.rows.iter().enumerate().map(|(index, (node, errors))| html! {
                            <NodeRow
                                key={index}
                                {index}
                                node={Rc::clone(node)}
                                errors={Rc::clone(errors)}
                                on_remove={props.on_remove.clone()}
                                on_edit={props.on_edit.clone()}
                            />
                        }) }
                    </tbody>
                </table>
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
    /// Remove node `i`.
    pub on_remove: Callback<usize>,
    /// Node `i`'s field changed.
    pub on_edit: Callback<(usize, Field, String)>,
}

/// One row. Re-rendered only when its node or errors change.
#[component]
pub fn NodeRow(props: &NodeRowProps) -> Html {
    let index = props.index;
    let node = &props.node;
    let mode = node.get(Field::Mode).to_owned();
    let input = |field: Field| -> Html {
        let id = format!("node-{index}-{}", field.key());
        let error_id = format!("{id}-error");
        let errors: Vec<&AttrValue> = props
            .errors
            .iter()
            .filter(|(f, _)| *f == Some(field))
            .map(|(_, e)| e)
            .collect();
        let on_edit = props.on_edit.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on_edit.emit((index, field, input.value()));
            }
        });
        html! {
            <div class="cell">
                <label class="visually-hidden" for={id.clone()}>
                    { format!("Node {} {}", index + 1, label(field)) }
                </label>
                <input
                    id={id}
                    name={field.key()}
                    type="text"
                    value={node.get(field).to_owned()}
                    {oninput}
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid={if errors.is_empty() { "false" } else { "true" }}
                    aria-describedby={(!errors.is_empty()).then(|| error_id.clone())}
                />
                if !errors.is_empty() {
                    <p id={error_id} class="field-error" role="alert">
                        { for errors.iter().map(|e| html! { <span>{ (*e).clone() }</span> }) }
                    </p>
                }
            </div>
        }
    };
    let mode_select = {
        let id = format!("node-{index}-mode");
        let error_id = format!("{id}-error");
        let errors: Vec<&AttrValue> = props
            .errors
            .iter()
            .filter(|(f, _)| *f == Some(Field::Mode))
            .map(|(_, e)| e)
            .collect();
        let on_edit = props.on_edit.clone();
        let onchange = Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                on_edit.emit((index, Field::Mode, select.value()));
            }
        });
        let known = MODES.contains(&mode.as_str());
        html! {
            <div class="cell">
                <label class="visually-hidden" for={id.clone()}>
                    { format!("Node {} mode", index + 1) }
                </label>
                <select
                    id={id}
                    name="mode"
                    {onchange}
                    aria-describedby={(!errors.is_empty()).then(|| error_id.clone())}
                >
                    if !known {
                        <option value={mode.clone()} selected=true>{ mode.clone() }</option>
                    }
                    { for MODES.iter().map(|m| html! {
                        <option value={*m} selected={*m == mode}>{ *m }</option>
                    }) }
                </select>
                if !errors.is_empty() {
                    <p id={error_id} class="field-error" role="alert">
                        { for errors.iter().map(|e| html! { <span>{ (*e).clone() }</span> }) }
                    </p>
                }
            </div>
        }
    };
    let extra_fields = [Field::Iso, Field::ChainUrl, Field::Kickstart, Field::Repo];
    let on_remove = {
        let on_remove = props.on_remove.clone();
        Callback::from(move |_: MouseEvent| on_remove.emit(index))
    };
    let row_errors: Vec<&AttrValue> = props
        .errors
        .iter()
        .filter(|(f, _)| f.is_none())
        .map(|(_, e)| e)
        .collect();
    html! {
        <tr class="node-row">
            <td>{ input(Field::NodeId) }</td>
            <td>{ input(Field::Nics) }</td>
            <td>{ mode_select }</td>
            <td>{ input(Field::Kernel) }</td>
            <td>{ input(Field::Ramdisk) }</td>
            <td>{ input(Field::NodeKernelArgs) }</td>
            <td>
                { for extra_fields.into_iter()
                    .filter(|f| used_by(*f, &mode) || !node.get(*f).is_empty())
                    .map(|f| html! { <div class="labelled">{ input(f) }</div> }) }
                if !row_errors.is_empty() {
                    <p class="field-error" role="alert">
                        { for row_errors.iter().map(|e| html! { <span>{ (*e).clone() }</span> }) }
                    </p>
                }
            </td>
            <td>
                <button type="button" class="remove-node" onclick={on_remove}
                    aria-label={format!("Remove node {}", index + 1)}>{ "Remove" }</button>
            </td>
        </tr>
    }
}
