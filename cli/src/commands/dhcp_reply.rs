//! `ipxegen dhcp reply`: classify a captured DHCP request and print the reply for it.

use crate::commands::write_stdout;
use crate::failure::{EX_DATAERR, EX_USAGE, Failure};
use crate::input::{Cap, read_path};
use crate::site_file::read_site;
use ipxegen_core::dhcp::reply::{build_proxy_reply, build_reply};
use ipxegen_core::dhcp::report::write_reply_report;
use ipxegen_core::dhcp::request::MESSAGE_MAX;
use ipxegen_core::dhcp::request::parse_request;
use ipxegen_core::hex::decode_into;
use ipxegen_core::model::ip::parse_ipv4;
use ipxegen_core::{ErrorKind, Field, Site};
use std::net::Ipv4Addr;
use std::path::Path;
use std::path::PathBuf;

/// Most bytes of hex text `--request @FILE` or `@-` reads: four characters per byte of the
/// largest DHCP message ([`MESSAGE_MAX`]), room for two digits, a separator and line breaks.
/// A longer input is refused after reading this much, without reading the rest.
pub const REQUEST_TEXT_MAX: usize = 4 * MESSAGE_MAX;

/// Arguments of `ipxegen dhcp reply`.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  ipxegen dhcp reply --request @tests/vectors/dhcp/ipxe-bios-x86-discover.hex\n  ipxegen dhcp reply site.json --request 0101060012345678...\n  tcpdump-hex | ipxegen dhcp reply site.json --request @-\n  ipxegen dhcp reply --proxy --server-id 192.0.2.10 --request @tests/vectors/dhcp/ovmf-pxe-uefi-x64-discover.hex\n\nExit status: 65 for a request that is not hex or not a DHCP message when it came from\n@FILE or @- (bad data); 64 when hex given on the command line itself is not hex (a bad\nargument); 66 when the file cannot be read."
)]
pub struct ReplyArgs {
    /// The site document (JSON); `-` reads standard input. Default: the built-in example.
    site: Option<PathBuf>,
    /// The client's DHCPv4 or DHCPv6 message (the UDP payload) in hex, `@FILE` to read the
    /// hex from a file, or `@-` from standard input (at most 262,140 bytes of text, four per
    /// byte of the largest DHCP message, 65,535 bytes). Whitespace and `:` between bytes are
    /// ignored.
    #[arg(long, value_name = "HEX|@FILE|@-")]
    request: String,
    /// Answer as a ProxyDHCP server (PXE 2.1) beside the DHCP server that hands out the
    /// address: no address (yiaddr 0.0.0.0), option 60 PXEClient, 43.6 discovery control for
    /// BIOS firmware PXE, a next server for iPXE; UEFI firmware PXE's DISCOVER gets an offer
    /// that sends it to port 4011 of this server, its REQUEST the loader.
    #[arg(long)]
    proxy: bool,
    /// With --proxy: the ProxyDHCP server's own IPv4 address: option 54, siaddr of the offer
    /// to UEFI firmware PXE (needed there), and the next server of an answer to iPXE when the
    /// site has no IPv4 tftp_server.
    #[arg(long, value_name = "IPV4", requires = "proxy", value_parser = ipv4_parser)]
    server_id: Option<Ipv4Addr>,
}

/// `--server-id` is read by the core's IPv4 parser, as every address of a site is.
fn ipv4_parser(text: &str) -> Result<Ipv4Addr, String> {
    parse_ipv4(text).ok_or_else(|| format!("not an IPv4 address: {text:?}"))
}

/// The size cap of the request's hex text.
const REQUEST_TEXT: Cap = Cap {
    what: "a DHCP request's hex text (4 characters per byte of the largest DHCP message, 65,535 bytes)",
    max: REQUEST_TEXT_MAX,
};

/// Parses the request, builds the reply from the site, prints it as text and hex.
pub fn run(args: &ReplyArgs) -> Result<(), Failure> {
    // Where the hex came from: its name in messages, its text, and the exit code of bad hex
    // (data from a file or stdin is bad data; hex typed as the argument is a bad argument).
    let (name, hex, bad_hex) = match args.request.strip_prefix('@') {
        Some(path) => {
            if path == "-" && args.site.as_deref() == Some(Path::new("-")) {
                return Err(Failure::new(
                    EX_USAGE,
                    "--request @-: standard input already holds the site (-)",
                ));
            }
            let (name, text) = read_path(Path::new(path), REQUEST_TEXT)?;
            (name, text, EX_DATAERR)
        }
        None => (
            "--request".to_string(),
            args.request.clone().into_bytes(),
            EX_USAGE,
        ),
    };
    let mut bytes = vec![0u8; MESSAGE_MAX];
    let len = decode_into(&hex, b":", &mut bytes, Field::Request).map_err(|e| {
        let what = match e.kind {
            ErrorKind::TooLong { .. } => {
                format!("longer than the largest DHCP message ({MESSAGE_MAX} bytes)")
            }
            _ => "not hex (only hex digit pairs, whitespace and `:` between bytes)".to_string(),
        };
        Failure::new(bad_hex, format!("{name}: {what}"))
    })?;
    bytes.truncate(len);
    let request =
        parse_request(&bytes).map_err(|e| Failure::new(EX_DATAERR, format!("{name}: {e}")))?;
    let file = read_site(args.site.as_deref())?;
    let site =
        Site::parse(&file.bytes).map_err(|e| Failure::in_site(&file.name, &file.bytes, e))?;
    let reply = if args.proxy {
        build_proxy_reply(site.config(), &request, args.server_id)
    } else {
        build_reply(site.config(), &request)
    }
    .map_err(|e| Failure::in_site(&file.name, &file.bytes, e))?;

    let mut text = String::new();
    write_reply_report(&request, &reply, &mut text)
        .map_err(|e| Failure::in_site(&file.name, &file.bytes, e))?;
    write_stdout(text.as_bytes())
}
