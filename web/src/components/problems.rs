//! The site's problems: those of the document as a whole, and the list of every one.

use crate::html::Html;

/// `#site-errors`: the problems of the document as a whole (`general`), when there are any.
pub fn site_errors<'a>(out: &mut Html, general: impl Iterator<Item = &'a str>) {
    let mut general = general.peekable();
    if general.peek().is_none() {
        return;
    }
    out.raw("<div id=\"site-errors\" class=\"field-error\" role=\"alert\" tabindex=\"-1\">");
    for error in general {
        out.raw("<p>").text(error).raw("</p>");
    }
    out.raw("</div>");
}

/// `#problems`: every problem (`messages`), each a button (`go:<k>`, `k` its place) that
/// goes to its field; nothing when there are none.
pub fn problem_list<'a>(out: &mut Html, messages: impl ExactSizeIterator<Item = &'a str>) {
    if messages.len() == 0 {
        return;
    }
    out.raw("<section id=\"problems\" aria-labelledby=\"problems-heading\"><h2 id=\"problems-heading\">");
    out.text(&format!("Problems ({})", messages.len()));
    out.raw("</h2><p class=\"hint\">Activate a problem to go to its field.</p><ul>");
    for (k, message) in messages.enumerate() {
        out.raw("<li><button type=\"button\" class=\"problem\"")
            .attr("data-a", &format!("go:{k}"));
        out.raw(">").text(message).raw("</button></li>");
    }
    out.raw("</ul></section>");
}
