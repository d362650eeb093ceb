//! The one error type of the core: a small `Copy` value that says what is wrong and where.
//!
//! `Display` gives one line such as `nodes[2].nics[0].mac: not a MAC address (expected six
//! hex pairs such as 52:54:00:12:34:56)`. Front ends prefix it with the file name and, given
//! [`Error::offset`], a line and column.

use crate::model::Quoted;
use core::fmt;

pub use crate::schema::{Field, Scope};

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The document is not well-formed JSON (or a value has the wrong JSON type).
    Json(JsonError),
    /// A key the schema does not know (a typo, or a field of a newer schema). The error's
    /// offset is the key's; a [`crate::site::Problem`] quotes it.
    UnknownField {
        /// The object the key is in.
        scope: Scope,
        /// The known key of that object nearest to it, if one is close
        /// ([`Field::nearest`]).
        nearest: Option<Field>,
    },
    /// A key given twice in one object.
    DuplicateField,
    /// A required field is absent.
    MissingField,
    /// The field does not apply to this node's boot mode.
    NotForMode,
    /// The field cannot be given together with another one already given.
    Conflicting,
    /// The schema version is not one this build reads.
    UnsupportedSchema,
    /// An empty value where one is required.
    Empty,
    /// The value is longer than its capacity (in bytes).
    TooLong {
        /// The capacity, in bytes or items.
        max: u16,
    },
    /// More items than the capacity allows.
    TooMany {
        /// The capacity.
        max: u16,
    },
    /// Contains a space, tab or line break: iPXE splits arguments on whitespace.
    Whitespace(At),
    /// Contains a control character (NUL cuts an iPXE line short; others are never valid
    /// here).
    ControlByte(At),
    /// Contains a character that is not printable ASCII.
    NotAscii(At),
    /// Contains `\`: iPXE joins a line ending in `\` to the next.
    Backslash,
    /// Contains `$`, `{` or `}`: iPXE expands `${...}` in every argument.
    Expansion,
    /// Is `||`, `&&` or `;`: iPXE takes these as operators.
    Operator,
    /// Is a lone `|` or `&`: iPXE passes it on as a plain argument, but it reads as a mistyped
    /// `||` or `&&` (the linter's `single-pipe` rule refuses it in a script).
    LoneOperatorCharacter,
    /// Begins with `#`: iPXE takes the rest of the line as a comment.
    LeadingHash,
    /// Begins with `-`: iPXE takes it as an option.
    LeadingDash,
    /// Begins with `:`: iPXE takes the line as a label.
    LeadingColon,
    /// Contains a character not allowed in this kind of value.
    BadCharacter,
    /// Contains a character this kind of value does not allow (the first one, and where).
    CharacterNotAllowed(At),
    /// Written with a JSON escape (`\u0041`, `\/`, ...) in a field that takes only
    /// characters JSON never needs to escape: the character itself must be written.
    JsonEscape,
    /// A kernel argument ipxegen writes itself (`initrd=`, `BOOTIF=`).
    ReservedArgument,
    /// Not an iSCSI qualified name (`iqn.`, `eui.` or `naa.` followed by letters, digits,
    /// `.`, `-` and `:`).
    InvalidIqn,
    /// Not a MAC address.
    InvalidMac,
    /// A multicast MAC address (the I/G bit, the low bit of the first byte, is set): no NIC
    /// has one as its own address.
    MulticastMac,
    /// The broadcast MAC address `ff:ff:ff:ff:ff:ff`.
    BroadcastMac,
    /// The all-zero MAC address `00:00:00:00:00:00`.
    ZeroMac,
    /// Shaped like a UUID but not one.
    InvalidUuid,
    /// Not a system UUID in the canonical 8-4-4-4-12 form.
    InvalidSystemUuid,
    /// A system UUID of all zeros or all `f`: SMBIOS's "no UUID" values, shared by every
    /// machine without one.
    UnsetSystemUuid,
    /// Two nodes give one system UUID.
    DuplicateSystemUuid,
    /// Not a URL this field accepts.
    InvalidUrl,
    /// A URL scheme the field does not accept.
    UnsupportedScheme,
    /// Not a host name, IPv4 address or bracketed IPv6 address.
    InvalidHost,
    /// Not a host name (a node's `hostname`, which is a name, never an address).
    InvalidHostname,
    /// Not a port number from 1 to 65535.
    InvalidPort,
    /// A `%` not followed by two hex digits.
    InvalidPercentEncoding,
    /// A path that would leave its root (`..`, an absolute path where a relative one is needed).
    EscapesRoot,
    /// Not a whole number in the range the field accepts (out of range, negative, with a
    /// fraction or an exponent): the range is the field's ([`Field::range`]).
    OutOfRange {
        /// Smallest accepted value.
        min: u32,
        /// Largest accepted value.
        max: u32,
    },
    /// A timeout below one second: iPXE timeouts are milliseconds, so this is almost
    /// certainly seconds written by mistake.
    TimeoutNotMilliseconds,
    /// Not one of the accepted words.
    UnknownValue,
    /// Two nodes share this MAC address.
    DuplicateMac,
    /// One node lists this MAC address twice.
    MacRepeatedInNode,
    /// Two nodes share this id.
    DuplicateId,
    /// Two nodes reserve this address.
    DuplicateAddress,
    /// An address a DHCP server cannot reserve for one host: unspecified, broadcast,
    /// multicast or loopback.
    NotReservable,
    /// The name is also the name of another of the site's entries in the HTTP root (the
    /// field naming it, or the manifest).
    NameTaken {
        /// The field (or [`Field::Manifest`]) that names the other entry.
        by: Field,
    },
    /// The BIOS loader's name is also a UEFI loader's, in the TFTP root.
    LoaderNameTaken,
    /// This root directory is also, or is inside, or holds, the one `other` names.
    RootsOverlap {
        /// The other root's field.
        other: Field,
    },
    /// A node id equal to one of the site's names: the node's directory would replace it.
    ReplacesSiteName {
        /// The field (or [`Field::Manifest`]) that names it.
        name: Field,
    },
    /// More ids, MACs and addresses than the whole-site check can hold on this device.
    CheckCapacity {
        /// How many it holds.
        max: u16,
    },
    /// No node has this id or MAC address.
    NodeNotFound,
    /// A DHCP message or option ends before its stated length.
    Truncated,
    /// A DHCP message or option is malformed (bad magic cookie, bad option length, ...).
    Malformed,
    /// DHCPv4 option 52 (overload) is not one byte of 1, 2 or 3, or stands in a field it
    /// overloads.
    BadOverload,
    /// The client's architecture has no loader in this site.
    UnsupportedArch,
    /// Firmware PXE asked, and the site has no `tftp_server`: an HTTP-only site has no
    /// loader to hand out over TFTP.
    HttpOnlySite,
    /// The site's script URL is https:// but the client does not announce HTTPS support.
    ClientLacksHttps,
    /// An address of the wrong family for this use (IPv6 where DHCPv4 needs IPv4, ...).
    WrongAddressFamily,
    /// A ProxyDHCP answer needs the ProxyDHCP server's own address, which was not given: as
    /// the next server of an answer to iPXE when the site has no IPv4 `tftp_server`, and in an
    /// offer to UEFI firmware PXE, which asks again at that address (port 4011).
    NoServerId,
    /// A loader name without a `.`: dnsmasq's `pxe-service` takes it as a PXE basename and
    /// sends it with `.0` appended.
    NoFileExtension,
    /// A template the field names is not valid, or what it renders for the node is not (its
    /// line and column in the template, and what is wrong).
    Template(crate::template::TemplateError),
    /// A template the field names was not loaded by the front end that checks the site.
    TemplateNotLoaded,
    /// A template the field names could not be read (the front end's reason is in the
    /// [`crate::site::Problem`]).
    TemplateUnreadable,
    /// A field of the classic TFTP flow (PXELINUX and GRUB) given in a site with
    /// `ipxe_enabled` true.
    ClassicOnly,
    /// A field of iPXE's own (its script names, timeouts, retries, fallback, ARM64 loader)
    /// given in a site with `ipxe_enabled` false, which PXELINUX and GRUB boot.
    IpxeOnly,
    /// A field the classic flow needs (`tftp_server`, `tftp_root`) is missing from a site
    /// with `ipxe_enabled` false.
    NeededWithoutIpxe,
    /// A boot mode only iPXE has (`iso`, `iscsi`, `chain`) in a site with `ipxe_enabled`
    /// false.
    ModeNeedsIpxe,
    /// A kernel or ramdisk given as a URL in a site with `ipxe_enabled` false: PXELINUX and
    /// GRUB load them from the TFTP root, where the tree places local files.
    NeedsLocalFile,
    /// A kernel argument holding `"` or `'`, which GRUB's `linux` command writes on the
    /// kernel command line with a backslash before it (the character that is refused, and
    /// where).
    GrubQuote(At),
    /// The kernel command line PXELINUX or GRUB would build for the node is longer than an x86
    /// kernel takes (`COMMAND_LINE_SIZE` 2048 with its NUL); both cut it silently.
    CommandLineTooLong {
        /// The longest command line, in bytes.
        max: u16,
    },
    /// A name the classic tree places in the TFTP root is also the name of another of its
    /// entries there.
    TftpNameTaken {
        /// The field (or pseudo field) that names the other entry.
        by: Field,
    },
    /// A client the classic flow (`ipxe_enabled` false) has no loader for: it boots x86 BIOS
    /// PXE (arch 0, PXELINUX) and x64 UEFI PXE (arch 7 and 9, GRUB) over DHCPv4 only.
    NoClassicLoader,
    /// A ProxyDHCP answer to x64 UEFI in the classic flow: GRUB 2.06 takes its TFTP server
    /// from the answer that gave the address, which names none, and stops at its prompt.
    GrubWithoutProxyDhcp,
    /// Writing the output failed (for a fixed buffer: it is too small).
    Write(embedded_io::ErrorKind),
    /// A generator invariant did not hold: a bug in ipxegen, never the input's fault.
    Internal,
}

