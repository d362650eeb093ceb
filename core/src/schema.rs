//! The site document's schema: ONE table of every field, from which everything else about
//! fields is generated: the [`Field`] enum, each field's JSON key and scope, the keys each
//! object reads, which boot modes take a node field, and the label and kind a form shows.
//!
//! Adding a field means adding its row here, its value to the model type, and its use in the
//! writer that needs it; the reader's key lists, the errors' names and the web form follow.

use crate::limits::{RETRIES_MAX, TIMEOUT_MAX_MS, TIMEOUT_MIN_MS};
use crate::model::{Firmware, Mode, OnRetriesExhausted};
use crate::site::SCHEMA_VERSION;

/// Which object a field belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The top-level site object.
    Site,
    /// An element of `nodes`.
    Node,
    /// An element of a node's `nics`.
    Nic,
    /// An element of a node's `iscsi`.
    IscsiTarget,
}

/// The shape of a field's value, which decides how a form edits it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A JSON string.
    Text,
    /// A JSON number.
    Number,
    /// `true` or `false`.
    Flag,
    /// One of a node's boot modes ([`Mode`]).
    Mode,
    /// One of the firmware words ([`Firmware`]).
    Firmware,
    /// One of the words of `on_retries_exhausted` ([`OnRetriesExhausted`]).
    OnRetriesExhausted,
    /// An array of objects or strings (`nodes`, `nics`, `iscsi`).
    List,
}

impl Kind {
    /// The words a field of this kind takes, for a choice (empty for free values).
    pub fn words(self) -> &'static [&'static str] {
        match self {
            Kind::Mode => &Mode::WORDS,
            Kind::Firmware => &Firmware::WORDS,
            Kind::OnRetriesExhausted => &OnRetriesExhausted::WORDS,
            Kind::Text | Kind::Number | Kind::Flag | Kind::List => &[],
        }
    }
}

/// A set of boot modes: the modes a node field applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Modes(u8);

impl Modes {
    /// Every mode (and every field that is not a node's).
    pub const ALL: Modes = Modes(u8::MAX);

    /// Exactly these modes.
    pub const fn of(modes: &[Mode]) -> Modes {
        let mut bits = 0u8;
        let mut rest = modes;
        while let [mode, tail @ ..] = rest {
            bits |= mode.bit();
            rest = tail;
        }
        Modes(bits)
    }

    /// `true` when `mode` is in the set.
    pub const fn contains(self, mode: Mode) -> bool {
        self.0 & mode.bit() != 0
    }

    /// `true` when the set holds every mode.
    pub const fn is_all(self) -> bool {
        self.0 == u8::MAX
    }
}

/// The boot flows that take a field: every site boots through iPXE (`ipxe_enabled`, the
/// default) or through the classic TFTP flow (PXELINUX for BIOS, GRUB for UEFI); a few fields
/// are iPXE's own and are refused, naming them, in a site that does not use iPXE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flows {
    /// Both flows.
    Both,
    /// Only the iPXE flow (`ipxe_enabled: true`).
    Ipxe,
    /// Only the classic TFTP flow (`ipxe_enabled: false`: PXELINUX and GRUB).
    Classic,
}

/// One row of the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldInfo {
    /// The field.
    pub field: Field,
    /// Its JSON key.
    pub key: &'static str,
    /// The object it belongs to.
    pub scope: Scope,
    /// What a form calls it.
    pub label: &'static str,
    /// The shape of its value.
    pub kind: Kind,
    /// The boot modes that take it (node fields; [`Modes::ALL`] for the others).
    pub modes: Modes,
    /// The boot flows that take it.
    pub flows: Flows,
    /// `true` when the web form has an editor for it (only `schema` has none: the form writes
    /// the one version there is).
    pub form: bool,
    /// For a number: the smallest and largest whole number it takes.
    pub range: Option<(u32, u32)>,
}

/// [`RETRIES_MAX`], as a range bound.
#[allow(
    clippy::as_conversions,
    reason = "widening in a const, where From is not callable"
)]
const RETRIES_RANGE_MAX: u32 = RETRIES_MAX as u32;
/// The largest TCP port, as a range bound.
#[allow(
    clippy::as_conversions,
    reason = "widening in a const, where From is not callable"
)]
const PORT_RANGE_MAX: u32 = u16::MAX as u32;

