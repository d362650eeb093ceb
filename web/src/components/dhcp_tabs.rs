//! The DHCP server configs, one tab each, with a copy button.

use crate::html::Html;
use crate::state::DhcpFormat;

/// The tab buttons (`button.dhcp-tab`: `dhcp:<id>`), `button#copy-dhcp` (`copy-dhcp`,
/// disabled without a config) with `copy_status`, and the core's error when `config` is
/// one; then (a part of its own) the config.
pub fn dhcp_tabs(
    out: &mut Html,
    format: DhcpFormat,
    config: Result<&str, &str>,
    copy_status: &str,
) {
    out.raw("<h2 id=\"dhcp-heading\">DHCP server config</h2><div class=\"tabs\" role=\"group\" aria-label=\"DHCP server\">");
    for tab in DhcpFormat::ALL {
        out.raw("<button type=\"button\" class=\"dhcp-tab\"")
            .attr("data-format", tab.id());
        out.state("aria-pressed", tab == format)
            .attr("data-a", &format!("dhcp:{}", tab.id()));
        out.raw(">").text(tab.label()).raw("</button>");
    }
    out.raw("<button id=\"copy-dhcp\" type=\"button\" data-a=\"copy-dhcp\"")
        .flag("disabled", config.is_err());
    out.raw(">Copy</button><span role=\"status\" class=\"hint\">")
        .text(copy_status);
    out.raw("</span></div>");
    if let Err(error) = config {
        out.raw("<p id=\"dhcp-error\" class=\"error\" role=\"status\">")
            .text(error)
            .raw("</p>");
    }
}

/// `pre#dhcp-config`: the config's text (empty when there is none).
pub fn dhcp_config(out: &mut Html, config: Result<&str, &str>) {
    // The parser drops one newline right after <pre>: this one, never the config's.
    out.raw("<pre id=\"dhcp-config\" tabindex=\"0\" aria-labelledby=\"dhcp-heading\">\n");
    out.text(config.unwrap_or_default()).raw("</pre>");
}