/// Which character of a value is refused, and where: for messages that say "contains "\t"
/// (character 4)".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    /// The first character refused.
    pub character: char,
    /// Where it is in the value: 1 for the first character (saturates at 65535).
    pub position: u16,
}

impl At {
    /// The character of `s` that starts at byte `at` (`None` when no character starts
    /// there), counted in characters from 1.
    pub fn in_value(s: &str, at: usize) -> Option<At> {
        let before = s.get(..at)?;
        let character = s.get(at..)?.chars().next()?;
        let position = before.chars().count().saturating_add(1);
        Some(At {
            character,
            position: u16::try_from(position).unwrap_or(u16::MAX),
        })
    }

    /// The same character seen in a longer value, where `chars_before` characters come
    /// before the part it was found in.
    #[must_use]
    pub fn after(self, chars_before: usize) -> At {
        let before = u16::try_from(chars_before).unwrap_or(u16::MAX);
        At {
            position: self.position.saturating_add(before),
            ..self
        }
    }
}

/// How a document fails to be JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonError {
    /// The document ends in the middle of a value.
    UnexpectedEnd,
    /// A byte that cannot stand here.
    UnexpectedByte,
    /// A string with a bad escape sequence.
    InvalidEscape,
    /// Not a valid JSON number, or not one that fits the field.
    InvalidNumber,
    /// Nesting deeper than the reader allows.
    TooDeep,
    /// Non-whitespace after the document.
    TrailingCharacters,
    /// A value of the wrong JSON type for this field (e.g. a number where a string belongs).
    WrongType,
    /// The document is not UTF-8.
    InvalidUtf8,
    /// The document is larger than 4 GiB (byte offsets are 32-bit).
    TooLarge,
}

