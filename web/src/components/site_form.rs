//! The site's editors.

use super::field::editor;
use crate::form::{FieldInfo, input_id};
use crate::state::Field;
use yew::prelude::*;

/// One site editor: its schema row, value and errors.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldView {
    /// Which field.
    pub info: &'static FieldInfo,
    /// The value as typed.
    pub value: AttrValue,
    /// The core's errors for it.
    pub errors: Vec<AttrValue>,
}

/// Properties of [`SiteFormView`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct SiteFormProps {
    /// The editors, in order (those of the site's boot flow, and any that hold a value).
    pub fields: Vec<FieldView>,
    /// Called with the field and its new value.
    pub on_input: Callback<(Field, String)>,
}

/// Every site editor, labelled, in a grid that becomes one column in a narrow window.
#[component]
pub fn SiteFormView(props: &SiteFormProps) -> Html {
    html! {
        <section aria-labelledby="site-heading">
            <h2 id="site-heading">{ "Site" }</h2>
            <div class="grid">
                { for props.fields.iter().map(|f| {
                    let field = f.info.field;
                    let errors: Vec<&AttrValue> = f.errors.iter().collect();
                    let on_input = props.on_input.reform(move |v| (field, v));
                    editor(f.info, input_id(field), f.info.label.into(), &f.value, &errors, on_input, false)
                }) }
            </div>
        </section>
    }
}
