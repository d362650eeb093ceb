//! The boot tree: one button per entry.

use crate::state::{Selection, Target, TreeEntry, TreeKind};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`TreeView`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct TreeViewProps {
    /// The entries, in `ipxegen build` order.
    pub entries: Rc<Vec<TreeEntry>>,
    /// The entry shown in the preview.
    pub selected: Option<Selection>,
    /// The nodes left out because they have errors: each one's label and where its first
    /// error belongs.
    pub left_out: Vec<(AttrValue, Target)>,
    /// Why there is no tree at all, when the site's own fields have errors.
    pub blocked: bool,
    /// Select an entry.
    pub on_select: Callback<Selection>,
    /// Go to the editor of this target (on whichever page of the node list holds it).
    pub on_focus: Callback<Target>,
}

/// A list of buttons indented by depth; the selected one is `aria-pressed`. The nodes left
/// out come last, marked (`.tree-entry.invalid`): activating one focuses its first error (see [`TreeViewProps::on_focus`]).
#[component]
pub fn TreeView(props: &TreeViewProps) -> Html {
    html! {
        <section aria-labelledby="tree-heading">
            <h2 id="tree-heading">{ "Boot tree" }</h2>
            if props.blocked {
                <p class="hint">{ "The site's own fields have errors (see Problems): no part of the tree can be written until they are fixed." }</p>
            }
            if !props.left_out.is_empty() {
                <p class="hint" id="left-out">
                    { format!("{} node(s) with errors are left out of the tree, the preview and the DHCP config until they are fixed.", props.left_out.len()) }
                </p>
            }
            <ul id="tree">
                { for props.entries.iter().map(|entry| {
                    let selection = Selection { tftp: entry.tftp, path: entry.path.clone() };
                    let pressed = props.selected.as_ref() == Some(&selection);
                    let depth = entry.path.matches('/').count();
                    let (kind, note) = match &entry.kind {
                        TreeKind::Directory => ("directory", String::from("/")),
                        TreeKind::Script => ("script", String::new()),
                        TreeKind::PerMac(target) => ("per-mac", format!(" → {target}")),
                        TreeKind::File(source) => ("file", format!(" (place: {source})")),
                        TreeKind::Loader => ("loader", String::from(" (place: iPXE loader)")),
                    };
                    let on_select = props.on_select.clone();
                    let onclick = Callback::from(move |_: MouseEvent| on_select.emit(selection.clone()));
                    html! {
                        <li class={classes!("depth", format!("depth-{}", depth.min(3)))}>
                            <button
                                type="button"
                                class={classes!("tree-entry", kind)}
                                data-path={entry.path.clone()}
                                data-root={if entry.tftp { "tftp" } else { "http" }}
                                aria-pressed={if pressed { "true" } else { "false" }}
                                {onclick}
                            >
                                if entry.tftp { <span class="root">{ "tftp:" }</span> }
                                { entry.path.clone() }{ note }
                            </button>
                        </li>
                    }
                }) }
                { for props.left_out.iter().map(|(name, target)| {
                    let target = *target;
                    let onclick = props.on_focus.reform(move |_: MouseEvent| target);
                    html! {
                        <li>
                            <button type="button" class="tree-entry invalid" aria-describedby="left-out" {onclick}>
                                { format!("✗ {name}: has errors, left out") }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
