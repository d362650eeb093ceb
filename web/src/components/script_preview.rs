//! The preview of the main script.

use yew::prelude::*;

/// The id of the `<pre>` holding the script.
pub const SCRIPT_ID: &str = "main-script";
/// The id of the preview's heading.
pub const HEADING_ID: &str = "main-script-heading";

/// Properties of [`ScriptPreview`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ScriptPreviewProps {
    /// The script, or `None` when there is none to show.
    #[prop_or_default]
    pub script: Option<AttrValue>,
}

/// The main script in a `<pre>`, keyboard-scrollable (`tabindex="0"`) since long lines
/// overflow a narrow window. Without a script the `<pre>` is empty and a note says why.
#[component]
pub fn ScriptPreview(props: &ScriptPreviewProps) -> Html {
    html! {
        <section aria-labelledby={HEADING_ID}>
            <h2 id={HEADING_ID}>{ "Main script (boot.ipxe)" }</h2>
            if props.script.is_none() {
                <p class="hint">{ "Type a valid HTTP server to see the script." }</p>
            }
            <pre id={SCRIPT_ID} tabindex="0" aria-labelledby={HEADING_ID}>
                { props.script.clone().unwrap_or_default() }
            </pre>
        </section>
    }
}
