//! Importing a site document file or pasted CSV.

use crate::csv::CSV_HEADER;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Properties of [`ImportPanel`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ImportPanelProps {
    /// The outcome of the last import.
    pub status: Option<Result<AttrValue, AttrValue>>,
    /// A file was chosen in `#import-site`.
    pub on_file: Callback<Event>,
    /// Apply this CSV.
    pub on_csv: Callback<String>,
}

/// `#import-site` (file input), `#import-csv` (textarea), `#import-csv-apply`.
#[component]
pub fn ImportPanel(props: &ImportPanelProps) -> Html {
    let csv = use_node_ref();
    let on_apply = {
        let csv = csv.clone();
        let on_csv = props.on_csv.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = csv.cast::<HtmlTextAreaElement>() {
                on_csv.emit(area.value());
            }
        })
    };
    html! {
        <section aria-labelledby="import-heading">
            <h2 id="import-heading">{ "Import" }</h2>
            <div class="field">
                <label for="import-site">{ "Site document (JSON)" }</label>
                <input id="import-site" type="file" accept=".json,application/json"
                    onchange={props.on_file.clone()} />
            </div>
            <div class="field">
                <label for="import-csv">{ "Nodes as CSV (replaces the node table)" }</label>
                <textarea id="import-csv" ref={csv} rows="4" spellcheck="false"
                    placeholder={format!("{CSV_HEADER}\n52:54:00:12:34:58,rack1-node04,local,,,")}
                    aria-describedby="import-csv-hint" />
                <p id="import-csv-hint" class="hint">
                    { format!("First line: {CSV_HEADER}. One line per NIC; a repeated id adds a MAC to that node. Quote a value holding a comma with \".") }
                </p>
                <button id="import-csv-apply" type="button" onclick={on_apply}>{ "Apply CSV" }</button>
            </div>
            { match &props.status {
                Some(Ok(message)) => html! { <p id="import-status" role="status">{ message.clone() }</p> },
                Some(Err(message)) => html! { <p id="import-status" class="error" role="alert">{ message.clone() }</p> },
                None => html! {},
            } }
        </section>
    }
}
