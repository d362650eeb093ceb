// The golden cases: a site, what to render from it, and the exact bytes expected.
// Shared by the host tests (tests/) and the firmware tests (firmware-tests/), which both
// `include!` this file, so the same files are checked on every target.

/// What a golden case renders.
pub enum Render {
    /// The main script.
    Main,
    /// The config of the node with this id.
    Node(&'static str),
    /// The classic flow's `pxelinux.cfg/default`.
    PxelinuxDefault,
    /// The PXELINUX config of the node with this id (classic flow).
    PxelinuxNode(&'static str),
    /// The classic flow's `grub/grub.cfg`.
    GrubMain,
    /// The GRUB config of the node with this id (classic flow).
    GrubNode(&'static str),
}

impl Render {
    /// Whether the output is an iPXE script (the main script or a node's iPXE config), not a
    /// classic flow's PXELINUX or GRUB config.
    pub const fn is_ipxe(&self) -> bool {
        matches!(self, Render::Main | Render::Node(_))
    }
}

/// One golden case.
pub struct GoldenCase {
    /// Name, also the golden file's stem.
    pub name: &'static str,
    /// The site document.
    pub site: &'static [u8],
    /// What to render.
    pub render: Render,
    /// The expected output.
    pub expected: &'static [u8],
    /// Path of the golden file, relative to `tests/golden/`.
    pub path: &'static str,
}

macro_rules! golden {
    ($name:literal, $site:literal, $render:expr) => {
        GoldenCase {
            name: $name,
            site: include_bytes!($site),
            render: $render,
            expected: include_bytes!(concat!("ipxe/", $name, ".ipxe")),
            path: concat!("ipxe/", $name, ".ipxe"),
        }
    };
}

macro_rules! classic {
    ($name:literal, $site:literal, $render:expr) => {
        GoldenCase {
            name: $name,
            site: include_bytes!($site),
            render: $render,
            expected: include_bytes!(concat!("classic/", $name)),
            path: concat!("classic/", $name),
        }
    };
}

/// Every golden case.
pub const GOLDEN_CASES: &[GoldenCase] = &[
    golden!("main-default", "../../examples/site.json", Render::Main),
    golden!("main-fallback-prefix-per-mac-dir", "sites/fallback.json", Render::Main),
    golden!("main-https-ipv6-fallback-url", "sites/https.json", Render::Main),
    golden!("example-deploy", "../../examples/site.json", Render::Node("1be26c0b-03f2-4d2e-ae87-c02d7f33c123")),
    golden!("example-local", "../../examples/site.json", Render::Node("rack1-node02")),
    golden!("example-ramdisk-urls", "../../examples/site.json", Render::Node("rack1-node03")),
    golden!("deploy-files", "sites/modes.json", Render::Node("deploy-files")),
    golden!("deploy-urls", "sites/modes.json", Render::Node("deploy-urls")),
    golden!("deploy-reboot-prefix", "sites/fallback.json", Render::Node("node1")),
    golden!("local-any", "sites/modes.json", Render::Node("local-any")),
    golden!("local-bios", "sites/modes.json", Render::Node("local-bios")),
    golden!("local-uefi", "sites/modes.json", Render::Node("local-uefi")),
    golden!("ramdisk", "sites/modes.json", Render::Node("ramdisk")),
    golden!("iso", "sites/modes.json", Render::Node("iso")),
    golden!("iscsi-two-targets-chap", "sites/modes.json", Render::Node("iscsi")),
    golden!("anaconda-repo", "sites/modes.json", Render::Node("anaconda-repo")),
    golden!("anaconda-stage2", "sites/modes.json", Render::Node("anaconda-stage2")),
    golden!("chain", "sites/modes.json", Render::Node("chain")),
    classic!("default.pxelinux", "sites/classic.json", Render::PxelinuxDefault),
    classic!("main.grub.cfg", "sites/classic.json", Render::GrubMain),
    classic!("deploy.pxelinux", "sites/classic.json", Render::PxelinuxNode("1be26c0b-03f2-4d2e-ae87-c02d7f33c123")),
    classic!("deploy.grub.cfg", "sites/classic.json", Render::GrubNode("1be26c0b-03f2-4d2e-ae87-c02d7f33c123")),
    classic!("ramdisk.pxelinux", "sites/classic.json", Render::PxelinuxNode("ramdisk")),
    classic!("ramdisk.grub.cfg", "sites/classic.json", Render::GrubNode("ramdisk")),
    classic!("anaconda-repo.pxelinux", "sites/classic.json", Render::PxelinuxNode("anaconda-repo")),
    classic!("anaconda-repo.grub.cfg", "sites/classic.json", Render::GrubNode("anaconda-repo")),
    classic!("anaconda-stage2.pxelinux", "sites/classic.json", Render::PxelinuxNode("anaconda-stage2")),
    classic!("anaconda-stage2.grub.cfg", "sites/classic.json", Render::GrubNode("anaconda-stage2")),
    classic!("local.pxelinux", "sites/classic.json", Render::PxelinuxNode("local")),
    classic!("local.grub.cfg", "sites/classic.json", Render::GrubNode("local")),
];

/// One case of a site whose scripts are written from templates: what a front end loads for
/// it, what to render, and the exact bytes expected (a golden file of the built-in scripts:
/// the templates of `examples/templates/` write them).
pub struct TemplateCase {
    /// Name of the case.
    pub name: &'static str,
    /// The site document.
    pub site: &'static [u8],
    /// The template files the site names: each path as the site writes it, and its bytes.
    pub templates: &'static [(&'static str, &'static [u8])],
    /// What to render.
    pub render: Render,
    /// The expected output.
    pub expected: &'static [u8],
    /// Path of the golden file, relative to `tests/golden/`.
    pub path: &'static str,
}

/// Every template case.
pub const TEMPLATE_CASES: &[TemplateCase] = &[
    TemplateCase {
        name: "template-example-deploy",
        site: include_bytes!("templates/site.json"),
        templates: &[
            (
                "../../../examples/templates/main.ipxe",
                include_bytes!("../../examples/templates/main.ipxe"),
            ),
            (
                "../../../examples/templates/config.ipxe",
                include_bytes!("../../examples/templates/config.ipxe"),
            ),
        ],
        render: Render::Node("1be26c0b-03f2-4d2e-ae87-c02d7f33c123"),
        expected: include_bytes!("ipxe/example-deploy.ipxe"),
        path: "ipxe/example-deploy.ipxe",
    },
    TemplateCase {
        name: "template-classic-deploy-grub",
        site: include_bytes!("templates/classic-site.json"),
        templates: &[
            (
                "../../../examples/templates/config.pxelinux",
                include_bytes!("../../examples/templates/config.pxelinux"),
            ),
            (
                "../../../examples/templates/config.grub.cfg",
                include_bytes!("../../examples/templates/config.grub.cfg"),
            ),
        ],
        render: Render::GrubNode("1be26c0b-03f2-4d2e-ae87-c02d7f33c123"),
        expected: include_bytes!("classic/deploy.grub.cfg"),
        path: "classic/deploy.grub.cfg",
    },
];

/// Renders what `render` asks for from a site's settings and its nodes (`node` finds one by
/// id) into `out`: the one mapping from a case to the core's writers, shared by the host and
/// firmware harnesses.
#[allow(unused_qualifications, reason = "included by crates that import different names")]
pub fn render_golden<'a, W: embedded_io::Write>(
    config: &ipxegen_core::model::SiteConfig<'a>,
    node: impl Fn(&str) -> ipxegen_core::Result<ipxegen_core::model::Node<'a>>,
    render: &Render,
    out: &mut W,
) -> ipxegen_core::Result<()> {
    use ipxegen_core::tree::{Script, write_script};
    // One node, looked up once (one `Node` on the stack, whichever the case).
    let id = match *render {
        Render::Node(id) | Render::PxelinuxNode(id) | Render::GrubNode(id) => Some(id),
        Render::Main | Render::PxelinuxDefault | Render::GrubMain => None,
    };
    let node = id.map(node).transpose()?;
    let script = match (render, &node) {
        (Render::Node(_), Some(node)) => Script::Node(node),
        (Render::PxelinuxNode(_), Some(node)) => Script::PxelinuxNode(node),
        (Render::GrubNode(_), Some(node)) => Script::GrubNode(node),
        (Render::PxelinuxDefault, _) => Script::PxelinuxDefault,
        (Render::GrubMain, _) => Script::GrubMain,
        (Render::Main | Render::Node(_) | Render::PxelinuxNode(_) | Render::GrubNode(_), _) => {
            Script::Main
        }
    };
    write_script(config, script, out)
}
