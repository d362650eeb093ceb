//! The DHCP server configs, one tab each, with a copy button.

use crate::state::DhcpFormat;
use yew::prelude::*;

/// Properties of [`DhcpTabs`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct DhcpTabsProps {
    /// The tab shown.
    pub format: DhcpFormat,
    /// Its config, or the core's error text.
    pub config: Result<AttrValue, AttrValue>,
    /// Show another tab.
    pub on_select: Callback<DhcpFormat>,
    /// Copy the config.
    pub on_copy: Callback<()>,
    /// What the last copy did.
    pub copy_status: AttrValue,
}

/// Tab buttons (`button.dhcp-tab`), `pre#dhcp-config`, `button#copy-dhcp`.
#[component]
pub fn DhcpTabs(props: &DhcpTabsProps) -> Html {
    let on_copy = props.on_copy.reform(|_: MouseEvent| ());
    html! {
        <section aria-labelledby="dhcp-heading">
            <h2 id="dhcp-heading">{ "DHCP server config" }</h2>
            <div class="tabs" role="group" aria-label="DHCP server">
                { for DhcpFormat::ALL.into_iter().map(|format| {
                    let on_select = props.on_select.clone();
                    let onclick = Callback::from(move |_: MouseEvent| on_select.emit(format));
                    html! {
                        <button type="button" class="dhcp-tab" data-format={format.id()}
                            aria-pressed={if format == props.format { "true" } else { "false" }}
                            {onclick}>{ format.label() }</button>
                    }
                }) }
                <button id="copy-dhcp" type="button" onclick={on_copy}
                    disabled={props.config.is_err()}>{ "Copy" }</button>
                <span role="status" class="hint">{ props.copy_status.clone() }</span>
            </div>
            if let Err(error) = &props.config {
                <p id="dhcp-error" class="error" role="status">{ error.clone() }</p>
            }
            <pre id="dhcp-config" tabindex="0" aria-labelledby="dhcp-heading">
                { props.config.clone().unwrap_or_default() }
            </pre>
        </section>
    }
}
