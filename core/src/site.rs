//! Reading the site document (JSON).
//!
//! The top-level object is read and validated whole into a [`SiteConfig`]; the `nodes` array
//! is kept as a byte range and read one node at a time by [`Site::nodes`], so memory does not
//! grow with the number of nodes. Every value is validated on the way in: what comes out can
//! be written by every generator as it is. Fields are checked in a fixed order, whatever the
//! order of keys in the document, so the first error reported is always the same one.
//!
//! ```json
//! { "schema": 1, "http_server": "192.0.2.10:8080", "http_root": "/srv/http",
//!   "nodes": [ { "id": "node1", "nics": ["52:54:00:12:34:56"], "mode": "deploy",
//!                "kernel": "/srv/images/ipa.kernel", "ramdisk": "/srv/images/ipa.initramfs" } ] }
//! ```

use crate::error::{Error, ErrorKind, Field, Result};
use crate::json::{self, Member, Value};
use crate::limits::{
    ISCSI_TARGETS_MAX, NICS_MAX, RETRIES_DEFAULT, RETRIES_MAX, TIMEOUT_DEFAULT_MS, TIMEOUT_MAX_MS,
    TIMEOUT_MIN_MS, URL_MAX,
};
use crate::model::text::{bounded, literal_in};
use crate::model::{
    Boot, Chap, ChapValue, FETCH_SCHEMES, Firmware, Host, HttpBase, Image, InstallSource, Iqn,
    IscsiTarget, KernelArgs, LocalPath, MacAddr, Mode, Name, Nic, Node, NodeId, OnRetriesExhausted,
    Position, ScriptRef, SiteConfig, Source, Url,
};
use crate::schema::{Scope, fields_of, scope_len};
use core::net::{Ipv4Addr, Ipv6Addr};

/// The schema version this build reads.
pub const SCHEMA_VERSION: u32 = 1;

/// A parsed site: its validated settings and its (not yet read) nodes.
#[derive(Clone, Debug)]
pub struct Site<'a> {
    config: SiteConfig,
    nodes: Option<Value<'a>>,
}

/// Most fields an object of one scope has (a node's: see [`crate::schema`]).
const SCOPE_FIELDS_MAX: usize = 20;
const _: () = assert!(
    scope_len(Scope::Site) <= SCOPE_FIELDS_MAX
        && scope_len(Scope::Node) <= SCOPE_FIELDS_MAX
        && scope_len(Scope::Nic) <= SCOPE_FIELDS_MAX
        && scope_len(Scope::IscsiTarget) <= SCOPE_FIELDS_MAX
);

/// The values of an object's known keys (the schema's fields of its scope, in table
/// order), collected before any is validated.
struct Slots<'a> {
    scope: Scope,
    values: [Option<Value<'a>>; SCOPE_FIELDS_MAX],
}

impl<'a> Slots<'a> {
    fn collect(object: Value<'a>, scope: Scope) -> Result<Self> {
        let mut slots = Slots {
            scope,
            values: [None; SCOPE_FIELDS_MAX],
        };
        for member in object.members()? {
            let Member {
                key,
                key_offset,
                value,
            } = member?;
            let found = fields_of(scope)
                .enumerate()
                .find(|(_, info)| info.key.as_bytes() == key);
            let Some((index, info)) = found else {
                return Err(Error::new(ErrorKind::UnknownField).at_offset(key_offset));
            };
            match slots.values.get_mut(index) {
                Some(slot @ None) => *slot = Some(value),
                Some(Some(_)) => {
                    return Err(
                        Error::at(ErrorKind::DuplicateField, info.field).at_offset(key_offset)
                    );
                }
                None => return Err(Error::new(ErrorKind::Internal)),
            }
        }
        Ok(slots)
    }

