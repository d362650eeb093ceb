//! Operator templates: the built-in scripts written as templates (`examples/templates/`)
//! render every golden script byte for byte; the README's table of placeholders is the
//! core's; what the check says about templates names the template file, line and column,
//! the node and the field.

#![allow(clippy::unwrap_used, clippy::panic, reason = "tests fail loudly")]

use ipxegen_core::ipxe::template::{Arguments, PLACEHOLDER_TEXTS, PLACEHOLDERS, Scripts};
use ipxegen_core::limits::SCRIPT_MAX;
use ipxegen_core::model::Mode;
use ipxegen_core::site::{CheckEvent, Problem, RescanSeen};
use ipxegen_core::template::Shape;
use ipxegen_core::{Site, ipxe};
use ipxegen_tests::{
    GOLDEN_CASES, GoldenCase, Render, TEMPLATE_CASES, TemplateStore, VecWriter, golden_dir,
    render_golden, workspace_dir,
};
use std::path::{Path, PathBuf};

/// The directory of the templates the project ships.
fn templates_dir() -> PathBuf {
    workspace_dir().join("examples/templates")
}

/// `doc` with `fields` (JSON members) added first to its top-level object.
fn with_fields(doc: &[u8], fields: &str) -> String {
    let doc = std::str::from_utf8(doc).unwrap();
    let open = doc.find('{').unwrap();
    format!("{}{{{fields}, {}", &doc[..open], &doc[open + 1..])
}

