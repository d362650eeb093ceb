//! Importing a site document file or pasted CSV.

use crate::csv::CSV_HEADER;
use crate::html::Html;

/// `#import-site` (a file input: `import`), `#import-csv` (a textarea) and
/// `#import-csv-apply` (`csv`, with the textarea's text), and `status`, the outcome of the
/// last import.
pub fn import_panel(out: &mut Html, status: Option<Result<&str, &str>>) {
    out.raw("<section id=\"import\" aria-labelledby=\"import-heading\"><h2 id=\"import-heading\">Import</h2><div class=\"field\"><label for=\"import-site\">Site document (JSON)</label><input id=\"import-site\" type=\"file\" accept=\".json,application/json\" data-a=\"import\"></div><div class=\"field\"><label for=\"import-csv\">Nodes as CSV (replaces the node table)</label><textarea id=\"import-csv\" rows=\"4\" spellcheck=\"false\"");
    out.attr(
        "placeholder",
        &format!("{CSV_HEADER}\n52:54:00:12:34:58,rack1-node04,local,,,"),
    );
    out.raw(" aria-describedby=\"import-csv-hint\"></textarea><p id=\"import-csv-hint\" class=\"hint\">");
    out.text(&format!("First line: {CSV_HEADER}. One line per NIC; a repeated id adds a MAC to that node. Quote a value holding a comma with \"."));
    out.raw("</p><button id=\"import-csv-apply\" type=\"button\" data-a=\"csv\" data-from=\"import-csv\">Apply CSV</button></div>");
    match status {
        Some(Ok(message)) => {
            out.raw("<p id=\"import-status\" role=\"status\">")
                .text(message)
                .raw("</p>");
        }
        Some(Err(message)) => {
            out.raw("<p id=\"import-status\" class=\"error\" role=\"alert\">");
            out.text(message).raw("</p>");
        }
        None => {}
    }
    out.raw("</section>");
}