/// Modes that load a kernel and an initrd.
const KERNEL_MODES: Modes = Modes::of(&[Mode::Deploy, Mode::Ramdisk, Mode::Anaconda]);

macro_rules! schema {
    (
        pseudo {
            $( $(#[$pdoc:meta])* $pfield:ident = $pkey:literal; )*
        }
        $(
            $scope:ident {
                $( $field:ident = $key:literal, $label:literal, $kind:ident $(($min:expr, $max:expr))?, $modes:expr, $flows:ident, $form:literal; )*
            }
        )*
    ) => {
        /// A field of the site document (its key is what the JSON calls it), or one of the
        /// few places an error can be that are not in the document (the `pseudo` rows).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        #[allow(missing_docs, reason = "each field is documented by its row in the schema table")]
        pub enum Field {
            $( $( $field, )* )*
            $( $(#[$pdoc])* $pfield, )*
        }

        /// Every document field, in table order.
        pub const FIELDS: &[FieldInfo] = &[
            $( $( FieldInfo {
                field: Field::$field,
                key: $key,
                scope: Scope::$scope,
                label: $label,
                kind: Kind::$kind,
                modes: $modes,
                flows: Flows::$flows,
                form: $form,
                range: schema!(@range $( $min, $max )?),
            }, )* )*
        ];

        impl Field {
            /// The JSON key of this field (for a pseudo field, what messages call it).
            pub const fn key(self) -> &'static str {
                match self {
                    $( $( Field::$field => $key, )* )*
                    $( Field::$pfield => $pkey, )*
                }
            }

            /// Where this field's row is in [`fields_of`] its scope (`None` for a pseudo
            /// field): a number fixed when the crate is built.
            pub const fn slot(self) -> Option<usize> {
                match self {
                    $( $( Field::$field => Some(const { slot_of(Scope::$scope, $key) }), )* )*
                    $( Field::$pfield => None, )*
                }
            }

            /// The object this field belongs to (pseudo fields count as the site's).
            pub const fn scope(self) -> Scope {
                match self {
                    $( $( Field::$field => Scope::$scope, )* )*
                    $( Field::$pfield => Scope::Site, )*
                }
            }
        }
    };
    (@range) => { None };
    (@range $min:expr, $max:expr) => { Some(($min, $max)) };
}

schema! {
    pseudo {
        /// The document as a whole.
        Document = "(document)";
        /// The site's manifest (`ipxegen-manifest.json`), a name the tree reserves.
        Manifest = "manifest";
        /// The `--node` / `--mac` a front end asked for (not part of the document).
        Selector = "--node/--mac";
        /// A DHCP message given to be read (not part of the document).
        Request = "request";
        /// One DHCP option of a message or reply.
        DhcpOption = "option";
        /// The DHCPv4 `file` field, when option 52 says it holds options.
        FileField = "file field";
        /// The DHCPv4 `sname` field, when option 52 says it holds options.
        SnameField = "sname field";
        /// The ProxyDHCP server's own address a front end gives (not part of the document).
        ServerId = "server id";
        /// PXELINUX's library module `ldlinux.c32`, which the classic tree (`ipxe_enabled`
        /// false) places beside `pxelinux.0` in the TFTP root: a name it reserves.
        LdlinuxModule = "ldlinux.c32";
        /// GRUB's directory `grub` in the TFTP root (the prefix Debian's `grubnetx64.efi`
        /// reads its config from): a name the classic tree reserves.
        GrubDir = "grub";
    }
    Site {
        // No input: the one schema version there is, which the web form always writes.
        Schema = "schema", "Schema version", Number(SCHEMA_VERSION, SCHEMA_VERSION), Modes::ALL, Both, false;
        IpxeEnabled = "ipxe_enabled", "Boot through iPXE", Flag, Modes::ALL, Both, true;
        HttpServer = "http_server", "HTTP server", Text, Modes::ALL, Both, true;
        HttpRoot = "http_root", "HTTP root", Text, Modes::ALL, Both, true;
        IpxeBootScript = "ipxe_boot_script", "Main script name", Text, Modes::ALL, Ipxe, true;
        TftpServer = "tftp_server", "TFTP server", Text, Modes::ALL, Both, true;
        TftpRoot = "tftp_root", "TFTP root", Text, Modes::ALL, Both, true;
        PxeBootfileName = "pxe_bootfile_name", "BIOS loader", Text, Modes::ALL, Both, true;
        UefiX64BootfileName = "uefi_x64_bootfile_name", "UEFI x64 loader", Text, Modes::ALL, Both, true;
        UefiArm64BootfileName = "uefi_arm64_bootfile_name", "UEFI ARM64 loader", Text, Modes::ALL, Ipxe, true;
        PerMacDir = "per_mac_dir", "Per-MAC directory", Text, Modes::ALL, Ipxe, true;
        TimeoutMs = "timeout_ms", "Timeout (ms)", Number(TIMEOUT_MIN_MS, TIMEOUT_MAX_MS), Modes::ALL, Ipxe, true;
        Retries = "retries", "Retries", Number(0, RETRIES_RANGE_MAX), Modes::ALL, Ipxe, true;
        OnRetriesExhausted = "on_retries_exhausted", "When retries run out", OnRetriesExhausted, Modes::ALL, Ipxe, true;
        FallbackScript = "ipxe_fallback_script", "Fallback script", Text, Modes::ALL, Ipxe, true;
        IpxeBootScriptTemplate = "ipxe_boot_script_template", "Main script template", Text, Modes::ALL, Ipxe, true;
        IpxeConfigTemplate = "ipxe_config_template", "Node config template", Text, Modes::ALL, Ipxe, true;
        PxeConfigTemplate = "pxe_config_template", "PXELINUX config template", Text, Modes::ALL, Classic, true;
        GrubConfigTemplate = "grub_config_template", "GRUB config template", Text, Modes::ALL, Classic, true;
        KernelArgs = "kernel_args", "Kernel arguments (all nodes)", Text, Modes::ALL, Both, true;
        DeployKernel = "deploy_kernel", "Deploy kernel", Text, Modes::ALL, Both, true;
        DeployRamdisk = "deploy_ramdisk", "Deploy ramdisk", Text, Modes::ALL, Both, true;
        Nodes = "nodes", "Nodes", List, Modes::ALL, Both, true;
    }
    Node {
        NodeId = "id", "Id", Text, Modes::ALL, Both, true;
        Nics = "nics", "MACs", List, Modes::ALL, Both, true;
        Mode = "mode", "Mode", Mode, Modes::ALL, Both, true;
        Firmware = "firmware", "Firmware", Firmware, Modes::ALL, Both, true;
        Kernel = "kernel", "Kernel", Text, KERNEL_MODES, Both, true;
        Ramdisk = "ramdisk", "Ramdisk", Text, KERNEL_MODES, Both, true;
        Iso = "iso", "ISO", Text, Modes::of(&[Mode::Iso]), Both, true;
        ChainUrl = "url", "Chain URL", Text, Modes::of(&[Mode::Chain]), Both, true;
        Kickstart = "kickstart", "Kickstart", Text, Modes::of(&[Mode::Anaconda]), Both, true;
        Repo = "repo", "Repo", Text, Modes::of(&[Mode::Anaconda]), Both, true;
        Stage2 = "stage2", "Stage 2", Text, Modes::of(&[Mode::Anaconda]), Both, true;
        Iscsi = "iscsi", "iSCSI targets", List, Modes::of(&[Mode::Iscsi]), Both, true;
        InitiatorIqn = "initiator_iqn", "Initiator IQN", Text, Modes::of(&[Mode::Iscsi]), Both, true;
        Hostname = "hostname", "Host name", Text, Modes::ALL, Both, true;
        Ipv4 = "ipv4", "IPv4 address", Text, Modes::ALL, Both, true;
        Ipv6 = "ipv6", "IPv6 address", Text, Modes::ALL, Both, true;
        SystemUuid = "system_uuid", "System UUID", Text, Modes::ALL, Both, true;
        NodeKernelArgs = "kernel_args", "Kernel arguments", Text, KERNEL_MODES, Both, true;
        NodeTimeoutMs = "timeout_ms", "Timeout (ms)", Number(TIMEOUT_MIN_MS, TIMEOUT_MAX_MS), Modes::ALL, Ipxe, true;
        NodeRetries = "retries", "Retries", Number(0, RETRIES_RANGE_MAX), Modes::ALL, Ipxe, true;
        NodeIpxeConfigTemplate = "ipxe_config_template", "Config template", Text, Modes::ALL, Ipxe, true;
        NodePxeConfigTemplate = "pxe_config_template", "PXELINUX config template", Text, Modes::ALL, Classic, true;
        NodeGrubConfigTemplate = "grub_config_template", "GRUB config template", Text, Modes::ALL, Classic, true;
    }
    Nic {
        NicMac = "mac", "MAC", Text, Modes::ALL, Both, true;
        NicPxe = "pxe", "Network boot", Flag, Modes::ALL, Both, true;
    }
    IscsiTarget {
        IscsiServer = "server", "Target server", Text, Modes::ALL, Both, true;
        IscsiPort = "port", "Target port", Number(1, PORT_RANGE_MAX), Modes::ALL, Both, true;
        IscsiLun = "lun", "LUN", Number(0, 0x3fff), Modes::ALL, Both, true;
        IscsiIqn = "iqn", "Target IQN", Text, Modes::ALL, Both, true;
        IscsiUsername = "username", "CHAP user", Text, Modes::ALL, Both, true;
        IscsiPassword = "password", "CHAP secret", Text, Modes::ALL, Both, true;
    }
}

impl Field {
    /// This field's row of the schema (`None` for the pseudo fields).
    pub fn info(self) -> Option<&'static FieldInfo> {
        fields_of(self.scope()).get(self.slot()?)
    }

    /// The field of `scope` whose key is `key`.
    pub fn from_key(scope: Scope, key: &[u8]) -> Option<Field> {
        fields_of(scope)
            .iter()
            .find(|info| info.key.as_bytes() == key)
            .map(|info| info.field)
    }

    /// For a number field, the smallest and largest whole number it takes.
    pub fn range(self) -> Option<(u32, u32)> {
        self.info()?.range
    }

    /// The known field of `scope` whose key is nearest to `key`, when it is close enough to
    /// be a misspelling of it: at most 2 edits away (a letter added, removed, changed, or
    /// two neighbours swapped), and fewer edits than half the longer key's length. `None`
    /// when no key is that close, or when two are equally close.
    pub fn nearest(scope: Scope, key: &[u8]) -> Option<Field> {
        let mut best: Option<(usize, Field)> = None;
        let mut tie = false;
        for info in fields_of(scope) {
            let Some(d) = edit_distance(key, info.key.as_bytes(), NEAREST_MAX_EDITS) else {
                continue;
            };
            let longer = key.len().max(info.key.len());
            if d == 0 || d.saturating_mul(2) >= longer {
                continue;
            }
            match best {
                Some((b, _)) if b < d => {}
                Some((b, _)) if b == d => tie = true,
                _ => {
                    best = Some((d, info.field));
                    tie = false;
                }
            }
        }
        best.filter(|_| !tie).map(|(_, field)| field)
    }

    /// The boot modes that take this field ([`Modes::ALL`] unless it is mode-specific).
    pub fn modes(self) -> Modes {
        self.info().map_or(Modes::ALL, |info| info.modes)
    }

    /// The boot flows that take this field ([`Flows::Both`] unless it is one flow's own).
    pub fn flows(self) -> Flows {
        self.info().map_or(Flows::Both, |info| info.flows)
    }
}

/// How many edits away a key may be from a known one for [`Field::nearest`] to suggest it.
const NEAREST_MAX_EDITS: usize = 2;

/// Longest key [`edit_distance`] compares (every known key is shorter; a longer one is
/// never near).
const EDIT_KEY_MAX: usize = 32;

/// The optimal string alignment distance between `a` and `b` (insertions, deletions,
/// substitutions, transpositions of neighbours), if it is at most `max`; `None` beyond, or
/// for a key longer than [`EDIT_KEY_MAX`]. Three fixed rows of stack, no allocation.
pub(crate) fn edit_distance(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len() > EDIT_KEY_MAX || b.len() > EDIT_KEY_MAX || a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut before = [0usize; EDIT_KEY_MAX + 1];
    let mut previous = [0usize; EDIT_KEY_MAX + 1];
    let mut current = [0usize; EDIT_KEY_MAX + 1];
    for (j, cell) in previous.iter_mut().enumerate() {
        *cell = j;
    }
    for (i, &x) in a.iter().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        for (j, &y) in b.iter().enumerate() {
            let cost = usize::from(x != y);
            let up = previous.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = current.get(j).copied().unwrap_or(usize::MAX);
            let diagonal = previous.get(j).copied().unwrap_or(usize::MAX);
            let mut d = up
                .saturating_add(1)
                .min(left.saturating_add(1))
                .min(diagonal.saturating_add(cost));
            let swapped = i > 0 && j > 0 && a.get(i - 1) == Some(&y) && b.get(j - 1) == Some(&x);
            if swapped {
                let two_back = before.get(j - 1).copied().unwrap_or(usize::MAX);
                d = d.min(two_back.saturating_add(1));
            }
            if let Some(cell) = current.get_mut(j + 1) {
                *cell = d;
            }
        }
        before = previous;
        previous = current;
    }
    previous.get(b.len()).copied().filter(|d| *d <= max)
}

const fn same_scope(a: Scope, b: Scope) -> bool {
    matches!(
        (a, b),
        (Scope::Site, Scope::Site)
            | (Scope::Node, Scope::Node)
            | (Scope::Nic, Scope::Nic)
            | (Scope::IscsiTarget, Scope::IscsiTarget)
    )
}

const fn same_key(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    while let ([x, a_tail @ ..], [y, b_tail @ ..]) = (a, b) {
        if *x != *y {
            return false;
        }
        (a, b) = (a_tail, b_tail);
    }
    a.is_empty() && b.is_empty()
}

/// The rows of `scope`: the table lists each scope's rows together (checked when built).
const fn rows_of(scope: Scope) -> &'static [FieldInfo] {
    let mut rest = FIELDS;
    while let [info, tail @ ..] = rest {
        if same_scope(info.scope, scope) {
            break;
        }
        rest = tail;
    }
    let mut n = 0;
    let mut after = rest;
    while let [info, tail @ ..] = after {
        if !same_scope(info.scope, scope) {
            break;
        }
        n += 1;
        after = tail;
    }
    while let [info, tail @ ..] = after {
        assert!(
            !same_scope(info.scope, scope),
            "a scope's rows must be together in the schema table"
        );
        after = tail;
    }
    match rest.split_at_checked(n) {
        Some((rows, _)) => rows,
        None => &[],
    }
}