/// `doc` naming the shipped templates for every script a template may write: the main
/// script and every node's config, or in the classic flow every node's PXELINUX and GRUB
/// configs.
fn with_shipped_templates(doc: &[u8]) -> String {
    let dir = templates_dir();
    let classic = std::str::from_utf8(doc)
        .unwrap()
        .contains(r#""ipxe_enabled": false"#);
    let fields = if classic {
        format!(
            r#""pxe_config_template": "{}", "grub_config_template": "{}""#,
            dir.join("config.pxelinux").display(),
            dir.join("config.grub.cfg").display()
        )
    } else {
        format!(
            r#""ipxe_boot_script_template": "{}", "ipxe_config_template": "{}""#,
            dir.join("main.ipxe").display(),
            dir.join("config.ipxe").display()
        )
    };
    with_fields(doc, &fields)
}

/// Every problem the whole-site check reports for `doc` (templates read relative to
/// `base`), as every front end words it.
fn problems(doc: &str, base: &Path) -> Vec<String> {
    let site = match Site::parse(doc.as_bytes()) {
        Ok(site) => site,
        Err(e) => return vec![Problem::in_document(doc.as_bytes(), e).to_string()],
    };
    let store = TemplateStore::read(&site, base);
    let files = store.files();
    let site = site.with_templates(&files);
    let mut found = Vec::new();
    let mut scratch = vec![0u8; SCRIPT_MAX];
    let _ = site.check_with(&mut RescanSeen::new(&site), &mut scratch, |event| {
        if let CheckEvent::Problem(p) = event {
            found.push(p.to_string());
        }
    });
    found
}

/// The script `render` asks for, of `doc` checked with its templates (relative to `base`).
fn render(doc: &str, base: &Path, render: &Render) -> Vec<u8> {
    let site = Site::parse(doc.as_bytes()).unwrap();
    let store = TemplateStore::read(&site, base);
    let files = store.files();
    let site = site.with_templates(&files);
    let mut scratch = vec![0u8; SCRIPT_MAX];
    let site = site
        .checked_with(&mut RescanSeen::new(&site), &mut scratch)
        .unwrap_or_else(|e| panic!("{}", Problem::in_document(doc.as_bytes(), e)));
    let mut out = Vec::new();
    render_golden(
        site.config(),
        |id| site.node_by_id(id),
        render,
        &mut VecWriter(&mut out),
    )
    .unwrap();
    out
}

#[test]
fn the_shipped_templates_render_every_golden_script_byte_for_byte() {
    let mut wrong = Vec::new();
    // Every golden but the classic flow's two fixed files (`pxelinux.cfg/default` and
    // `grub/grub.cfg`), which no template writes.
    let templated =
        |c: &&GoldenCase| !matches!(c.render, Render::PxelinuxDefault | Render::GrubMain);
    let mut count = 0;
    for case in GOLDEN_CASES.iter().filter(templated) {
        count += 1;
        let doc = with_shipped_templates(case.site);
        let got = render(&doc, Path::new("/"), &case.render);
        if got != case.expected {
            wrong.push(format!(
                "{} (tests/golden/{}):\n{}",
                case.name,
                case.path,
                String::from_utf8_lossy(&got)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(count, GOLDEN_CASES.len() - 2);
}

/// The README's table of placeholders, as the core's table gives it.
fn placeholder_table() -> String {
    let mut out = String::from("| placeholder | kind | script | modes | writes or tests |\n");
    out.push_str("| --- | --- | --- | --- | --- |\n");
    for (info, text) in PLACEHOLDERS.iter().zip(PLACEHOLDER_TEXTS) {
        let kind = match info.shape {
            Shape::Value if info.arguments == Arguments::Several => "value (arguments)",
            Shape::Value => "value",
            Shape::Flag => "condition",
            Shape::List => "list",
            Shape::Item(list) => match list.info().name {
                "iscsi_targets" => "value of each `iscsi_targets`",
                other => panic!("a list the README does not know: {other}"),
            },
        };
        let script = match info.scripts {
            Scripts::Main => "main",
            Scripts::NodeConfig => "node",
            Scripts::Both => "both",
        };
        let modes = if info.scripts == Scripts::Main {
            "-".to_string()
        } else if info.modes.is_all() {
            "all".to_string()
        } else {
            Mode::ALL
                .iter()
                .filter(|m| info.modes.contains(**m))
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "| `{}` | {kind} | {script} | {modes} | {} |\n",
            info.name,
            text.replace('|', "\\|")
        ));
    }
    out
}

/// README's table of the classic flow's placeholders, as the core's table gives it.
fn classic_placeholder_table() -> String {
    use ipxegen_core::classic::template::{
        Loaders, PLACEHOLDER_TEXTS as CLASSIC_TEXTS, PLACEHOLDERS as CLASSIC, Words,
    };
    let mut out = String::from("| placeholder | kind | configs | modes | writes or tests |\n");
    out.push_str("| --- | --- | --- | --- | --- |\n");
    for (info, text) in CLASSIC.iter().zip(CLASSIC_TEXTS) {
        let kind = match (info.shape, info.words) {
            (Shape::Value, Words::Several) => "value (words)",
            (Shape::Value, _) => "value",
            (Shape::Flag, _) => "condition",
            (other, _) => panic!("a shape the README does not know: {other:?}"),
        };
        let configs = match info.loaders {
            Loaders::Both => "both",
            Loaders::Grub => "GRUB",
        };
        let modes = Mode::ALL
            .iter()
            .filter(|m| info.modes.contains(**m))
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&format!(
            "| `{}` | {kind} | {configs} | {modes} | {} |\n",
            info.name,
            text.replace('|', "\\|")
        ));
    }
    out
}

/// README's table of placeholders follows this line (up to the next empty line).
const TABLE_MARK: &str = "<!-- placeholders: generated from core/src/ipxe/template.rs -->\n";

/// README's table of the classic flow's placeholders follows this line.
const CLASSIC_TABLE_MARK: &str =
    "<!-- classic placeholders: generated from core/src/classic/template.rs -->\n";

#[test]
fn the_readme_lists_every_placeholder_as_the_core_does() {
    check_readme_table(TABLE_MARK, &placeholder_table());
    check_readme_table(CLASSIC_TABLE_MARK, &classic_placeholder_table());
}

/// Checks (or with UPDATE_GOLDENS=1 writes) the README's table after `mark`.
fn check_readme_table(mark: &str, want: &str) {
    let path = workspace_dir().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme
        .find(mark)
        .unwrap_or_else(|| panic!("README.md has no {mark:?}"))
        + mark.len();
    let end = start + readme[start..].find("\n\n").unwrap_or(readme.len() - start) + 1;
    if ipxegen_tests::updating_goldens() {
        let updated = format!("{}{want}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        want,
        "README.md's placeholder table after {mark:?} differs from the core's (UPDATE_GOLDENS=1 writes it); it should read:\n{want}"
    );
}

/// A site whose node `n1` (mode deploy; `node_extra` added to it) is written from
/// `template` (the site's `ipxe_config_template`, a file in a scratch directory), with
/// `extra` added to the site; gives the problems.
fn problems_of_template(template: &str, extra: &str, node_extra: &str) -> Vec<String> {
    let dir = tempfile_dir();
    std::fs::write(dir.join("node.ipxe"), template).unwrap();
    let doc = format!(
        r#"{{"schema": 1, "http_server": "192.0.2.1", "http_root": "/srv",
  "ipxe_config_template": "node.ipxe"{extra},
  "nodes": [{{"id": "n1", "nics": ["52:54:00:12:34:56"], "mode": "deploy",
              "kernel": "http://x/k", "ramdisk": "http://x/r"{node_extra}}}]}}"#
    );
    problems(&doc, &dir)
}

/// A template that lints clean for a deploy node.
const CLEAN: &str = "#!ipxe\necho node {{ node_id }}\nchain {{ kernel_url }} ||\n";

/// A fresh scratch directory for this test process.
fn tempfile_dir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "ipxegen-templates-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn template_cases_render_their_golden_files() {
    // The cases the firmware tests run too, read here from disk beside their site.
    for case in TEMPLATE_CASES {
        let doc = std::str::from_utf8(case.site).unwrap();
        let got = render(doc, &golden_dir().join("templates"), &case.render);
        assert_eq!(got, case.expected, "{}", case.name);
        for (path, bytes) in case.templates {
            let on_disk = std::fs::read(golden_dir().join("templates").join(path)).unwrap();
            assert_eq!(&on_disk, bytes, "{}: {path}", case.name);
        }
    }
}

#[test]
fn problems_name_the_template_file_line_and_column_the_node_and_the_field() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "#!ipxe\necho {{ kernal_url }}\n",
            "",
            "",
            r#"ipxe_config_template: "node.ipxe":2:6: unknown placeholder; did you mean `kernel_url`?"#,
        ),
        (
            "#!ipxe\necho {{ node_id }}\n  echo {{ iso_url }}\n",
            "",
            "",
            r#"node "n1": ipxe_config_template: "node.ipxe":3:8: `iso_url` has no value in mode deploy"#,
        ),
        (
            "#!ipxe\necho {{ node_id }}\nchain {{ kernel_url }}\n",
            "",
            "",
            r#"node "n1": ipxe_config_template: "node.ipxe":3:1: renders a script that fails the linter at its line 3, column 1: warning[unhandled-failure]: if this download or boot fails, iPXE ends the script: add `|| goto <retry label>` (or `||`)"#,
        ),
        (
            "echo {{ node_id }}\n",
            "",
            "",
            r#"node "n1": ipxe_config_template: "node.ipxe":1:1: renders a script that fails the linter at its line 1, column 1: error[header]: not an iPXE script: it must start with `#!ipxe` and a whitespace byte (BIOS iPXE hangs silently on anything else, UEFI says "Exec format error"); write `#!ipxe` alone on the first line"#,
        ),
        (
            "#!ipxe\necho a\nkernel {{ kernel_url }} ||\ninitrd {{ initrd_url }} ||\n",
            "",
            "",
            r#"node "n1": ipxe_config_template: "node.ipxe":3:1: renders a script that fails the linter at its line 3, column 1: warning[initrd-name]: the kernel command line lacks `initrd=<name>` of the loaded initrd (or names another image): UEFI kernels will not find their initrd"#,
        ),
        (
            CLEAN,
            r#", "ipxe_boot_script_template": "missing.ipxe""#,
            "",
            r#"ipxe_boot_script_template: "missing.ipxe": cannot read the template file: No such file or directory (os error 2)"#,
        ),
        (
            CLEAN,
            "",
            r#", "ipxe_config_template": "own.ipxe""#,
            r#"node "n1": nodes[0].ipxe_config_template: "own.ipxe": cannot read the template file: No such file or directory (os error 2)"#,
        ),
        (
            CLEAN,
            r#", "pxe_config_template": "x.cfg""#,
            "",
            "pxe_config_template: applies only when ipxe_enabled is false (the classic TFTP flow, where PXELINUX and GRUB read the node's config); this site boots through iPXE",
        ),
        (
            CLEAN,
            "",
            r#", "pxe_config_template": "x.cfg""#,
            r#"node "n1": nodes[0].pxe_config_template: applies only when ipxe_enabled is false (the classic TFTP flow, where PXELINUX and GRUB read the node's config); this site boots through iPXE"#,
        ),
    ];
    for (template, extra, node_extra, want) in cases {
        assert_eq!(
            problems_of_template(template, extra, node_extra),
            [*want],
            "{template:?} {extra} {node_extra}"
        );
    }
    let long = format!(
        "#!ipxe\n{}echo {{{{ node_id }}}}\n",
        "# padding\n".repeat(900)
    );
    assert_eq!(
        problems_of_template(&long, "", ""),
        [
            r#"node "n1": ipxe_config_template: "node.ipxe":1:1: renders a script longer than 8192 bytes here"#
        ]
    );
    assert!(problems_of_template(CLEAN, "", "").is_empty());
}

