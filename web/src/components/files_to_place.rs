//! Files the operator places by hand: kernels, ramdisks, ISOs and iPXE loaders.

use crate::state::{TreeEntry, TreeKind};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`FilesToPlace`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct FilesToPlaceProps {
    /// The tree's entries.
    pub entries: Rc<Vec<TreeEntry>>,
}

/// `#files-to-place`: one `li` per file or loader entry of the tree.
#[component]
pub fn FilesToPlace(props: &FilesToPlaceProps) -> Html {
    html! {
        <section aria-labelledby="files-heading">
            <h2 id="files-heading">{ "Files to place by hand" }</h2>
            <p class="hint">{ "Not in the tar; the manifest inside lists them without a size." }</p>
            <ul id="files-to-place">
                { for props.entries.iter().filter_map(|entry| {
                    let root = if entry.tftp { "TFTP root" } else { "HTTP root" };
                    let what = match &entry.kind {
                        TreeKind::File(source) => format!("from {source}"),
                        TreeKind::Loader => String::from("an iPXE loader (e.g. from /usr/lib/ipxe)"),
                        _ => return None,
                    };
                    Some(html! {
                        <li><code>{ entry.path.clone() }</code>{ format!(" in the {root}: {what}") }</li>
                    })
                }) }
            </ul>
        </section>
    }
}