/// An error of the core, with where it happened.
///
/// `node` is the 0-based index in the `nodes` array, `item` the 0-based index inside the
/// node's `nics` or `iscsi` array, `offset` the byte offset in the site document (when the
/// error came from reading it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The field at fault, if any.
    pub field: Option<Field>,
    /// The node at fault: its index in `nodes`.
    pub node: Option<u32>,
    /// The item at fault inside a node's `nics` or `iscsi` array.
    pub item: Option<u16>,
    /// Byte offset in the site document.
    pub offset: Option<u32>,
}

impl Error {
    /// An error of `kind` with no location yet.
    pub const fn new(kind: ErrorKind) -> Self {
        Error {
            kind,
            field: None,
            node: None,
            item: None,
            offset: None,
        }
    }

    /// An error of `kind` in `field`.
    pub const fn at(kind: ErrorKind, field: Field) -> Self {
        Error {
            kind,
            field: Some(field),
            node: None,
            item: None,
            offset: None,
        }
    }

    /// The same error, with `field` set if none was.
    pub const fn in_field(mut self, field: Field) -> Self {
        if self.field.is_none() {
            self.field = Some(field);
        }
        self
    }

    /// The same error, located in node `index` if no node was set.
    pub fn in_node(mut self, index: usize) -> Self {
        if self.node.is_none() {
            self.node = u32::try_from(index).ok();
        }
        self
    }

