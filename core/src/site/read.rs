//! Reading the site document's values into the model's types.
//!
//! One reader, two ways: [`Checks::Full`] validates every value (the first read of a
//! document); [`Checks::Trusted`] reads a document that was read in full before and
//! validated, so it only locates each value and builds the model types from it (see
//! [`super::CheckedSite`]). Fields are read in a fixed order, whatever the order of keys in
//! the document, so the first error reported is always the same one.

use crate::ascii;
use crate::error::{Error, ErrorKind, Field, Result};
use crate::json::{KnownEnds, Member, Value};
use crate::limits::{
    CHAP_MAX, IQN_MAX, ISCSI_TARGETS_MAX, NICS_MAX, RETRIES_DEFAULT, TIMEOUT_DEFAULT_MS,
    TIMEOUT_MIN_MS, URL_MAX,
};
use crate::model::ip::{parse_ipv4, parse_ipv6};
use crate::model::text::{read_name, unescaped, with_decoded};
use crate::model::{
    Boot, Chap, ChapValue, FETCH_SCHEMES, Firmware, Host, HttpBase, Image, ImageName,
    InstallSource, Iqn, IscsiTarget, JsonStr, KernelArgs, LocalPath, MacAddr, Mode, Name, Nic,
    Node, NodeArgs, NodeId, OnRetriesExhausted, Position, ScriptRef, SiteConfig, Source,
    SystemUuid, TemplateSlot, Url, check_literal,
};
use crate::schema::{Flows, Scope, fields_of, scope_len};
use core::net::{Ipv4Addr, Ipv6Addr};

/// How much a read checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Checks {
    /// Validate every value.
    Full,
    /// The document was read in full before: locate values, check nothing.
    Trusted,
}

/// The values of an object's known keys (the schema's fields of its scope, in table
/// order), collected before any is read: where each starts and ends in the document (an end
/// of 0 for a key not given). `N` is the scope's field count ([`scope_len`]), so a node's
/// slots take 152 bytes of stack and a NIC's 16.
struct Slots<'a, const N: usize> {
    object: Value<'a>,
    scope: Scope,
    values: [(u32, u32); N],
    /// Just after the object's closing `}`.
    end: usize,
}

/// The slots of each scope.
type SiteSlots<'a> = Slots<'a, { scope_len(Scope::Site) }>;
type NodeSlots<'a> = Slots<'a, { scope_len(Scope::Node) }>;
type NicSlots<'a> = Slots<'a, { scope_len(Scope::Nic) }>;
type TargetSlots<'a> = Slots<'a, { scope_len(Scope::IscsiTarget) }>;

impl<'a, const N: usize> Slots<'a, N> {
    fn collect(object: Value<'a>, scope: Scope) -> Result<Self> {
        Self::collect_reading(object, scope, |_, _| Ok(None))
    }

    /// [`Slots::collect`], handing each value to `read_now` first: a value it reads there
    /// and then (giving where the value ends) is not scanned again to find its end.
    fn collect_reading(
        object: Value<'a>,
        scope: Scope,
        mut read_now: impl FnMut(Field, &Value<'a>) -> Result<Option<usize>>,
    ) -> Result<Self> {
        let mut slots = Slots {
            object,
            scope,
            values: [(0, 0); N],
            end: 0,
        };
        let mut members = object.members()?;
        while let Some(member) = members.next_lazy() {
            let Member {
                key,
                key_offset,
                value,
            } = member?;
            let found = fields_of(scope)
                .iter()
                .enumerate()
                .find(|(_, info)| info.key.as_bytes() == key);
            let Some((index, info)) = found else {
                let nearest = Field::nearest(scope, key);
                return Err(
                    Error::new(ErrorKind::UnknownField { scope, nearest }).at_offset(key_offset)
                );
            };
            let end = match read_now(info.field, &value)? {
                Some(end) => end,
                None => value.end_in_document()?,
            };
            members.resume_after(end);
            let value = value.within(value.offset(), end);
            // A read document is under 4 GiB (`json::document`): offsets fit.
            let too_big = || Error::new(ErrorKind::Json(crate::JsonError::TooLarge));
            let range = (
                u32::try_from(value.offset()).map_err(|_| too_big())?,
                u32::try_from(value.end()).map_err(|_| too_big())?,
            );
            match slots.values.get_mut(index) {
                Some(slot) if slot.1 == 0 => *slot = range,
                Some(_) => {
                    return Err(
                        Error::at(ErrorKind::DuplicateField, info.field).at_offset(key_offset)
                    );
                }
                None => return Err(Error::new(ErrorKind::Internal)),
            }
        }
        slots.end = members
            .end()
            .ok_or_else(|| Error::new(ErrorKind::Internal))?;
        Ok(slots)
    }

    /// The value of `field`, unless absent or `null`.
    fn get(&self, field: Field) -> Option<Value<'a>> {
        if field.scope() != self.scope {
            return None;
        }
        let (start, end) = self.values.get(field.slot()?).copied()?;
        let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
        Some(self.object.within(start, end))
            .filter(|_| end > 0)
            .filter(|v| !v.is_null())
    }