/// Where the row of `key` is among the rows of `scope` (evaluated when the crate is built).
const fn slot_of(scope: Scope, key: &str) -> usize {
    let rows = rows_of(scope);
    let mut rest = rows;
    let mut slot = 0;
    while let [info, tail @ ..] = rest {
        if same_key(info.key, key) {
            break;
        }
        slot += 1;
        rest = tail;
    }
    assert!(slot < rows.len(), "a field's key is among its scope's rows");
    slot
}

const SITE_ROWS: &[FieldInfo] = rows_of(Scope::Site);
const NODE_ROWS: &[FieldInfo] = rows_of(Scope::Node);
const NIC_ROWS: &[FieldInfo] = rows_of(Scope::Nic);
const ISCSI_TARGET_ROWS: &[FieldInfo] = rows_of(Scope::IscsiTarget);

/// How many fields `scope` has (for the capacities that hold one object's fields).
pub const fn scope_len(scope: Scope) -> usize {
    fields_of(scope).len()
}

/// The rows of one scope, in table order (a field's [`Field::slot`] indexes them).
pub const fn fields_of(scope: Scope) -> &'static [FieldInfo] {
    match scope {
        Scope::Site => SITE_ROWS,
        Scope::Node => NODE_ROWS,
        Scope::Nic => NIC_ROWS,
        Scope::IscsiTarget => ISCSI_TARGET_ROWS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_within_a_scope() {
        for (i, a) in FIELDS.iter().enumerate() {
            for b in FIELDS.iter().take(i) {
                assert!(
                    a.scope != b.scope || a.key != b.key,
                    "{} given twice in {:?}",
                    a.key,
                    a.scope
                );
            }
            assert_eq!(Field::from_key(a.scope, a.key.as_bytes()), Some(a.field));
            assert_eq!(a.field.key(), a.key);
            assert_eq!(a.field.scope(), a.scope);
        }
    }

    #[test]
    fn slots_index_each_scope_rows() {
        for info in FIELDS {
            assert_eq!(info.field.info(), Some(info), "{}", info.key);
            assert_eq!(
                Field::from_key(info.scope, info.key.as_bytes()),
                Some(info.field)
            );
        }
        let rows: usize = [Scope::Site, Scope::Node, Scope::Nic, Scope::IscsiTarget]
            .into_iter()
            .map(scope_len)
            .sum();
        assert_eq!(rows, FIELDS.len());
        assert_eq!(Field::Document.slot(), None);
    }

    #[test]
    fn nearest_key_is_suggested_only_when_close() {
        assert_eq!(Field::nearest(Scope::Node, b"kernal"), Some(Field::Kernel));
        assert_eq!(Field::nearest(Scope::Node, b"kenrel"), Some(Field::Kernel));
        assert_eq!(Field::nearest(Scope::Node, b"nic"), Some(Field::Nics));
        assert_eq!(Field::nearest(Scope::Nic, b"pxee"), Some(Field::NicPxe));
        assert_eq!(
            Field::nearest(Scope::Site, b"http_rot"),
            Some(Field::HttpRoot)
        );
        assert_eq!(
            Field::nearest(Scope::Site, b"tftp_roots"),
            Some(Field::TftpRoot)
        );
        // Too far, too short to tell, or too long to compare.
        assert_eq!(Field::nearest(Scope::Node, b"colour"), None);
        assert_eq!(Field::nearest(Scope::Node, b"x"), None);
        assert_eq!(Field::nearest(Scope::Node, &[b'k'; 5000]), None);
        assert_eq!(Field::nearest(Scope::Node, b""), None);
    }

    #[test]
    fn edit_distance_counts_each_kind_of_edit() {
        assert_eq!(edit_distance(b"kernel", b"kernel", 2), Some(0));
        assert_eq!(edit_distance(b"kernal", b"kernel", 2), Some(1));
        assert_eq!(edit_distance(b"kernl", b"kernel", 2), Some(1));
        assert_eq!(edit_distance(b"kerrnel", b"kernel", 2), Some(1));
        assert_eq!(edit_distance(b"kenrel", b"kernel", 2), Some(1));
        assert_eq!(edit_distance(b"kenrl", b"kernel", 2), Some(2));
        assert_eq!(edit_distance(b"abc", b"xyz", 2), None);
    }

    #[test]
    fn number_fields_have_a_range() {
        for info in FIELDS {
            assert_eq!(
                info.kind == Kind::Number,
                info.range.is_some(),
                "{}",
                info.key
            );
        }
        assert_eq!(Field::NodeRetries.range(), Some((0, 100)));
        assert_eq!(Field::IscsiPort.range(), Some((1, 65535)));
    }

    #[test]
    fn every_field_but_the_schema_version_has_a_form_editor() {
        for info in FIELDS {
            assert_eq!(info.form, info.field != Field::Schema, "{}", info.key);
        }
    }

    #[test]
    fn mode_sets() {
        assert!(Field::Kernel.modes().contains(Mode::Anaconda));
        assert!(!Field::Kernel.modes().contains(Mode::Local));
        assert!(Field::Iso.modes().contains(Mode::Iso));
        assert!(Field::Hostname.modes().is_all());
        assert!(!Field::Iscsi.modes().is_all());
        assert_eq!(Kind::Mode.words().first(), Some(&"deploy"));
    }
}