    /// The same error, located in item `index` of a node's array if no item was set.
    pub fn in_item(mut self, index: usize) -> Self {
        if self.item.is_none() {
            self.item = u16::try_from(index).ok();
        }
        self
    }

    /// The same error, at byte `offset` of the document if no offset was set.
    pub fn at_offset(mut self, offset: usize) -> Self {
        if self.offset.is_none() {
            self.offset = u32::try_from(offset).ok();
        }
        self
    }

    /// The error a writer returned, as a core error.
    pub fn write<E: embedded_io::Error>(e: E) -> Self {
        Error::new(ErrorKind::Write(e.kind()))
    }
}

impl Error {
    /// Writes the message, quoting `value` (the text at fault, taken from the document by
    /// [`crate::site::Problem`]) where the kind names it: an unknown key, or the path of a
    /// template (then followed by the line and column in the template).
    pub(crate) fn write_quoting(
        &self,
        f: &mut fmt::Formatter<'_>,
        value: Option<&str>,
    ) -> fmt::Result {
        let mut wrote_place = false;
        let scope = match (self.field, self.kind) {
            (Some(field), _) => Some(field.scope()),
            (None, ErrorKind::UnknownField { scope, .. }) => Some(scope),
            (None, _) => None,
        };
        if let Some(node) = self.node {
            write!(f, "nodes[{node}]")?;
            wrote_place = true;
        }
        let array = match scope {
            Some(Scope::Nic) => Some("nics"),
            Some(Scope::IscsiTarget) => Some("iscsi"),
            _ => None,
        };
        if let Some(array) = array {
            if wrote_place {
                f.write_str(".")?;
            }
            f.write_str(array)?;
            if let Some(item) = self.item {
                write!(f, "[{item}]")?;
            }
            wrote_place = true;
        }
        if let Some(field) = self.field {
            if wrote_place {
                f.write_str(".")?;
            }
            f.write_str(field.key())?;
            wrote_place = true;
        }
        if wrote_place {
            f.write_str(": ")?;
        }
        match (self.kind, value) {
            (ErrorKind::UnknownField { nearest, .. }, Some(key)) => {
                write!(f, "unknown field {}", Quoted(key))?;
                write_nearest(f, nearest)
            }
            (ErrorKind::Template(e), Some(path)) => {
                write!(f, "{}:{}:{}: {}", Quoted(path), e.line, e.column, e.kind)
            }
            (ErrorKind::TemplateNotLoaded | ErrorKind::TemplateUnreadable, Some(path)) => {
                write!(f, "{}: {}", Quoted(path), self.kind)
            }
            (kind, _) => fmt::Display::fmt(&kind, f),
        }
    }
}

/// `; did you mean "kernel"?` for a nearest known key, or `(check its spelling)`.
fn write_nearest(f: &mut fmt::Formatter<'_>, nearest: Option<Field>) -> fmt::Result {
    match nearest {
        Some(field) => write!(f, "; did you mean {}?", Quoted(field.key())),
        None => f.write_str(" (check its spelling)"),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_quoting(f, None)
    }
}

/// `"\t" (character 4)`: the refused character, quoted and escaped, and where it is.
struct AtText(At);

impl fmt::Display for AtText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 4];
        write!(
            f,
            "{} (character {})",
            Quoted(self.0.character.encode_utf8(&mut buf)),
            self.0.position
        )
    }
}