    fn required(&self, field: Field, offset: usize) -> Result<Value<'a>> {
        self.get(field)
            .ok_or_else(|| Error::at(ErrorKind::MissingField, field).at_offset(offset))
    }

    /// Fails if `field` was given although it does not apply to the node's mode.
    fn refuse(&self, field: Field) -> Result<()> {
        self.refuse_as(field, ErrorKind::NotForMode)
    }

    /// Fails with `kind` if `field` was given.
    fn refuse_as(&self, field: Field, kind: ErrorKind) -> Result<()> {
        match self.get(field) {
            Some(v) => Err(Error::at(kind, field).at_offset(v.offset())),
            None => Ok(()),
        }
    }

    /// Fails if a field of one flow's own was given in a site of the other: one of iPXE's
    /// ([`Flows::Ipxe`]) in a site that does not boot through iPXE, one of the classic flow's
    /// ([`Flows::Classic`]) in a site that does.
    fn refuse_other_flow(&self, ipxe_enabled: bool) -> Result<()> {
        let (other, kind) = if ipxe_enabled {
            (Flows::Classic, ErrorKind::ClassicOnly)
        } else {
            (Flows::Ipxe, ErrorKind::IpxeOnly)
        };
        for info in fields_of(self.scope) {
            if info.flows == other {
                self.refuse_as(info.field, kind)?;
            }
        }
        Ok(())
    }
}

fn located(field: Field, value: &Value<'_>) -> impl Fn(Error) -> Error {
    let offset = value.offset();
    move |e: Error| e.in_field(field).at_offset(offset)
}

fn kind_at(field: Field, value: &Value<'_>) -> impl Fn(ErrorKind) -> Error {
    let offset = value.offset();
    move |k: ErrorKind| Error::at(k, field).at_offset(offset)
}

/// Names `field` in an error about its object's value (a JSON error, a missing key), but
/// not in one about an unknown key, which names the object itself.
fn in_object_field(field: Field) -> impl Fn(Error) -> Error {
    move |e: Error| match e.kind {
        ErrorKind::UnknownField { .. } => e,
        _ => e.in_field(field),
    }
}

/// The error for a number `field` does not take: not a whole number in its range.
fn not_in_range(field: Field) -> ErrorKind {
    let (min, max) = field.range().unwrap_or((0, u32::MAX));
    ErrorKind::OutOfRange { min, max }
}

fn too_long(max: usize) -> ErrorKind {
    ErrorKind::TooLong {
        max: u16::try_from(max).unwrap_or(u16::MAX),
    }
}

/// Reads a document's values, as much checked as [`Checks`] says.
#[derive(Clone, Copy)]
pub(crate) struct Reader {
    pub(crate) checks: Checks,
}

impl Reader {
    fn full(self) -> bool {
        self.checks == Checks::Full
    }

