//! The app: owns the state, wires the components to the reducer.

use crate::components::{ScriptPreview, ServerField};
use crate::state::{Action, Preview, State};
use yew::prelude::*;

/// The whole page: the HTTP server field and the main script the core renders for it.
#[component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    let on_input = {
        let state = state.clone();
        Callback::from(move |value: String| state.dispatch(Action::SetHttpServer(value)))
    };
    let (script, error) = match &state.preview {
        Preview::Empty => (None, None),
        Preview::Script(script) => (Some(AttrValue::from(script.clone())), None),
        Preview::Error(error) => (None, Some(AttrValue::from(error.clone()))),
    };
    html! {
        <main>
            <h1>{ "ipxegen" }</h1>
            <p>{ "The main iPXE script for a boot site, rendered in your browser by ipxegen's core." }</p>
            <ServerField value={state.http_server.clone()} {error} {on_input} />
            <ScriptPreview {script} />
        </main>
    }
}