impl ErrorKind {
    /// The same error found in a part of a longer value, after `chars_before` characters:
    /// the position of a refused character counts from the start of the whole value.
    #[must_use]
    pub fn after(self, chars_before: usize) -> ErrorKind {
        match self {
            ErrorKind::Whitespace(at) => ErrorKind::Whitespace(at.after(chars_before)),
            ErrorKind::ControlByte(at) => ErrorKind::ControlByte(at.after(chars_before)),
            ErrorKind::NotAscii(at) => ErrorKind::NotAscii(at.after(chars_before)),
            ErrorKind::CharacterNotAllowed(at) => {
                ErrorKind::CharacterNotAllowed(at.after(chars_before))
            }
            ErrorKind::GrubQuote(at) => ErrorKind::GrubQuote(at.after(chars_before)),
            kind => kind,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ErrorKind::Json(e) => write!(f, "invalid JSON: {e}"),
            ErrorKind::UnknownField { nearest, .. } => {
                f.write_str("unknown field")?;
                write_nearest(f, nearest)
            }
            ErrorKind::DuplicateField => f.write_str("field given twice"),
            ErrorKind::MissingField => f.write_str("required field is missing"),
            ErrorKind::NotForMode => f.write_str("field does not apply to this node's mode"),
            ErrorKind::Conflicting => f.write_str("conflicts with another field given (give only one)"),
            ErrorKind::UnsupportedSchema => f.write_str("unsupported schema version (this build reads 1)"),
            ErrorKind::Empty => f.write_str("must not be empty"),
            ErrorKind::TooLong { max } => write!(f, "too long (at most {max} bytes)"),
            ErrorKind::TooMany { max } => write!(f, "too many items (at most {max})"),
            ErrorKind::Whitespace(at) => write!(
                f,
                "contains whitespace, {}, which iPXE would split into separate arguments",
                AtText(at)
            ),
            ErrorKind::ControlByte(at) => write!(
                f,
                "contains a control character, {}, which would be misread",
                AtText(at)
            ),
            ErrorKind::NotAscii(at) => write!(
                f,
                "contains {}, which is not printable ASCII",
                AtText(at)
            ),
            ErrorKind::Backslash => {
                f.write_str("contains `\\`, which iPXE takes as a line continuation")
            }
            ErrorKind::Expansion => f.write_str(
                "contains `$`, `{` or `}`, which iPXE would expand as a setting (percent-encode it in URLs: %24 %7B %7D)",
            ),
            ErrorKind::Operator => f.write_str("is `||`, `&&` or `;`, which iPXE takes as an operator"),
            ErrorKind::LoneOperatorCharacter => f.write_str(
                "is a lone `|` or `&`, which reads as a mistyped `||` or `&&` (ipxegen's linter refuses it)",
            ),
            ErrorKind::LeadingHash => f.write_str("begins with `#`, which iPXE takes as a comment"),
            ErrorKind::LeadingDash => f.write_str("begins with `-`, which iPXE takes as an option"),
            ErrorKind::LeadingColon => f.write_str("begins with `:`, which iPXE takes as a label"),
            ErrorKind::BadCharacter => f.write_str("contains a character not allowed here"),
            ErrorKind::CharacterNotAllowed(at) => {
                write!(f, "contains {}, which is not allowed here", AtText(at))
            }
            ErrorKind::JsonEscape => f.write_str(
                "contains a JSON escape (such as \\u0041 or \\/): write the character itself",
            ),
            ErrorKind::ReservedArgument => f.write_str(
                "sets `initrd=` or `BOOTIF=`, which ipxegen writes itself to match the loaded images",
            ),
            ErrorKind::InvalidIqn => f.write_str(
                "not an iSCSI name (expected iqn.YYYY-MM.reversed.domain[:name], eui. or naa.)",
            ),
            ErrorKind::InvalidMac => {
                f.write_str("not a MAC address (expected six hex pairs such as 52:54:00:12:34:56)")
            }
            ErrorKind::MulticastMac => f.write_str(
                "a multicast MAC address (its first byte is odd) cannot be a NIC's address",
            ),
            ErrorKind::BroadcastMac => {
                f.write_str("the broadcast MAC address cannot be a NIC's address")
            }
            ErrorKind::ZeroMac => f.write_str("the all-zero MAC address cannot be a NIC's address"),
            ErrorKind::InvalidUuid => f.write_str(
                "shaped like a UUID but not one (expected 8-4-4-4-12 hex digits)",
            ),
            ErrorKind::InvalidSystemUuid => f.write_str(
                "not a system UUID (expected 8-4-4-4-12 hex digits as `dmidecode -s system-uuid` prints them, such as 0b9c4f5e-1d2a-4c3b-8e7f-123456789abc)",
            ),
            ErrorKind::UnsetSystemUuid => f.write_str(
                "all zeros or all f: SMBIOS's value for a machine without a UUID, which many machines share (set the UUID in the firmware, or leave system_uuid out)",
            ),
            ErrorKind::DuplicateSystemUuid => f.write_str(
                "system UUID already given for another node: DHCPv6 cannot tell two machines with one UUID apart (set a board's shared UUID apart in its firmware)",
            ),
            ErrorKind::InvalidUrl => f.write_str("not a valid URL"),
            ErrorKind::UnsupportedScheme => f.write_str("URL scheme not accepted here"),
            ErrorKind::InvalidHost => f.write_str(
                "not a host name, IPv4 address or bracketed IPv6 address",
            ),
            ErrorKind::InvalidHostname => f.write_str(
                "not a host name: a hostname is letters, digits and `-` in labels separated by dots, not an IP address",
            ),
            ErrorKind::InvalidPort => f.write_str("not a port number from 1 to 65535"),
            ErrorKind::InvalidPercentEncoding => {
                f.write_str("`%` must be followed by two hex digits")
            }
            ErrorKind::EscapesRoot => f.write_str("path would leave its root"),
            ErrorKind::OutOfRange { min, max } if min == max => {
                write!(f, "must be the whole number {min}")
            }
            ErrorKind::OutOfRange { min, max } => {
                write!(f, "must be a whole number from {min} to {max}")
            }
            ErrorKind::TimeoutNotMilliseconds => f.write_str(
                "below 1000: iPXE timeouts are in milliseconds (write 60000 for one minute)",
            ),
            ErrorKind::UnknownValue => f.write_str("not one of the accepted values"),
            ErrorKind::DuplicateMac => f.write_str("MAC address already used by another node"),
            ErrorKind::MacRepeatedInNode => {
                f.write_str("MAC address repeated in the same node (list each NIC once)")
            }
            ErrorKind::DuplicateId => f.write_str("id already used by another node"),
            ErrorKind::DuplicateAddress => f.write_str("address already reserved for another node"),
            ErrorKind::NotReservable => f.write_str(
                "cannot be reserved for one host (an unspecified, broadcast, multicast or loopback address)",
            ),
            ErrorKind::NameTaken { by } => {
                write!(f, "is also the name of {} in the HTTP root", site_name(by))
            }
            ErrorKind::LoaderNameTaken => {
                f.write_str("is also the name of a UEFI loader in the TFTP root")
            }
            ErrorKind::RootsOverlap { other } => write!(
                f,
                "is the same directory as {}, or one holds the other: the two roots must be separate directories",
                other.key()
            ),
            ErrorKind::ReplacesSiteName { name } => write!(
                f,
                "the node's directory would replace the site's {}",
                reserved_name(name)
            ),
            ErrorKind::CheckCapacity { max } => write!(
                f,
                "more ids, MACs and addresses than this device's site check holds ({max})"
            ),
            ErrorKind::NodeNotFound => f.write_str("no node has this id or MAC address"),
            ErrorKind::Truncated => f.write_str("message ends before its stated length"),
            ErrorKind::Malformed => f.write_str("malformed message"),
            ErrorKind::BadOverload => f.write_str(
                "option 52 (overload) must be one byte, 1 (file), 2 (sname) or 3 (both), in the options field only",
            ),
            ErrorKind::HttpOnlySite => f.write_str(
                "not set: this HTTP-only site cannot boot firmware PXE (BIOS, or UEFI PXE over TFTP); only UEFI HTTP boot and iPXE",
            ),
            ErrorKind::UnsupportedArch => {
                f.write_str("no loader for this client architecture (BIOS 0, x64 UEFI 7/9/16, ARM64 UEFI 11/19)")
            }
            ErrorKind::ClientLacksHttps => f.write_str(
                "the script URL is https:// but this iPXE client does not announce HTTPS (option 175.20)",
            ),
            ErrorKind::WrongAddressFamily => {
                f.write_str("address of the wrong family (DHCPv4 needs IPv4, DHCPv6 needs IPv6)")
            }
            ErrorKind::NoServerId => f.write_str(
                "not given: this ProxyDHCP answer needs the ProxyDHCP server's own address (iPXE takes an answer only with a next server, and the site has no IPv4 tftp_server to name; UEFI firmware asks again at that address, on port 4011)",
            ),
            ErrorKind::NoFileExtension => f.write_str(
                "has no `.`: dnsmasq's pxe-service would send it with `.0` appended (a PXE basename); name the loader file with its extension",
            ),
            ErrorKind::Template(e) => write!(f, "template {e}"),
            ErrorKind::TemplateNotLoaded => f.write_str(
                "the template file was not loaded (this front end reads no template files)",
            ),
            ErrorKind::TemplateUnreadable => f.write_str("cannot read the template file"),
            ErrorKind::ClassicOnly => f.write_str(
                "applies only when ipxe_enabled is false (the classic TFTP flow, where PXELINUX and GRUB read the node's config); this site boots through iPXE",
            ),
            ErrorKind::IpxeOnly => f.write_str(
                "applies only when ipxe_enabled is true (an iPXE setting; PXELINUX and GRUB boot this site)",
            ),
            ErrorKind::NeededWithoutIpxe => f.write_str(
                "required when ipxe_enabled is false: PXELINUX and GRUB load everything from the TFTP server",
            ),
            ErrorKind::ModeNeedsIpxe => f.write_str(
                "this mode needs iPXE (sanboot, sanhook or chain): set ipxe_enabled to true, or use deploy, ramdisk, anaconda or local",
            ),
            ErrorKind::NeedsLocalFile => f.write_str(
                "is a URL, but PXELINUX and GRUB (ipxe_enabled false) load kernels and ramdisks from the TFTP root only: give a local file, which the tree places there",
            ),
            ErrorKind::GrubQuote(at) => write!(
                f,
                "contains {}, which GRUB's linux command passes to the kernel with a backslash before it (ipxe_enabled false: GRUB boots UEFI nodes)",
                AtText(at)
            ),
            ErrorKind::CommandLineTooLong { max } => write!(
                f,
                "the kernel command line PXELINUX or GRUB builds for this node would be longer than the {max} bytes an x86 kernel takes, and both loaders cut it silently"
            ),
            ErrorKind::TftpNameTaken { by } => {
                write!(f, "is also the name of {} in the TFTP root", site_name(by))
            }
            ErrorKind::NoClassicLoader => f.write_str(
                "no PXELINUX or GRUB loader for this client: with ipxe_enabled false only x86 BIOS PXE (arch 0) and x64 UEFI PXE (arch 7, 9) over DHCPv4 boot",
            ),
            ErrorKind::GrubWithoutProxyDhcp => f.write_str(
                "GRUB cannot boot through ProxyDHCP: it takes its TFTP server from the answer that gave the address (GRUB 2.06), so with ipxe_enabled false only x86 BIOS PXE (PXELINUX) is answered as a ProxyDHCP server; serve x64 UEFI from the DHCP server itself",
            ),
            ErrorKind::Write(embedded_io::ErrorKind::WriteZero) => {
                f.write_str("output buffer too small")
            }
            ErrorKind::Write(kind) => write!(f, "write failed ({kind:?})"),
            ErrorKind::Internal => f.write_str("internal error in ipxegen (please report it)"),
        }
    }
}