    /// A string value as written.
    fn string<'a>(self, value: &Value<'a>, field: Field) -> Result<JsonStr<'a>> {
        if self.full() {
            value.string().map_err(located(field, value))
        } else {
            Ok(value.raw_string())
        }
    }

    /// A string value parsed into a value that is copied out of it (a MAC, a word, an
    /// address): decoded into `N` bytes of stack if it has escapes. At most `N` bytes.
    fn copied<T, const N: usize>(
        self,
        value: &Value<'_>,
        field: Field,
        parse: impl Fn(&str) -> Result<T, ErrorKind>,
    ) -> Result<T> {
        let text = self.string(value, field)?;
        let parsed = match text.plain() {
            Some(s) if s.len() > N => Err(too_long(N)),
            Some(s) => parse(s),
            None => with_decoded::<N, _>(text, parse),
        };
        parsed.map_err(kind_at(field, value))
    }

    /// A string value read by `read`, always validated (the site settings: read once).
    fn validated<'a, T>(
        self,
        value: &Value<'a>,
        field: Field,
        read: impl FnOnce(JsonStr<'a>) -> Result<T, ErrorKind>,
    ) -> Result<T> {
        let text = value.string().map_err(located(field, value))?;
        read(text).map_err(kind_at(field, value))
    }

    /// A string value that the model type borrows (see [`crate::model::text`]).
    fn borrowed<'a, T>(
        self,
        value: &Value<'a>,
        field: Field,
        read: impl FnOnce(JsonStr<'a>) -> Result<T, ErrorKind>,
        trusted: impl FnOnce(JsonStr<'a>) -> T,
    ) -> Result<T> {
        let text = self.string(value, field)?;
        if self.full() {
            read(text).map_err(kind_at(field, value))
        } else {
            Ok(trusted(text))
        }
    }

    fn url<'a>(self, value: &Value<'a>, field: Field) -> Result<Url<'a>> {
        self.borrowed(
            value,
            field,
            |t| Url::read(t, FETCH_SCHEMES),
            |t| Url::trusted(t.raw()),
        )
    }

    fn name<'a>(self, value: &Value<'a>, field: Field) -> Result<Name<'a>> {
        self.borrowed(value, field, read_name, |t| Name::trusted(t.raw()))
    }

    fn local_path<'a>(self, value: &Value<'a>, field: Field) -> Result<LocalPath<'a>> {
        self.borrowed(value, field, LocalPath::read, LocalPath::trusted)
    }

    /// A template's path, and where the document gives it.
    fn template<'a>(self, value: &Value<'a>, field: Field) -> Result<TemplateSlot<'a>> {
        let offset = u32::try_from(value.offset())
            .map_err(|_| Error::new(ErrorKind::Json(crate::JsonError::TooLarge)))?;
        Ok(TemplateSlot {
            path: self.local_path(value, field)?,
            field,
            offset,
        })
    }

    fn kernel_args<'a>(self, value: &Value<'a>, field: Field) -> Result<KernelArgs<'a>> {
        self.borrowed(value, field, KernelArgs::read, KernelArgs::trusted)
    }

    /// `true` when a string value (decoded) holds `://`: a URL rather than a file or name.
    fn is_url(self, value: &Value<'_>, field: Field) -> Result<bool> {
        let text = self.string(value, field)?;
        match text.plain() {
            Some(s) => Ok(ascii::contains_seq(s, b"://")),
            // A read document has no URL with escapes (refused): this is a local path.
            None if !self.full() => Ok(false),
            None => with_decoded::<URL_MAX, _>(text, |s| Ok(ascii::contains_seq(s, b"://")))
                .map_err(kind_at(field, value)),
        }
    }

    /// A kernel, ramdisk or ISO: a URL, or a local file to place.
    fn source<'a>(self, value: &Value<'a>, field: Field) -> Result<Source<'a>> {
        if self.is_url(value, field)? {
            self.url(value, field).map(Source::Url)
        } else {
            self.local_path(value, field).map(Source::File)
        }
    }

    /// A whole number in `field`'s range ([`Field::range`]).
    fn number(self, value: &Value<'_>, field: Field) -> Result<u32> {
        if self.full() {
            let n = value.u32().map_err(|e| match e.kind {
                ErrorKind::Json(crate::JsonError::InvalidNumber) => {
                    kind_at(field, value)(not_in_range(field))
                }
                _ => located(field, value)(e),
            })?;
            match field.range() {
                Some((min, max)) if n < min || n > max => {
                    Err(kind_at(field, value)(not_in_range(field)))
                }
                _ => Ok(n),
            }
        } else {
            Ok(value.trusted_u32())
        }
    }

    fn flag(self, value: &Value<'_>, field: Field) -> Result<bool> {
        if self.full() {
            value.bool().map_err(located(field, value))
        } else {
            Ok(value.trusted_bool())
        }
    }

    /// A timeout: a whole number below [`TIMEOUT_MIN_MS`] is refused as seconds written by
    /// mistake, anything else outside the field's range as such.
    fn timeout_ms(self, value: &Value<'_>, field: Field) -> Result<u32> {
        match self.number(value, field) {
            Err(e) if matches!(e.kind, ErrorKind::OutOfRange { .. }) => match value.u32() {
                Ok(ms) if ms < TIMEOUT_MIN_MS => {
                    Err(kind_at(field, value)(ErrorKind::TimeoutNotMilliseconds))
                }
                _ => Err(e),
            },
            other => other,
        }
    }

    fn retries(self, value: &Value<'_>, field: Field) -> Result<u8> {
        let n = self.number(value, field)?;
        u8::try_from(n).map_err(|_| kind_at(field, value)(not_in_range(field)))
    }

    fn word<T>(self, value: &Value<'_>, field: Field, from: fn(&str) -> Option<T>) -> Result<T> {
        self.copied::<_, 16>(value, field, |t| from(t).ok_or(ErrorKind::UnknownValue))
    }
}