    fn get(&self, field: Field) -> Option<Value<'a>> {
        let index = fields_of(self.scope).position(|info| info.field == field)?;
        self.values
            .get(index)
            .copied()
            .flatten()
            .filter(|v| !v.is_null())
    }

    fn required(&self, field: Field, offset: usize) -> Result<Value<'a>> {
        self.get(field)
            .ok_or_else(|| Error::at(ErrorKind::MissingField, field).at_offset(offset))
    }

    /// Fails if `field` was given although it does not apply.
    fn refuse(&self, field: Field) -> Result<()> {
        match self.get(field) {
            Some(v) => Err(Error::at(ErrorKind::NotForMode, field).at_offset(v.offset())),
            None => Ok(()),
        }
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

/// A string value with its JSON escapes undone, at most `N` bytes.
fn text<const N: usize>(value: &Value<'_>, field: Field) -> Result<heapless::String<N>> {
    let mut out = heapless::String::new();
    json::unescape_into(value.string().map_err(located(field, value))?, &mut out)
        .map_err(located(field, value))?;
    Ok(out)
}

fn parse_text<T, const N: usize>(
    value: &Value<'_>,
    field: Field,
    parse: impl Fn(&str) -> Result<T, ErrorKind>,
) -> Result<T> {
    let s = text::<N>(value, field)?;
    parse(&s).map_err(kind_at(field, value))
}

fn url(value: &Value<'_>, field: Field) -> Result<Url> {
    parse_text::<_, URL_MAX>(value, field, |s| Url::parse(s, FETCH_SCHEMES))
}

fn source(value: &Value<'_>, field: Field) -> Result<Source> {
    parse_text::<_, URL_MAX>(value, field, |s| {
        if s.contains("://") {
            Url::parse(s, FETCH_SCHEMES).map(Source::Url)
        } else {
            LocalPath::parse(s).map(Source::File)
        }
    })
}

fn name(value: &Value<'_>, field: Field) -> Result<Name> {
    parse_text::<_, URL_MAX>(value, field, Name::parse)
}

fn kernel_args(value: &Value<'_>, field: Field) -> Result<KernelArgs> {
    parse_text::<_, { crate::limits::KERNEL_ARGS_MAX }>(value, field, KernelArgs::parse)
}

fn timeout_ms(value: &Value<'_>, field: Field) -> Result<u32> {
    let ms = value.u32().map_err(located(field, value))?;
    if ms < TIMEOUT_MIN_MS {
        return Err(kind_at(field, value)(ErrorKind::TimeoutNotMilliseconds));
    }
    if ms > TIMEOUT_MAX_MS {
        return Err(kind_at(field, value)(ErrorKind::OutOfRange {
            min: TIMEOUT_MIN_MS,
            max: TIMEOUT_MAX_MS,
        }));
    }
    Ok(ms)
}

fn retries(value: &Value<'_>, field: Field) -> Result<u8> {
    let n = value.u32().map_err(located(field, value))?;
    u8::try_from(n)
        .ok()
        .filter(|n| *n <= RETRIES_MAX)
        .ok_or_else(|| {
            kind_at(field, value)(ErrorKind::OutOfRange {
                min: 0,
                max: u32::from(RETRIES_MAX),
            })
        })
}

fn optional<T>(
    value: Option<Value<'_>>,
    read: impl FnOnce(&Value<'_>) -> Result<T>,
) -> Result<Option<T>> {
    value.as_ref().map(read).transpose()
}

fn default_name(s: &str) -> Result<Name> {
    Name::parse(s).map_err(|_| Error::new(ErrorKind::Internal))
}

impl<'a> Site<'a> {
    /// Parses and validates the site settings of `doc`. Nodes are read later, one at a time.
    ///
    /// # Errors
    /// The first problem found, with its field and byte offset.
    pub fn parse(doc: &'a [u8]) -> Result<Self> {
        let root = json::document(doc)?;
        let s = Slots::collect(root, Scope::Site)?;
        let at = root.offset();

        let schema = s.required(Field::Schema, at)?;
        if schema.u32().map_err(located(Field::Schema, &schema))? != SCHEMA_VERSION {
            return Err(kind_at(Field::Schema, &schema)(
                ErrorKind::UnsupportedSchema,
            ));
        }
        let http_server = s.required(Field::HttpServer, at)?;
        let http_root = s.required(Field::HttpRoot, at)?;
        let nodes = s.get(Field::Nodes);
        if let Some(nodes) = &nodes {
            nodes.elements().map_err(located(Field::Nodes, nodes))?;
        }
        let fallback = optional(s.get(Field::FallbackScript), |v| {
            parse_text::<_, URL_MAX>(v, Field::FallbackScript, |t| {
                if t.contains("://") {
                    Url::parse(t, FETCH_SCHEMES).map(ScriptRef::Url)
                } else {
                    Name::parse(t).map(ScriptRef::Relative)
                }
            })
        })?;
        let on_retries_exhausted = optional(s.get(Field::OnRetriesExhausted), |v| {
            parse_text::<_, 16>(v, Field::OnRetriesExhausted, |t| {
                OnRetriesExhausted::from_word(t).ok_or(ErrorKind::UnknownValue)
            })
        })?;
        let config = SiteConfig {
            http_base: parse_text::<_, URL_MAX>(&http_server, Field::HttpServer, HttpBase::parse)?,
            http_root: parse_text::<_, URL_MAX>(&http_root, Field::HttpRoot, LocalPath::parse)?,
            boot_script: optional(s.get(Field::IpxeBootScript), |v| {
                name(v, Field::IpxeBootScript)
            })?
            .map_or_else(|| default_name("boot.ipxe"), Ok)?,
            tftp_server: optional(s.get(Field::TftpServer), |v| {
                parse_text::<_, URL_MAX>(v, Field::TftpServer, Host::parse_address)
            })?,
            tftp_root: optional(s.get(Field::TftpRoot), |v| {
                parse_text::<_, URL_MAX>(v, Field::TftpRoot, LocalPath::parse)
            })?,
            pxe_bootfile: optional(s.get(Field::PxeBootfileName), |v| {
                name(v, Field::PxeBootfileName)
            })?
            .map_or_else(|| default_name("undionly.kpxe"), Ok)?,
            uefi_x64_bootfile: optional(s.get(Field::UefiX64BootfileName), |v| {
                name(v, Field::UefiX64BootfileName)
            })?
            .map_or_else(|| default_name("snponly.efi"), Ok)?,
            uefi_arm64_bootfile: optional(s.get(Field::UefiArm64BootfileName), |v| {
                name(v, Field::UefiArm64BootfileName)
            })?
            .map_or_else(|| default_name("snponly-arm64.efi"), Ok)?,
            per_mac_dir: optional(s.get(Field::PerMacDir), |v| name(v, Field::PerMacDir))?
                .map_or_else(|| default_name("pxelinux.cfg"), Ok)?,
            timeout_ms: optional(s.get(Field::TimeoutMs), |v| timeout_ms(v, Field::TimeoutMs))?
                .unwrap_or(TIMEOUT_DEFAULT_MS),
            retries: optional(s.get(Field::Retries), |v| retries(v, Field::Retries))?
                .unwrap_or(RETRIES_DEFAULT),
            on_retries_exhausted: on_retries_exhausted.unwrap_or_default(),
            fallback,
            kernel_args: optional(s.get(Field::KernelArgs), |v| {
                kernel_args(v, Field::KernelArgs)
            })?
            .unwrap_or_default(),
            deploy_kernel: optional(s.get(Field::DeployKernel), |v| {
                source(v, Field::DeployKernel)
            })?,
            deploy_ramdisk: optional(s.get(Field::DeployRamdisk), |v| {
                source(v, Field::DeployRamdisk)
            })?,
        };
        Ok(Site { config, nodes })
    }

    /// The validated site settings.
    pub fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// The nodes, read and validated one at a time, in document order.
    pub fn nodes(&self) -> Nodes<'a, '_> {
        Nodes {
            items: self.nodes.and_then(|v| v.elements().ok()),
            index: 0,
            config: &self.config,
        }
    }

    /// Reads and validates every node, for a caller that must refuse a site with any bad
    /// node. Returns how many nodes there are.
    ///
    /// # Errors
    /// The first invalid node's error.
    pub fn check_nodes(&self) -> Result<usize> {
        let mut count = 0;
        for node in self.nodes() {
            node?;
            count += 1;
        }
        Ok(count)
    }

    /// The node with this id.
    ///
    /// # Errors
    /// The first invalid node met on the way, or [`ErrorKind::NodeNotFound`].
    pub fn node_by_id(&self, id: &str) -> Result<Node> {
        self.find(|node| node.id.as_str() == id)
    }

    /// The node with a NIC of this MAC address.
    ///
    /// # Errors
    /// The first invalid node met on the way, or [`ErrorKind::NodeNotFound`].
    pub fn node_by_mac(&self, mac: MacAddr) -> Result<Node> {
        self.find(|node| node.nics.iter().any(|nic| nic.mac == mac))
    }

    fn find(&self, wanted: impl Fn(&Node) -> bool) -> Result<Node> {
        for node in self.nodes() {
            let node = node?;
            if wanted(&node) {
                return Ok(node);
            }
        }
        Err(Error::at(ErrorKind::NodeNotFound, Field::Selector))
    }
}

/// Iterator over the nodes of a site; see [`Site::nodes`].
pub struct Nodes<'a, 's> {
    items: Option<json::Items<'a>>,
    index: usize,
    config: &'s SiteConfig,
}

impl Iterator for Nodes<'_, '_> {
    type Item = Result<Node>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.items.as_mut()?.next()?;
        let index = self.index;
        self.index += 1;
        Some(
            item.and_then(|value| read_node(&value, self.config))
                .map_err(|e| e.in_node(index)),
        )
    }
}

fn read_mode(value: &Value<'_>) -> Result<Mode> {
    parse_text::<_, 16>(value, Field::Mode, |t| {
        Mode::from_word(t).ok_or(ErrorKind::UnknownValue)
    })
}

fn read_nics(value: &Value<'_>) -> Result<heapless::Vec<Nic, NICS_MAX>> {
    let mut nics = heapless::Vec::new();
    let items = value.elements().map_err(located(Field::Nics, value))?;
    for (i, item) in items.enumerate() {
        let item = item.map_err(|e| e.in_field(Field::Nics))?;
        let nic = read_nic(&item).map_err(|e| e.in_item(i))?;
        nics.push(nic).map_err(|_| {
            kind_at(Field::Nics, &item)(ErrorKind::TooMany {
                max: u16::try_from(NICS_MAX).unwrap_or(u16::MAX),
            })
        })?;
    }
    if nics.is_empty() {
        return Err(kind_at(Field::Nics, value)(ErrorKind::Empty));
    }
    Ok(nics)
}

fn read_nic(item: &Value<'_>) -> Result<Nic> {
    if item.is_string() {
        let mac = parse_text::<_, 32>(item, Field::NicMac, MacAddr::parse)?;
        return Ok(Nic { mac, pxe: true });
    }
    let s = Slots::collect(*item, Scope::Nic).map_err(|e| e.in_field(Field::NicMac))?;
    let mac_value = s.required(Field::NicMac, item.offset())?;
    let mac = parse_text::<_, 32>(&mac_value, Field::NicMac, MacAddr::parse)?;
    let pxe = optional(s.get(Field::NicPxe), |v| {
        v.bool().map_err(located(Field::NicPxe, v))
    })?
    .unwrap_or(true);
    Ok(Nic { mac, pxe })
}

fn read_iqn(value: &Value<'_>, field: Field) -> Result<Iqn> {
    parse_text::<_, URL_MAX>(value, field, |t| {
        let body_ok = t
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'));
        let prefix_ok = ["iqn.", "eui.", "naa."]
            .iter()
            .any(|p| t.len() > p.len() && t.starts_with(p));
        if !body_ok || !prefix_ok {
            return Err(ErrorKind::InvalidIqn);
        }
        bounded(t).map(Iqn)
    })
}

fn chap_value(value: &Value<'_>, field: Field) -> Result<ChapValue> {
    let t = text::<{ crate::limits::CHAP_MAX }>(value, field)?;
    literal_in(&t, field, Position::AfterOptions).map_err(|e| e.at_offset(value.offset()))?;
    Ok(ChapValue(t))
}

fn read_target(item: &Value<'_>) -> Result<IscsiTarget> {
    let s =
        Slots::collect(*item, Scope::IscsiTarget).map_err(|e| e.in_field(Field::IscsiServer))?;
    let at = item.offset();
    let server = s.required(Field::IscsiServer, at)?;
    let server = parse_text::<_, URL_MAX>(&server, Field::IscsiServer, Host::parse_address)?;
    let port = optional(s.get(Field::IscsiPort), |v| {
        let p = v.u32().map_err(located(Field::IscsiPort, v))?;
        u16::try_from(p)
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| kind_at(Field::IscsiPort, v)(ErrorKind::InvalidPort))
    })?;
    let lun = optional(s.get(Field::IscsiLun), |v| {
        let lun = v.u32().map_err(located(Field::IscsiLun, v))?;
        if lun > 0x3fff {
            return Err(kind_at(Field::IscsiLun, v)(ErrorKind::OutOfRange {
                min: 0,
                max: 0x3fff,
            }));
        }
        Ok(lun)
    })?
    .unwrap_or(0);
    let iqn = read_iqn(&s.required(Field::IscsiIqn, at)?, Field::IscsiIqn)?;
    let username = optional(s.get(Field::IscsiUsername), |v| {
        chap_value(v, Field::IscsiUsername)
    })?;
    let password = optional(s.get(Field::IscsiPassword), |v| {
        chap_value(v, Field::IscsiPassword)
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

fn read_targets(value: &Value<'_>) -> Result<heapless::Vec<IscsiTarget, ISCSI_TARGETS_MAX>> {
    let mut targets = heapless::Vec::new();
    for (i, item) in value
        .elements()
        .map_err(located(Field::Iscsi, value))?
        .enumerate()
    {
        let item = item.map_err(|e| e.in_field(Field::Iscsi))?;
        let target = read_target(&item).map_err(|e| e.in_item(i))?;
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

fn image(value: Option<Value<'_>>, field: Field, name: &'static str, at: usize) -> Result<Image> {
    let value = value.ok_or_else(|| Error::at(ErrorKind::MissingField, field).at_offset(at))?;
    Ok(Image {
        source: source(&value, field)?,
        name,
    })
}

fn read_node(value: &Value<'_>, config: &SiteConfig) -> Result<Node> {
    let s = Slots::collect(*value, Scope::Node)?;
    let at = value.offset();
    let id_value = s.required(Field::NodeId, at)?;
    let id = parse_text::<_, 128>(&id_value, Field::NodeId, NodeId::parse)?;
    let nics = read_nics(&s.required(Field::Nics, at)?)?;
    let mode = read_mode(&s.required(Field::Mode, at)?)?;
    for info in fields_of(Scope::Node) {
        if !info.modes.contains(mode) {
            s.refuse(info.field)?;
        }
    }
    let firmware = optional(s.get(Field::Firmware), |v| {
        parse_text::<_, 16>(v, Field::Firmware, |t| {
            Firmware::from_word(t).ok_or(ErrorKind::UnknownValue)
        })
    })?
    .unwrap_or_default();
    let boot = match mode {
        Mode::Deploy => {
            let from_site =
                |source: &Option<Source>, name| source.clone().map(|source| Image { source, name });
            let kernel = match s.get(Field::Kernel) {
                Some(v) => image(Some(v), Field::Kernel, "deploy_kernel", at)?,
                None => from_site(&config.deploy_kernel, "deploy_kernel").ok_or_else(|| {
                    Error::at(ErrorKind::MissingField, Field::Kernel).at_offset(at)
                })?,
            };
            let ramdisk = match s.get(Field::Ramdisk) {
                Some(v) => image(Some(v), Field::Ramdisk, "deploy_ramdisk", at)?,
                None => from_site(&config.deploy_ramdisk, "deploy_ramdisk").ok_or_else(|| {
                    Error::at(ErrorKind::MissingField, Field::Ramdisk).at_offset(at)
                })?,
            };
            Boot::Deploy { kernel, ramdisk }
        }
        Mode::Local => Boot::Local,
        Mode::Ramdisk => Boot::Ramdisk {
            kernel: image(s.get(Field::Kernel), Field::Kernel, "kernel", at)?,
            ramdisk: image(s.get(Field::Ramdisk), Field::Ramdisk, "ramdisk", at)?,
        },
        Mode::Iso => Boot::Iso {
            iso: image(s.get(Field::Iso), Field::Iso, "boot_iso", at)?,
        },
        Mode::Iscsi => Boot::Iscsi {
            targets: read_targets(&s.required(Field::Iscsi, at)?)?,
            initiator_iqn: optional(s.get(Field::InitiatorIqn), |v| {
                read_iqn(v, Field::InitiatorIqn)
            })?,
        },
        Mode::Anaconda => {
            let kernel = image(s.get(Field::Kernel), Field::Kernel, "kernel", at)?;
            let ramdisk = image(s.get(Field::Ramdisk), Field::Ramdisk, "ramdisk", at)?;
            let kickstart = url(&s.required(Field::Kickstart, at)?, Field::Kickstart)?;
            let source = match (s.get(Field::Repo), s.get(Field::Stage2)) {
                (Some(repo), None) => InstallSource::Repo(url(&repo, Field::Repo)?),
                (None, Some(stage2)) => InstallSource::Stage2(url(&stage2, Field::Stage2)?),
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
            url: url(&s.required(Field::ChainUrl, at)?, Field::ChainUrl)?,
        },
    };
    let mut args = KernelArgs::default();
    if boot.images().iter().any(|i| i.is_some()) && !matches!(boot, Boot::Iso { .. }) {
        args = config.kernel_args.clone();
        if let Some(v) = s.get(Field::NodeKernelArgs) {
            let own = kernel_args(&v, Field::NodeKernelArgs)?;
            args.extend(&own)
                .map_err(kind_at(Field::NodeKernelArgs, &v))?;
        }
    }
    let hostname = optional(s.get(Field::Hostname), |v| {
        parse_text::<_, { crate::limits::HOST_MAX }>(v, Field::Hostname, |t| {
            match Host::parse_in_url(t)? {
                Host::Name(name) => Ok(name),
                Host::V4(_) | Host::V6(_) => Err(ErrorKind::InvalidHost),
            }
        })
    })?;
    let ipv4 = optional(s.get(Field::Ipv4), |v| {
        parse_text::<_, 64>(v, Field::Ipv4, |t| {
            t.parse::<Ipv4Addr>().map_err(|_| ErrorKind::InvalidHost)
        })
    })?;
    let ipv6 = optional(s.get(Field::Ipv6), |v| {
        parse_text::<_, 64>(v, Field::Ipv6, |t| {
            t.parse::<Ipv6Addr>().map_err(|_| ErrorKind::InvalidHost)
        })
    })?;
    Ok(Node {
        id,
        hostname,
        ipv4,
        ipv6,
        nics,
        firmware,
        boot,
        kernel_args: args,
        timeout_ms: optional(s.get(Field::NodeTimeoutMs), |v| {
            timeout_ms(v, Field::NodeTimeoutMs)
        })?
        .unwrap_or(config.timeout_ms),
        retries: optional(s.get(Field::NodeRetries), |v| {
            retries(v, Field::NodeRetries)
        })?
        .unwrap_or(config.retries),
    })
}

/// The `id` of node `index` as written in `doc`, if it is a plain string: lets a front end
/// name a node in an error even when the node itself is invalid.
pub fn raw_node_id(doc: &[u8], index: usize) -> Option<&str> {
    let root = json::document(doc).ok()?;
    let nodes = root
        .members()
        .ok()?
        .filter_map(|m| m.ok())
        .find(|m| m.key == b"nodes")?
        .value;
    let node = nodes.elements().ok()?.nth(index)?.ok()?;
    let id = node
        .members()
        .ok()?
        .filter_map(|m| m.ok())
        .find(|m| m.key == b"id")?
        .value;
    let raw = id.string().ok()?.0;
    (!raw.contains('\\')).then_some(raw)
}
