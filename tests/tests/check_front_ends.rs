//! One whole-site check for every front end: for a corpus of sites (every golden site, and
//! `tests/check-corpus/`, which breaks each whole-site rule), `ipxegen check` and the web
//! UI's state report the same problems, worded the same; `ipxegen render` refuses every site
//! `check` refuses (exit 65) with the same lines; and the three ways to remember values
//! (hash map, fixed capacity, rescan) give the same problems. The problems of each corpus
//! site are a golden file (`tests/golden/check/`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers fail the test loudly"
)]

use ipxegen_core::Site;
use ipxegen_core::site::{CheckEvent, FixedSeen, RescanSeen, SeenValues};
use ipxegen_tests::{check_golden, golden_dir, ipxegen_binary, workspace_dir};
use ipxegen_web::state::State;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The JSON files of `dir`, sorted: (stem, path).
fn sites_in(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut sites: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    sites.sort();
    sites
}

/// Every site of the corpus: the example, every golden site, every invalid one.
fn corpus() -> Vec<(String, PathBuf)> {
    let mut sites = vec![(
        "example".to_owned(),
        workspace_dir().join("examples/site.json"),
    )];
    sites.extend(sites_in(&golden_dir().join("sites")));
    let invalid = sites_in(&workspace_dir().join("tests/check-corpus"));
    assert!(invalid.len() >= 15, "the corpus needs a site per rule");
    sites.extend(invalid);
    sites
}

/// The problems `ipxegen <command>` prints for the site at `path`, without the file and
/// position prefix and without the closing count; and its exit code.
fn cli_problems(command: &str, path: &Path) -> (Vec<String>, i32) {
    let out = Command::new(ipxegen_binary())
        .args([command])
        .arg(path)
        .args(if command == "check" {
            &["--allow-missing"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let prefix = format!("ipxegen: {}", path.display());
    let problems = stderr
        .lines()
        .filter(|l| !l.ends_with(" found"))
        .map(|l| {
            let rest = l.strip_prefix(&prefix).unwrap_or_else(|| panic!("{l}"));
            // `:line:col: ` or `: `
            let rest = rest.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit());
            rest.strip_prefix(' ').unwrap_or(rest).to_owned()
        })
        .collect();
    (problems, out.status.code().unwrap_or(-1))
}

/// The problems the web UI's state shows for `doc`, in order.
fn web_problems(doc: &str) -> Vec<String> {
    let state = State::from_document(doc).unwrap();
    state
        .derived
        .errors
        .iter()
        .map(|e| e.message.clone())
        .collect()
}

/// The problems the core's check reports with `seen`.
fn core_problems<'a>(site: &Site<'a>, seen: &mut impl SeenValues<'a>) -> Vec<String> {
    let mut problems = Vec::new();
    let _ = site.check(seen, |event| {
        if let CheckEvent::Problem(p) = event {
            problems.push(p.to_string());
        }
    });
    problems
}

#[test]
fn the_cli_and_the_web_ui_report_the_same_problems() {
    let mut differ = Vec::new();
    for (name, path) in corpus() {
        let doc = std::fs::read_to_string(&path).unwrap();
        let (cli, code) = cli_problems("check", &path);
        let web = web_problems(&doc);
        if cli != web {
            differ.push(format!("{name}:\n  cli: {cli:#?}\n  web: {web:#?}"));
        }
        assert_eq!(
            code,
            if cli.is_empty() { 0 } else { 65 },
            "{name}: check's exit"
        );
        if path.starts_with(workspace_dir().join("tests/check-corpus")) {
            assert!(!cli.is_empty(), "{name}: the corpus site is accepted");
            let golden = golden_dir().join("check").join(format!("{name}.txt"));
            let text = cli.join("\n") + "\n";
            if let Err(e) = check_golden(&golden, text.as_bytes()) {
                panic!("{name}: {e}");
            }
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn render_refuses_what_check_refuses_with_the_same_lines() {
    for (name, path) in corpus() {
        let (check, _) = cli_problems("check", &path);
        let (render, code) = cli_problems("render", &path);
        if check.is_empty() {
            assert_eq!(code, 0, "{name}");
        } else {
            assert_eq!(code, 65, "{name}: render must refuse");
            assert_eq!(render, check, "{name}");
        }
    }
}

#[test]
fn every_way_to_remember_values_finds_the_same_problems() {
    for (name, path) in corpus() {
        let doc = std::fs::read(&path).unwrap();
        let Ok(site) = Site::parse(&doc) else {
            continue;
        };
        let mut maps = SeenMapsForTest::default();
        let hashed = core_problems(&site, &mut maps);
        let fixed = core_problems(&site, &mut FixedSeen::<64>::new());
        let rescanned = core_problems(&site, &mut RescanSeen::new(&site));
        assert_eq!(hashed, fixed, "{name}");
        assert_eq!(hashed, rescanned, "{name}");
    }
}

#[test]
fn a_full_fixed_set_is_a_problem_not_a_panic() {
    let doc =
        std::fs::read(workspace_dir().join("tests/check-corpus/every-kind-at-once.json")).unwrap();
    let site = Site::parse(&doc).unwrap();
    let problems = core_problems(&site, &mut FixedSeen::<2>::new());
    assert!(
        problems
            .iter()
            .any(|p| p
                .contains("more ids, MACs and addresses than this device's site check holds (2)")),
        "{problems:#?}"
    );
}

/// A plain hash-map set, as a host front end keeps one.
#[derive(Default)]
struct SeenMapsForTest<'a>(
    std::collections::HashMap<ipxegen_core::site::Unique<'a>, ipxegen_core::site::Holder<'a>>,
);

impl<'a> SeenValues<'a> for SeenMapsForTest<'a> {
    fn first_holder(
        &mut self,
        value: ipxegen_core::site::Unique<'a>,
        holder: ipxegen_core::site::Holder<'a>,
    ) -> Result<Option<ipxegen_core::site::Holder<'a>>, ipxegen_core::site::SeenFull> {
        match self.0.entry(value) {
            std::collections::hash_map::Entry::Occupied(first) => Ok(Some(*first.get())),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(holder);
                Ok(None)
            }
        }
    }
}