fn optional<'a, T>(
    value: Option<Value<'a>>,
    read: impl FnOnce(&Value<'a>) -> Result<T>,
) -> Result<Option<T>> {
    value.as_ref().map(read).transpose()
}

const BOOT_SCRIPT: Name<'static> = Name::fixed("boot.ipxe");
const PXE_BOOTFILE: Name<'static> = Name::fixed("undionly.kpxe");
const UEFI_X64_BOOTFILE: Name<'static> = Name::fixed("snponly.efi");
const UEFI_ARM64_BOOTFILE: Name<'static> = Name::fixed("snponly-arm64.efi");
const PER_MAC_DIR: Name<'static> = Name::fixed("pxelinux.cfg");
/// The BIOS loader of the classic flow (`ipxe_enabled` false): Debian's `pxelinux`.
const PXELINUX_BOOTFILE: Name<'static> = Name::fixed("pxelinux.0");
/// The UEFI x64 loader of the classic flow: Debian's signed network GRUB.
const GRUB_X64_BOOTFILE: Name<'static> = Name::fixed("grubnetx64.efi");

/// The schema version this build reads.
pub const SCHEMA_VERSION: u32 = 1;

/// Reads and validates the site settings of the document's top-level object; gives them and
/// the `nodes` array (not yet read).
pub(crate) fn read_config<'a>(
    root: Value<'a>,
    known: &KnownEnds,
) -> Result<(SiteConfig<'a>, Option<Value<'a>>)> {
    let r = Reader {
        checks: Checks::Full,
    };
    // The walk that found the document valid knows where `nodes` ends.
    let s = SiteSlots::collect_reading(root, Scope::Site, |_, v| Ok(known.of(v.offset())))?;
    let at = root.offset();

    let schema = s.required(Field::Schema, at)?;
    match r.number(&schema, Field::Schema) {
        Ok(_) => {}
        // A whole number, but not a version this build reads.
        Err(e) if matches!(e.kind, ErrorKind::OutOfRange { .. }) && schema.u32().is_ok() => {
            return Err(kind_at(Field::Schema, &schema)(
                ErrorKind::UnsupportedSchema,
            ));
        }
        Err(e) => return Err(e),
    }
    let ipxe_enabled =
        optional(s.get(Field::IpxeEnabled), |v| r.flag(v, Field::IpxeEnabled))?.unwrap_or(true);
    let http_server = s.required(Field::HttpServer, at)?;
    let http_root = s.required(Field::HttpRoot, at)?;
    s.refuse_other_flow(ipxe_enabled)?;
    if !ipxe_enabled {
        for field in [Field::TftpServer, Field::TftpRoot] {
            if s.get(field).is_none() {
                return Err(Error::at(ErrorKind::NeededWithoutIpxe, field).at_offset(at));
            }
        }
    }
    let (bios_loader, x64_loader) = if ipxe_enabled {
        (PXE_BOOTFILE, UEFI_X64_BOOTFILE)
    } else {
        (PXELINUX_BOOTFILE, GRUB_X64_BOOTFILE)
    };
    let nodes = s.get(Field::Nodes);
    if let Some(nodes) = &nodes {
        nodes.elements().map_err(located(Field::Nodes, nodes))?;
    }
    let fallback = optional(s.get(Field::FallbackScript), |v| {
        let field = Field::FallbackScript;
        if r.is_url(v, field)? {
            r.url(v, field).map(ScriptRef::Url)
        } else {
            r.name(v, field).map(ScriptRef::Relative)
        }
    })?;
    let on_retries_exhausted = optional(s.get(Field::OnRetriesExhausted), |v| {
        r.word(v, Field::OnRetriesExhausted, OnRetriesExhausted::from_word)
    })?;
    let config = SiteConfig {
        ipxe_enabled,
        http_base: r.validated(&http_server, Field::HttpServer, HttpBase::read)?,
        http_root: r.local_path(&http_root, Field::HttpRoot)?,
        boot_script: optional(s.get(Field::IpxeBootScript), |v| {
            r.name(v, Field::IpxeBootScript)
        })?
        .unwrap_or(BOOT_SCRIPT),
        tftp_server: optional(s.get(Field::TftpServer), |v| {
            r.validated(v, Field::TftpServer, Host::read_address)
        })?,
        tftp_root: optional(s.get(Field::TftpRoot), |v| r.local_path(v, Field::TftpRoot))?,
        pxe_bootfile: optional(s.get(Field::PxeBootfileName), |v| {
            r.name(v, Field::PxeBootfileName)
        })?
        .unwrap_or(bios_loader),
        uefi_x64_bootfile: optional(s.get(Field::UefiX64BootfileName), |v| {
            r.name(v, Field::UefiX64BootfileName)
        })?
        .unwrap_or(x64_loader),
        uefi_arm64_bootfile: optional(s.get(Field::UefiArm64BootfileName), |v| {
            r.name(v, Field::UefiArm64BootfileName)
        })?
        .unwrap_or(UEFI_ARM64_BOOTFILE),
        per_mac_dir: optional(s.get(Field::PerMacDir), |v| r.name(v, Field::PerMacDir))?
            .unwrap_or(PER_MAC_DIR),
        timeout_ms: optional(s.get(Field::TimeoutMs), |v| {
            r.timeout_ms(v, Field::TimeoutMs)
        })?
        .unwrap_or(TIMEOUT_DEFAULT_MS),
        retries: optional(s.get(Field::Retries), |v| r.retries(v, Field::Retries))?
            .unwrap_or(RETRIES_DEFAULT),
        on_retries_exhausted: on_retries_exhausted.unwrap_or_default(),
        fallback,
        kernel_args: optional(s.get(Field::KernelArgs), |v| {
            r.kernel_args(v, Field::KernelArgs)
        })?
        .unwrap_or(KernelArgs::EMPTY),
        deploy_kernel: optional(s.get(Field::DeployKernel), |v| {
            r.source(v, Field::DeployKernel)
        })?,
        deploy_ramdisk: optional(s.get(Field::DeployRamdisk), |v| {
            r.source(v, Field::DeployRamdisk)
        })?,
        boot_script_template: optional(s.get(Field::IpxeBootScriptTemplate), |v| {
            r.template(v, Field::IpxeBootScriptTemplate)
        })?,
        config_template: {
            let field = if ipxe_enabled {
                Field::IpxeConfigTemplate
            } else {
                Field::PxeConfigTemplate
            };
            optional(s.get(field), |v| r.template(v, field))?
        },
        grub_config_template: optional(s.get(Field::GrubConfigTemplate), |v| {
            r.template(v, Field::GrubConfigTemplate)
        })?,
        templates: &[],
    };
    Ok((config, nodes))
}

