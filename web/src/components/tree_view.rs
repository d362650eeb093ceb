//! The boot tree: one button per entry.

use crate::state::{Selection, TreeEntry, TreeKind};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`TreeView`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct TreeViewProps {
    /// The entries, in `ipxegen build` order.
    pub entries: Rc<Vec<TreeEntry>>,
    /// The entry shown in the preview.
    pub selected: Option<Selection>,
    /// Select an entry.
    pub on_select: Callback<Selection>,
}

/// A list of buttons indented by depth; the selected one is `aria-pressed`.
#[component]
pub fn TreeView(props: &TreeViewProps) -> Html {
    html! {
        <section aria-labelledby="tree-heading">
            <h2 id="tree-heading">{ "Boot tree" }</h2>
            if props.entries.is_empty() {
                <p class="hint">{ "Fix the errors above to see the tree." }</p>
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
            </ul>
        </section>
    }
}
