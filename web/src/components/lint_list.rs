//! The lint findings of the previewed script.

use yew::prelude::*;

/// Properties of [`LintList`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct LintListProps {
    /// Whether a script is previewed.
    pub has_script: bool,
    /// Each finding as `line:column: severity[rule]: message`.
    pub findings: Vec<AttrValue>,
}

/// `#lint`: one `li.diagnostic` per finding.
#[component]
pub fn LintList(props: &LintListProps) -> Html {
    html! {
        <section aria-labelledby="lint-heading">
            <h2 id="lint-heading">{ "Lint" }</h2>
            if props.has_script && props.findings.is_empty() {
                <p class="hint">{ "No findings: this script lints clean." }</p>
            }
            <ul id="lint">
                { for props.findings.iter().map(|f| html! { <li class="diagnostic">{ f.clone() }</li> }) }
            </ul>
        </section>
    }
}