/// Reads a node's `nics`; gives them and where the array ends (just after its `]`). Each
/// element's bytes are scanned once.
fn read_nics(r: Reader, value: &Value<'_>) -> Result<(heapless::Vec<Nic, NICS_MAX>, usize)> {
    let mut nics = heapless::Vec::new();
    let mut items = value.elements().map_err(located(Field::Nics, value))?;
    let mut i = 0;
    while let Some(item) = items.next_lazy() {
        let item = item.map_err(|e| e.in_field(Field::Nics))?;
        let (nic, end) = read_nic(r, &item).map_err(|e| e.in_item(i))?;
        items.resume_after(end);
        nics.push(nic).map_err(|_| {
            kind_at(Field::Nics, &item)(ErrorKind::TooMany {
                max: u16::try_from(NICS_MAX).unwrap_or(u16::MAX),
            })
        })?;
        i += 1;
    }
    if nics.is_empty() {
        return Err(kind_at(Field::Nics, value)(ErrorKind::Empty));
    }
    let end = items.end().ok_or_else(|| Error::new(ErrorKind::Internal))?;
    Ok((nics, end))
}

/// Reads an element of `nics` (given by a lazy walk); gives it and where it ends.
fn read_nic(r: Reader, item: &Value<'_>) -> Result<(Nic, usize)> {
    if item.is_string() {
        let end = item.end_in_document()?;
        let item = item.within(item.offset(), end);
        let mac = r.copied::<_, 32>(&item, Field::NicMac, MacAddr::parse)?;
        return Ok((Nic { mac, pxe: true }, end));
    }
    let s = NicSlots::collect(*item, Scope::Nic).map_err(in_object_field(Field::NicMac))?;
    let mac_value = s.required(Field::NicMac, item.offset())?;
    let mac = r.copied::<_, 32>(&mac_value, Field::NicMac, MacAddr::parse)?;
    let pxe = optional(s.get(Field::NicPxe), |v| r.flag(v, Field::NicPxe))?.unwrap_or(true);
    Ok((Nic { mac, pxe }, s.end))
}

