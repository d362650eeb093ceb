//! `ipxegen dhcp reply`: classify a captured DHCP request and print the reply for it.

use crate::commands::write_stdout;
use crate::failure::{EX_DATAERR, EX_NOINPUT, EX_USAGE, Failure};
use crate::site_file::read_site;
use ipxegen_core::Site;
use ipxegen_core::dhcp::reply::build_reply;
use ipxegen_core::dhcp::report::write_reply_report;
use ipxegen_core::dhcp::request::parse_request;
use std::path::PathBuf;

/// Arguments of `ipxegen dhcp reply`.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  ipxegen dhcp reply --request @tests/vectors/dhcp/ipxe-bios-x86-discover.hex\n  ipxegen dhcp reply site.json --request 0101060012345678..."
)]
pub struct ReplyArgs {
    /// The site document (JSON); `-` reads standard input. Default: the built-in example.
    site: Option<PathBuf>,
    /// The client's DHCPv4 or DHCPv6 message (the UDP payload) in hex, or `@FILE` to read the
    /// hex from a file. Whitespace and `:` between bytes are ignored.
    #[arg(long, value_name = "HEX|@FILE")]
    request: String,
}

fn decode_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b':')
        .collect();
    if !digits.len().is_multiple_of(2) {
        return Err("odd number of hex digits".into());
    }
    digits
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
                .ok_or_else(|| format!("not hex: {:?}", String::from_utf8_lossy(pair)))
        })
        .collect()
}

/// Parses the request, builds the reply from the site, prints it as text and hex.
pub fn run(args: &ReplyArgs) -> Result<(), Failure> {
    let (name, hex) = match args.request.strip_prefix('@') {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::new(EX_NOINPUT, format!("{path}: cannot read: {e}")))?;
            (path.to_string(), text)
        }
        None => ("--request".to_string(), args.request.clone()),
    };
    let bytes = decode_hex(&hex).map_err(|e| Failure::new(EX_USAGE, format!("{name}: {e}")))?;
    let request =
        parse_request(&bytes).map_err(|e| Failure::new(EX_DATAERR, format!("{name}: {e}")))?;
    let file = read_site(args.site.as_deref())?;
    let site =
        Site::parse(&file.bytes).map_err(|e| Failure::in_site(&file.name, &file.bytes, e))?;
    let reply = build_reply(site.config(), &request)
        .map_err(|e| Failure::in_site(&file.name, &file.bytes, e))?;

    let mut text = String::new();
    write_reply_report(&request, &reply, &mut text)
        .map_err(|e| Failure::in_site(&file.name, &file.bytes, e))?;
    write_stdout(text.as_bytes())
}