/// What "the node's directory would replace the site's ..." calls a name.
fn reserved_name(field: Field) -> &'static str {
    match field {
        Field::LdlinuxModule | Field::GrubDir => site_name(field),
        other => other.key(),
    }
}

/// What a message calls the entry a site name field names.
fn site_name(field: Field) -> &'static str {
    match field {
        Field::Manifest => "the manifest",
        Field::LdlinuxModule => "ldlinux.c32 (PXELINUX's module)",
        Field::GrubDir => "grub (GRUB's directory)",
        other => other.key(),
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JsonError::UnexpectedEnd => "unexpected end of document",
            JsonError::UnexpectedByte => "unexpected character",
            JsonError::InvalidEscape => "invalid escape sequence in string",
            JsonError::InvalidNumber => "invalid number",
            JsonError::TooDeep => "nested too deeply",
            JsonError::TrailingCharacters => "trailing characters after the document",
            JsonError::WrongType => "value has the wrong type",
            JsonError::InvalidUtf8 => "not valid UTF-8",
            JsonError::TooLarge => "larger than 4 GiB",
        })
    }
}

impl core::error::Error for Error {}

impl embedded_io::Error for Error {
    fn kind(&self) -> embedded_io::ErrorKind {
        match self.kind {
            ErrorKind::Write(kind) => kind,
            _ => embedded_io::ErrorKind::InvalidData,
        }
    }
}

impl From<JsonError> for Error {
    fn from(e: JsonError) -> Self {
        Error::new(ErrorKind::Json(e))
    }
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