fn check_iqn(t: &str) -> Result<(), ErrorKind> {
    let body_ok = t
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
    let prefix_ok = ["iqn.", "eui.", "naa."]
        .iter()
        .any(|p| t.len() > p.len() && t.starts_with(p));
    if !body_ok || !prefix_ok {
        return Err(ErrorKind::InvalidIqn);
    }
    if t.len() > IQN_MAX {
        return Err(too_long(IQN_MAX));
    }
    Ok(())
}

fn read_iqn<'a>(r: Reader, value: &Value<'a>, field: Field) -> Result<Iqn<'a>> {
    r.borrowed(
        value,
        field,
        |t| unescaped::<URL_MAX>(t, check_iqn).map(Iqn),
        |t| Iqn(t.raw()),
    )
}

fn chap_value<'a>(r: Reader, value: &Value<'a>, field: Field) -> Result<ChapValue<'a>> {
    let check = |text: JsonStr<'a>| {
        let literal = |s: &str| check_literal(s, Position::AfterOptions);
        match text.plain() {
            Some(s) if s.len() > CHAP_MAX => return Err(too_long(CHAP_MAX)),
            Some(s) => literal(s)?,
            None => with_decoded::<CHAP_MAX, _>(text, literal)?,
        }
        Ok(ChapValue(text))
    };
    r.borrowed(value, field, check, ChapValue)
}

fn read_target<'a>(r: Reader, item: &Value<'a>) -> Result<IscsiTarget<'a>> {
    let s = TargetSlots::collect(*item, Scope::IscsiTarget)
        .map_err(in_object_field(Field::IscsiServer))?;
    let at = item.offset();
    let server = s.required(Field::IscsiServer, at)?;
    let server = r.borrowed(&server, Field::IscsiServer, Host::read_address, |t| {
        Host::parse_address(t.raw()).unwrap_or(Host::Name(t.raw()))
    })?;
    let port = optional(s.get(Field::IscsiPort), |v| {
        let p = r.number(v, Field::IscsiPort)?;
        u16::try_from(p).map_err(|_| kind_at(Field::IscsiPort, v)(not_in_range(Field::IscsiPort)))
    })?;
    let lun = optional(s.get(Field::IscsiLun), |v| r.number(v, Field::IscsiLun))?.unwrap_or(0);
    let iqn = read_iqn(r, &s.required(Field::IscsiIqn, at)?, Field::IscsiIqn)?;
    let username = optional(s.get(Field::IscsiUsername), |v| {
        chap_value(r, v, Field::IscsiUsername)
    })?;
    let password = optional(s.get(Field::IscsiPassword), |v| {
        chap_value(r, v, Field::IscsiPassword)
    })?;
    let chap = match (username, password) {
        (Some(username), Some(password)) => Some(Chap { username, password }),
        (None, None) => None,
        (Some(_), None) => {
            return Err(Error::at(ErrorKind::MissingField, Field::IscsiPassword).at_offset(at));
        }
        (None, Some(_)) => {
            return Err(Error::at(ErrorKind::MissingField, Field::IscsiUsername).at_offset(at));
        }
    };
    Ok(IscsiTarget {
        server,
        port,
        lun,
        iqn,
        chap,
    })
}

fn read_targets<'a>(
    r: Reader,
    value: &Value<'a>,
) -> Result<heapless::Vec<IscsiTarget<'a>, ISCSI_TARGETS_MAX>> {
    let mut targets = heapless::Vec::new();
    for (i, item) in value
        .elements()
        .map_err(located(Field::Iscsi, value))?
        .enumerate()
    {
        let item = item.map_err(|e| e.in_field(Field::Iscsi))?;
        let target = read_target(r, &item).map_err(|e| e.in_item(i))?;
        targets.push(target).map_err(|_| {
            kind_at(Field::Iscsi, &item)(ErrorKind::TooMany {
                max: u16::try_from(ISCSI_TARGETS_MAX).unwrap_or(u16::MAX),
            })
        })?;
    }
    if targets.is_empty() {
        return Err(kind_at(Field::Iscsi, value)(ErrorKind::Empty));
    }
    Ok(targets)
}

fn image<'a>(
    r: Reader,
    value: Option<Value<'a>>,
    field: Field,
    name: ImageName,
    at: usize,
) -> Result<Image<'a>> {
    let value = value.ok_or_else(|| Error::at(ErrorKind::MissingField, field).at_offset(at))?;
    Ok(Image {
        source: r.source(&value, field)?,
        name,
        field,
    })
}