#[test]
fn a_finding_at_a_value_names_its_placeholder() {
    let dir = tempfile_dir();
    std::fs::write(
        dir.join("node.ipxe"),
        "#!ipxe\necho a\nchain --timeout 5000 {{ chain_url }} ||\n",
    )
    .unwrap();
    let doc = r#"{"schema": 1, "http_server": "192.0.2.1", "http_root": "/srv",
      "nodes": [{"id": "c", "nics": ["52:54:00:00:00:01"], "mode": "chain",
                 "url": "https://x/menu.ipxe", "ipxe_config_template": "node.ipxe"}]}"#;
    assert_eq!(
        problems(doc, &dir),
        [
            r#"node "c": nodes[0].ipxe_config_template: "node.ipxe":3:22: renders a script that fails the linter at its line 3, column 22: warning[https-url]: https:// is absent from stock BIOS builds and older iPXE: check `${platform}` or feature 175.20 first, or use http://"#
        ]
    );
}

#[test]
fn a_template_file_is_reported_once_however_many_nodes_name_it() {
    let dir = tempfile_dir();
    std::fs::write(dir.join("bad.ipxe"), "#!ipxe\n{{ nope }}\n").unwrap();
    let node = |id: &str, mac: &str| {
        format!(
            r#"{{"id": "{id}", "nics": ["{mac}"], "mode": "local", "ipxe_config_template": "bad.ipxe"}}"#
        )
    };
    let doc = format!(
        r#"{{"schema": 1, "http_server": "192.0.2.1", "http_root": "/srv", "nodes": [{}, {}]}}"#,
        node("a", "52:54:00:00:00:01"),
        node("b", "52:54:00:00:00:02")
    );
    assert_eq!(
        problems(&doc, &dir),
        [
            r#"node "a": nodes[0].ipxe_config_template: "bad.ipxe":2:1: unknown placeholder (README's placeholder table lists them)"#
        ]
    );
}

#[test]
fn a_site_checked_without_its_templates_is_refused() {
    let doc = with_shipped_templates(include_bytes!("../../examples/site.json"));
    let site = Site::parse(doc.as_bytes()).unwrap();
    let mut found = Vec::new();
    let _ = site.check(&mut RescanSeen::new(&site), |event| {
        if let CheckEvent::Problem(p) = event {
            found.push(p.error.kind);
        }
    });
    assert_eq!(
        found,
        [
            ipxegen_core::ErrorKind::TemplateNotLoaded,
            ipxegen_core::ErrorKind::TemplateNotLoaded
        ]
    );
    // Rendering it anyway says so, rather than writing the built-in script.
    let mut out = Vec::new();
    let e = ipxe::write_main_script(site.config(), &mut VecWriter(&mut out)).unwrap_err();
    assert_eq!(e.kind, ipxegen_core::ErrorKind::TemplateNotLoaded);
}
