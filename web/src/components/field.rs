//! A labelled text input with the core's error for it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`TextField`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct TextFieldProps {
    /// The input's id (the label's `for`).
    pub id: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// The value as typed.
    pub value: AttrValue,
    /// The core's error for it, if any.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Called with the new value on every edit.
    pub on_input: Callback<String>,
}

/// The input; with an error, a `.field-error` (`role="alert"`) after it, which the input names
/// with `aria-describedby` and `aria-invalid`.
#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                on_input.emit(input.value());
            }
        })
    };
    let error_id = format!("{}-error", props.id);
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <input
                id={props.id.clone()}
                type="text"
                value={props.value.clone()}
                {oninput}
                autocomplete="off"
                autocapitalize="off"
                spellcheck="false"
                aria-invalid={if props.error.is_some() { "true" } else { "false" }}
                aria-describedby={props.error.as_ref().map(|_| error_id.clone())}
            />
            if let Some(error) = &props.error {
                <p id={error_id} class="field-error" role="alert">{ error.clone() }</p>
            }
        </div>
    }
}