fn read_boot<'a>(
    r: Reader,
    s: &NodeSlots<'a>,
    mode: Mode,
    config: &SiteConfig<'a>,
    at: usize,
) -> Result<Boot<'a>> {
    Ok(match mode {
        Mode::Deploy => {
            let from_site = |source: Option<Source<'a>>, name, field| {
                source.map(|source| Image {
                    source,
                    name,
                    field,
                })
            };
            let kernel = match s.get(Field::Kernel) {
                Some(v) => image(r, Some(v), Field::Kernel, ImageName::DeployKernel, at)?,
                None => from_site(
                    config.deploy_kernel,
                    ImageName::DeployKernel,
                    Field::DeployKernel,
                )
                .ok_or_else(|| Error::at(ErrorKind::MissingField, Field::Kernel).at_offset(at))?,
            };
            let ramdisk = match s.get(Field::Ramdisk) {
                Some(v) => image(r, Some(v), Field::Ramdisk, ImageName::DeployRamdisk, at)?,
                None => from_site(
                    config.deploy_ramdisk,
                    ImageName::DeployRamdisk,
                    Field::DeployRamdisk,
                )
                .ok_or_else(|| Error::at(ErrorKind::MissingField, Field::Ramdisk).at_offset(at))?,
            };
            Boot::Deploy { kernel, ramdisk }
        }
        Mode::Local => Boot::Local,
        Mode::Ramdisk => Boot::Ramdisk {
            kernel: image(
                r,
                s.get(Field::Kernel),
                Field::Kernel,
                ImageName::Kernel,
                at,
            )?,
            ramdisk: image(
                r,
                s.get(Field::Ramdisk),
                Field::Ramdisk,
                ImageName::Ramdisk,
                at,
            )?,
        },
        Mode::Iso => Boot::Iso {
            iso: image(r, s.get(Field::Iso), Field::Iso, ImageName::BootIso, at)?,
        },
        Mode::Iscsi => Boot::Iscsi {
            targets: read_targets(r, &s.required(Field::Iscsi, at)?)?,
            initiator_iqn: optional(s.get(Field::InitiatorIqn), |v| {
                read_iqn(r, v, Field::InitiatorIqn)
            })?,
        },
        Mode::Anaconda => {
            let kernel = image(
                r,
                s.get(Field::Kernel),
                Field::Kernel,
                ImageName::Kernel,
                at,
            )?;
            let ramdisk = image(
                r,
                s.get(Field::Ramdisk),
                Field::Ramdisk,
                ImageName::Ramdisk,
                at,
            )?;
            let kickstart = r.url(&s.required(Field::Kickstart, at)?, Field::Kickstart)?;
            let source = match (s.get(Field::Repo), s.get(Field::Stage2)) {
                (Some(repo), None) => InstallSource::Repo(r.url(&repo, Field::Repo)?),
                (None, Some(stage2)) => InstallSource::Stage2(r.url(&stage2, Field::Stage2)?),
                (Some(_), Some(stage2)) => {
                    return Err(kind_at(Field::Stage2, &stage2)(ErrorKind::Conflicting));
                }
                (None, None) => {
                    return Err(Error::at(ErrorKind::MissingField, Field::Repo).at_offset(at));
                }
            };
            Boot::Anaconda {
                kernel,
                ramdisk,
                kickstart,
                source,
            }
        }
        Mode::Chain => Boot::Chain {
            url: r.url(&s.required(Field::ChainUrl, at)?, Field::ChainUrl)?,
        },
    })
}

