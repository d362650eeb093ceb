//! Nodes pasted as CSV.
//!
//! The first line is the header, exactly [`CSV_HEADER`]; each further line is one NIC of a
//! node: `mac,id,mode,kernel,ramdisk,kernel_args`. Lines with the id of an earlier line add
//! their MAC to that node (its other columns must then be empty). A field holding a comma is
//! quoted with `"` (a `"` inside is doubled), as RFC 4180 has it. Blank lines are skipped.
//! Values are taken as typed; the core judges them once they are in the form. Every error
//! names its line (1-based).

use crate::form::{Field, MODES, NodeForm};

/// The header a pasted CSV must start with.
pub const CSV_HEADER: &str = "mac,id,mode,kernel,ramdisk,kernel_args";

const COLUMNS: [Field; 6] = [
    Field::Nics,
    Field::NodeId,
    Field::Mode,
    Field::Kernel,
    Field::Ramdisk,
    Field::NodeKernelArgs,
];

/// Reads pasted CSV into nodes, in the order their ids first appear.
///
/// # Errors
/// `line N: ...` for the first line that is not as documented.
pub fn parse_csv(text: &str) -> Result<Vec<NodeForm>, String> {
    let mut lines = text.lines().enumerate().map(|(i, line)| (i + 1, line));
    let header = lines
        .by_ref()
        .find(|(_, line)| !line.trim().is_empty())
        .ok_or_else(|| format!("line 1: empty; the first line must be `{CSV_HEADER}`"))?;
    if header.1.trim() != CSV_HEADER {
        return Err(format!(
            "line {}: the header must be `{CSV_HEADER}`",
            header.0
        ));
    }
    let mut nodes: Vec<NodeForm> = Vec::new();
    for (number, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cells = split_line(line).map_err(|e| format!("line {number}: {e}"))?;
        if cells.len() != COLUMNS.len() {
            return Err(format!(
                "line {number}: {} columns, expected {} ({CSV_HEADER})",
                cells.len(),
                COLUMNS.len()
            ));
        }
        let cell = |i: usize| cells.get(i).map_or("", |s| s.trim());
        let (mac, id, mode) = (cell(0), cell(1), cell(2));
        if mac.is_empty() {
            return Err(format!("line {number}: no mac"));
        }
        if id.is_empty() {
            return Err(format!("line {number}: no id"));
        }
        if let Some(node) = nodes.iter_mut().find(|n| n.get(Field::NodeId) == id) {
            if (2..COLUMNS.len()).any(|i| !cell(i).is_empty()) {
                return Err(format!(
                    "line {number}: node {id} is already defined above; a further line of it \
                     gives only its mac and id"
                ));
            }
            let macs = format!("{}, {mac}", node.get(Field::Nics));
            node.set(Field::Nics, macs);
            continue;
        }
        if !MODES.contains(&mode) {
            return Err(format!(
                "line {number}: mode `{mode}` is not one of {}",
                MODES.join(", ")
            ));
        }
        let mut node = NodeForm::default();
        for (i, field) in COLUMNS.into_iter().enumerate() {
            node.set(field, cell(i).to_owned());
        }
        nodes.push(node);
    }
    Ok(nodes)
}

/// The fields of one line (RFC 4180 quoting, no line breaks inside a field).
fn split_line(line: &str) -> Result<Vec<String>, String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.trim().is_empty() && !was_quoted => {
                cell.clear();
                quoted = true;
                was_quoted = true;
            }
            (false, '"') => return Err("a `\"` inside an unquoted field".into()),
            (false, ',') => {
                cells.push(std::mem::take(&mut cell));
                was_quoted = false;
            }
            (false, c) if was_quoted && !c.is_whitespace() => {
                return Err("text after a closing `\"`".into());
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    cells.push(cell);
    Ok(cells)
}
