//! The site's inputs.

use super::field::TextField;
use crate::form::{input_id, label};
use crate::state::Field;
use yew::prelude::*;

/// One site input: its field, value and error.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldView {
    /// Which field.
    pub field: Field,
    /// The value as typed.
    pub value: AttrValue,
    /// The core's error for it.
    pub error: Option<AttrValue>,
}

/// Properties of [`SiteFormView`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct SiteFormProps {
    /// The inputs, in order.
    pub fields: Vec<FieldView>,
    /// Called with the field and its new value.
    pub on_input: Callback<(Field, String)>,
}

/// Every site input, labelled, in a grid that becomes one column in a narrow window.
#[component]
pub fn SiteFormView(props: &SiteFormProps) -> Html {
    html! {
        <section aria-labelledby="site-heading">
            <h2 id="site-heading">{ "Site" }</h2>
            <div class="grid">
                { for props.fields.iter().map(|f| {
                    let field = f.field;
                    let on_input = props.on_input.reform(move |v| (field, v));
                    html! {
                        <TextField
                            key={input_id(field)}
                            id={input_id(field)}
                            label={label(field)}
                            value={f.value.clone()}
                            error={f.error.clone()}
                            {on_input}
                        />
                    }
                }) }
            </div>
        </section>
    }
}
