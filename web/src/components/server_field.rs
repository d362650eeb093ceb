//! The HTTP server field: a labelled text input, its hint, and the core's error for it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The input's id (its `<label for>` points here).
pub const INPUT_ID: &str = "http-server";
/// The id of the hint under the input.
pub const HINT_ID: &str = "http-server-hint";
/// The id of the error message (`role="alert"`).
pub const ERROR_ID: &str = "http-server-error";

/// Properties of [`ServerField`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ServerFieldProps {
    /// The value as typed.
    pub value: AttrValue,
    /// The core's error for this value, if any.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Called with the new value on every edit.
    pub on_input: Callback<String>,
}

/// The HTTP server input. The error element is always in the page (empty when there is no
/// error) so screen readers announce an error as it appears; the input points at it with
/// `aria-describedby` and is marked `aria-invalid` while there is an error.
#[component]
pub fn ServerField(props: &ServerFieldProps) -> Html {
    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on_input.emit(input.value());
            }
        })
    };
    let invalid = props.error.is_some();
    let described_by = if invalid {
        format!("{HINT_ID} {ERROR_ID}")
    } else {
        HINT_ID.to_owned()
    };
    html! {
        <div class="field">
            <label for={INPUT_ID}>{ "HTTP server" }</label>
            <input
                id={INPUT_ID}
                type="text"
                name="http_server"
                value={props.value.clone()}
                {oninput}
                autocomplete="off"
                autocapitalize="off"
                spellcheck="false"
                placeholder="192.0.2.10:8080"
                aria-describedby={described_by}
                aria-invalid={if invalid { "true" } else { "false" }}
            />
            <p id={HINT_ID} class="hint">
                { "A host, host:port, [IPv6]:port, or an http:// or https:// URL with a path." }
            </p>
            <p id={ERROR_ID} class="error" role="alert">
                { props.error.clone().unwrap_or_default() }
            </p>
        </div>
    }
}
