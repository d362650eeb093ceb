//! One field's editor, made from its schema row: its label, and the input its kind takes
//! (text; a number within its range; a checkbox for a flag; a choice of the kind's words),
//! with the core's errors for it.

use crate::form::FieldInfo;
use ipxegen_core::schema::Kind;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Moves the keyboard focus to the element `id` (an editor, or a node's group); `false`
/// when the page has no such element.
pub fn focus(id: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .is_some_and(|element| element.focus().is_ok())
}

/// The `.field-error` (`role="alert"`, id `{id}-error`) of `errors`, or nothing.
pub fn alert(id: &str, errors: &[&AttrValue]) -> Html {
    if errors.is_empty() {
        return html! {};
    }
    html! {
        <p id={format!("{id}-error")} class="field-error" role="alert">
            { for errors.iter().map(|e| html! { <span>{ (*e).clone() }</span> }) }
        </p>
    }
}

/// The editor of `info` with id `id` (also its key among its siblings, so an editor that
/// stays keeps its element, and the focus, when others appear or go; its `name` is the
/// field's key): `label`, the input for
/// `value`, and `errors` after it, which the input names with `aria-describedby` and
/// `aria-invalid`. `on_input` gets every new value (a flag's is `true` or `false`; a choice
/// offers the empty value, the default, unless `required`). `secret` shows a text as
/// dots.
pub fn editor(
    info: &FieldInfo,
    id: String,
    label: String,
    value: &str,
    errors: &[&AttrValue],
    on_input: Callback<String>,
    secret: bool,
) -> Html {
    let invalid = if errors.is_empty() { "false" } else { "true" };
    let described = (!errors.is_empty()).then(|| format!("{id}-error"));
    let words = info.kind.words();
    let input = if !words.is_empty() {
        let onchange = on_input.reform(|e: Event| {
            e.target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default()
        });
        let known = value.is_empty() || words.contains(&value);
        html! {
            <select id={id.clone()} name={info.key} {onchange}
                aria-invalid={invalid} aria-describedby={described}>
                if info.kind != Kind::Mode {
                    <option value="" selected={value.is_empty()}>{ "(default)" }</option>
                }
                if !known {
                    <option value={value.to_owned()} selected=true>{ value.to_owned() }</option>
                }
                { for words.iter().map(|w| html! {
                    <option value={*w} selected={*w == value}>{ *w }</option>
                }) }
            </select>
        }
    } else if info.kind == Kind::Flag {
        let onchange = on_input.reform(|e: Event| {
            let on = e
                .target_dyn_into::<HtmlInputElement>()
                .is_some_and(|i| i.checked());
            on.to_string()
        });
        html! {
            <input id={id.clone()} name={info.key} type="checkbox" checked={value != "false"}
                {onchange} aria-invalid={invalid} aria-describedby={described} />
        }
    } else {
        let oninput = on_input.reform(|e: InputEvent| {
            e.target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default()
        });
        let (kind, min, max) = match (info.kind, info.range) {
            // A value that is not a number (as imported) stays visible in a text input.
            (Kind::Number, Some((min, max)))
                if value.is_empty() || value.parse::<u64>().is_ok() =>
            {
                ("number", Some(min.to_string()), Some(max.to_string()))
            }
            _ if secret => ("password", None, None),
            _ => ("text", None, None),
        };
        html! {
            <input id={id.clone()} name={info.key} type={kind} {min} {max}
                value={value.to_owned()} {oninput}
                autocomplete="off" autocapitalize="off" spellcheck="false"
                aria-invalid={invalid} aria-describedby={described} />
        }
    };
    html! {
        <div key={id.clone()} class={classes!("field", (info.kind == Kind::Flag).then_some("flag"))}>
            <label for={id.clone()}>{ label }</label>
            { input }
            { alert(&id, errors) }
        </div>
    }
}
