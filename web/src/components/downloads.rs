//! Download buttons: the tree as a tar, the site document.

use yew::prelude::*;

/// Properties of [`Downloads`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct DownloadsProps {
    /// How many problems the site has (a tar is made only of a site without any).
    pub problems: usize,
    /// Download the tar.
    pub on_tar: Callback<()>,
    /// Download the site document.
    pub on_site: Callback<()>,
    /// Copy a link that carries the site.
    pub on_link: Callback<()>,
    /// Start again from the example.
    pub on_example: Callback<()>,
    /// What the last link copy did.
    pub link_status: AttrValue,
}

/// `#download-tar`, `#export-site`, `#share-link`, `#load-example`; a disabled tar button
/// names why in `#download-why`.
#[component]
pub fn Downloads(props: &DownloadsProps) -> Html {
    let blocked = props.problems > 0;
    html! {
        <section aria-labelledby="download-heading">
            <h2 id="download-heading">{ "Download" }</h2>
            <div class="buttons">
                <button id="download-tar" type="button" disabled={blocked}
                    aria-describedby={blocked.then_some("download-why")}
                    onclick={props.on_tar.reform(|_: MouseEvent| ())}>
                    { "Tree (ipxegen-tree.tar)" }
                </button>
                <button id="export-site" type="button"
                    onclick={props.on_site.reform(|_: MouseEvent| ())}>
                    { "Site (site.json)" }
                </button>
                <button id="share-link" type="button"
                    onclick={props.on_link.reform(|_: MouseEvent| ())}>
                    { "Copy link to this site" }
                </button>
                <button id="load-example" type="button"
                    onclick={props.on_example.reform(|_: MouseEvent| ())}>
                    { "Start from the example" }
                </button>
                <span role="status" class="hint">{ props.link_status.clone() }</span>
            </div>
            if blocked {
                <p id="download-why" class="field-error">
                    { format!("No tree to download: the site has {} problem(s), listed under Problems. The site itself can still be saved.", props.problems) }
                </p>
            }
            <p class="hint">
                { "The tar is the HTTP root as `ipxegen archive` writes it (per-MAC entries as symbolic links), byte for byte." }
            </p>
        </section>
    }
}