/// Reads one element of `nodes`; gives the node and where the element ends (just after its
/// `}`).
pub(crate) fn read_node<'a>(
    r: Reader,
    value: &Value<'a>,
    config: &SiteConfig<'a>,
) -> Result<(Node<'a>, usize)> {
    // A checked document has no errors to report in table order: its nics are read where
    // they are, and not scanned twice.
    let mut nics = None;
    let s = if r.full() {
        NodeSlots::collect(*value, Scope::Node)?
    } else {
        NodeSlots::collect_reading(*value, Scope::Node, |field, v| {
            if field != Field::Nics {
                return Ok(None);
            }
            let (read, end) = read_nics(r, v)?;
            nics = Some(read);
            Ok(Some(end))
        })?
    };
    let end = s.end;
    let at = value.offset();
    let id_value = s.required(Field::NodeId, at)?;
    let id = r.borrowed(&id_value, Field::NodeId, NodeId::read, |t| {
        NodeId::trusted(t.raw())
    })?;
    let nics = match nics {
        Some(nics) => nics,
        None => read_nics(r, &s.required(Field::Nics, at)?)?.0,
    };
    let mode = r.word(&s.required(Field::Mode, at)?, Field::Mode, Mode::from_word)?;
    if r.full() {
        for info in fields_of(Scope::Node).iter() {
            if !info.modes.contains(mode) {
                s.refuse(info.field)?;
            }
        }
        s.refuse_other_flow(config.ipxe_enabled)?;
    }
    let firmware = optional(s.get(Field::Firmware), |v| {
        r.word(v, Field::Firmware, Firmware::from_word)
    })?
    .unwrap_or_default();
    let boot = read_boot(r, &s, mode, config, at)?;
    let mut kernel_args = NodeArgs::default();
    if boot.images().iter().any(Option::is_some) && !matches!(boot, Boot::Iso { .. }) {
        let own = optional(s.get(Field::NodeKernelArgs), |v| {
            r.kernel_args(v, Field::NodeKernelArgs)
        })?;
        kernel_args = NodeArgs::join(config.kernel_args, own.unwrap_or(KernelArgs::EMPTY))
            .map_err(|k| match s.get(Field::NodeKernelArgs) {
                Some(v) => kind_at(Field::NodeKernelArgs, &v)(k),
                None => Error::at(k, Field::KernelArgs),
            })?;
    }
    let hostname = optional(s.get(Field::Hostname), |v| {
        r.borrowed(v, Field::Hostname, Host::read_name, |t| t.raw())
    })?;
    let ipv4 = optional(s.get(Field::Ipv4), |v| {
        r.copied::<_, 64>(v, Field::Ipv4, |t| {
            let addr = parse_ipv4(t).ok_or(ErrorKind::InvalidHost)?;
            reservable_v4(addr)
                .then_some(addr)
                .ok_or(ErrorKind::NotReservable)
        })
    })?;
    let ipv6 = optional(s.get(Field::Ipv6), |v| {
        r.copied::<_, 64>(v, Field::Ipv6, |t| {
            let addr = parse_ipv6(t).ok_or(ErrorKind::InvalidHost)?;
            reservable_v6(addr)
                .then_some(addr)
                .ok_or(ErrorKind::NotReservable)
        })
    })?;
    let system_uuid = optional(s.get(Field::SystemUuid), |v| {
        r.copied::<_, 64>(v, Field::SystemUuid, SystemUuid::parse)
    })?;
    let node = Node {
        id,
        hostname,
        ipv4,
        ipv6,
        system_uuid,
        nics,
        firmware,
        boot,
        kernel_args,
        timeout_ms: optional(s.get(Field::NodeTimeoutMs), |v| {
            r.timeout_ms(v, Field::NodeTimeoutMs)
        })?
        .unwrap_or(config.timeout_ms),
        retries: optional(s.get(Field::NodeRetries), |v| {
            r.retries(v, Field::NodeRetries)
        })?
        .unwrap_or(config.retries),
        config_template: {
            let field = if config.ipxe_enabled {
                Field::NodeIpxeConfigTemplate
            } else {
                Field::NodePxeConfigTemplate
            };
            optional(s.get(field), |v| r.template(v, field))?.or(config.config_template)
        },
        grub_config_template: optional(s.get(Field::NodeGrubConfigTemplate), |v| {
            r.template(v, Field::NodeGrubConfigTemplate)
        })?
        .or(config.grub_config_template),
    };
    Ok((node, end))
}

/// `true` for an IPv4 address a DHCP server can reserve for one host: not 0.0.0.0, not the
/// limited broadcast 255.255.255.255, not multicast (224.0.0.0/4), not loopback (127/8).
fn reservable_v4(addr: Ipv4Addr) -> bool {
    !(addr.is_unspecified() || addr.is_broadcast() || addr.is_multicast() || addr.is_loopback())
}

/// `true` for an IPv6 address a DHCPv6 server can reserve for one host: not `::`, not `::1`,
/// not multicast (`ff00::/8`).
fn reservable_v6(addr: Ipv6Addr) -> bool {
    !(addr.is_unspecified() || addr.is_loopback() || addr.is_multicast())
}

/// The `id` of a node object as written, if it is a plain string (no escapes): names a node
/// in an error even when the node itself is invalid.
pub(crate) fn raw_id<'a>(node: &Value<'a>) -> Option<&'a str> {
    node.members()
        .ok()?
        .filter_map(|m| m.ok())
        .find(|m| m.key == b"id")?
        .value
        .string()
        .ok()?
        .plain()
}
