//! `ipxegen publish` against a real OpenStack Swift on 127.0.0.1 (Debian's packages, started
//! by each test: `ipxegen_tests::swift`), over the Swift API and over its `s3api` (the S3
//! path), and real iPXE in QEMU booting from what was published.
//!
//! The tests run one at a time (each starts its own Swift; together they would crowd the
//! machine's two cores and make the timing ones flaky). When a tool is missing they fail
//! under `CI=true` and print `SKIPPED: <test>: <reason>` otherwise.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test"
)]

use ipxegen_tests::qemu::{End, Watch, WorkDir, bounded, kernel, make_initrd, watch_console};
use ipxegen_tests::swift::{Swift, TOOLS};
use ipxegen_tests::{ProcessGroup, ipxegen_binary, ready_or_skip, require_tools, workspace_dir};
use sha2::Digest as _;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One test at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Where the guest reaches the Swift proxy (QEMU's `guestfwd`).
const SERVER_ADDR: &str = "10.0.2.100";

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether `test` can run (the Swift packages are installed).
fn available(test: &str) -> bool {
    require_tools(test, TOOLS)
}

/// `ipxegen publish SITE ARGS...` with `env`, bounded to 600 s.
fn publish(site: &Path, args: &[&str], env: &[(&'static str, String)]) -> Output {
    let mut command = bounded(600, ipxegen_binary().to_str().unwrap());
    command
        .arg("publish")
        .arg(site)
        .args(args)
        // Only the credentials the test gives.
        .env_remove("OS_AUTH_URL")
        .env_remove("OS_STORAGE_URL")
        .env_remove("OS_CLOUD")
        .env_remove("ST_AUTH")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null());
    command.output().unwrap()
}

/// The JSON summary of a publish that must have succeeded.
fn summary(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "publish failed ({:?}): {}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn count(summary: &serde_json::Value, field: &str) -> u64 {
    summary[field]
        .as_u64()
        .unwrap_or_else(|| panic!("{field} in {summary}"))
}

/// A site of `nodes` ramdisk nodes (one NIC each, two for every tenth), all loading the
/// same kernel and initrd files in `dir`, with `http_server` as given.
fn many_node_site(dir: &Path, nodes: usize, http_server: &str, extra_args: &str) -> PathBuf {
    std::fs::write(dir.join("vmlinuz"), b"kernel bytes".repeat(1000)).unwrap();
    std::fs::write(dir.join("initrd"), b"initrd bytes".repeat(4000)).unwrap();
    let mut list = Vec::new();
    for i in 0..nodes {
        let mac = |n: usize| {
            format!(
                "52:54:{:02x}:{:02x}:{:02x}:{:02x}",
                (n >> 24) & 0xff,
                (n >> 16) & 0xff,
                (n >> 8) & 0xff,
                n & 0xff
            )
        };
        let nics = if i % 10 == 0 {
            format!("\"{}\", \"{}\"", mac(2 * i), mac(2 * i + 1))
        } else {
            format!("\"{}\"", mac(2 * i))
        };
        list.push(format!(
            r#"{{"id": "node-{i:05}", "nics": [{nics}], "mode": "ramdisk", "kernel": "vmlinuz", "ramdisk": "initrd", "kernel_args": "ipxegen.node=node-{i:05}{extra_args}"}}"#
        ));
    }
    let site = format!(
        r#"{{"schema": 1, "http_server": "{http_server}", "http_root": "{}/http", "nodes": [
{}
]}}"#,
        dir.display(),
        list.join(",\n")
    );
    let file = dir.join("site.json");
    std::fs::write(&file, site).unwrap();
    file
}

/// What each test starts with: its turn, a Swift of its own with the public container
/// `boot`, a work directory, and an empty loader directory (the tests publish no iPXE
/// binaries).
struct Case {
    _one: std::sync::MutexGuard<'static, ()>,
    swift: Swift,
    work: WorkDir,
    loaders: String,
}

/// The [`Case`] of `test`, named `case`; `None` when it is skipped.
fn case(test: &str, case: &str) -> Option<Case> {
    let one = serial();
    if !available(test) {
        return None;
    }
    let swift = Swift::start(case);
    let work = WorkDir::new("publish", case);
    let loaders = no_loaders(&work.0);
    swift.public_container("boot");
    Some(Case {
        _one: one,
        swift,
        work,
        loaders,
    })
}

/// An empty directory of loaders (the tests publish no iPXE binaries).
fn no_loaders(dir: &Path) -> String {
    let loaders = dir.join("loaders");
    std::fs::create_dir_all(&loaders).unwrap();
    loaders.display().to_string()
}

#[test]
fn a_second_publish_uploads_nothing_and_a_change_uploads_only_what_changed() {
    let test =
        "publish_swift a_second_publish_uploads_nothing_and_a_change_uploads_only_what_changed";
    let Some(Case {
        _one,
        swift,
        work,
        loaders,
    }) = case(test, "repeat")
    else {
        return;
    };
    swift.public_container("clean");
    let http = format!("http://{SERVER_ADDR}/v1/AUTH_test/boot");
    let site = many_node_site(&work.0, 30, &http, "");
    let env = swift.swift_env();
    let args = ["--to", "swift://boot", "--json", "--loaders", &loaders];
    let first = summary(&publish(&site, &args, &env));
    // 30 configs, 33 per-MAC copies, 30 kernels, 30 initrds, the main script; and the
    // manifest.
    assert_eq!(count(&first, "uploaded"), 124, "{first}");
    assert_eq!(count(&first, "objects"), 125, "{first}");
    let again = summary(&publish(&site, &args, &env));
    assert_eq!(
        (count(&again, "uploaded"), count(&again, "deleted")),
        (0, 0),
        "{again}"
    );
    assert_eq!(again["manifest_written"], false, "{again}");
    let text = publish(
        &site,
        &["--to", "swift://boot", "--loaders", &loaders],
        &env,
    );
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("nothing to upload (124 objects already right)"),
        "{text}"
    );

    // One node's arguments change and the last node goes: its config and per-MAC copy
    // change, the last node's four objects go.
    let changed = many_node_site(&work.0, 29, &http, "");
    let doc = std::fs::read_to_string(&changed).unwrap().replace(
        "ipxegen.node=node-00003\"",
        "ipxegen.node=node-00003 quiet\"",
    );
    std::fs::write(&changed, doc).unwrap();
    let dry = publish(
        &changed,
        &["--to", "swift://boot", "--loaders", &loaders, "--dry-run"],
        &env,
    );
    let dry = String::from_utf8_lossy(&dry.stdout).into_owned();
    for line in [
        "update node-00003/config",
        "update pxelinux.cfg/52-54-00-00-00-06",
        "delete pxelinux.cfg/52-54-00-00-00-3a",
        "delete node-00029/config",
        "delete node-00029/kernel",
        "delete node-00029/ramdisk",
        "would publish",
    ] {
        assert!(dry.contains(line), "{line} in:\n{dry}");
    }
    let after = summary(&publish(&changed, &args, &env));
    assert_eq!(
        (count(&after, "uploaded"), count(&after, "deleted")),
        (2, 4),
        "{after}"
    );
    // What is there is what a clean publish of the changed site makes.
    let clean = summary(&publish(
        &changed,
        &["--to", "swift://clean", "--json", "--loaders", &loaders],
        &env,
    ));
    assert_eq!(count(&clean, "deleted"), 0);
    assert_eq!(swift.contents("boot", ""), swift.contents("clean", ""));
}

#[test]
fn a_publish_killed_mid_way_then_run_again_equals_a_clean_publish() {
    let test = "publish_swift a_publish_killed_mid_way_then_run_again_equals_a_clean_publish";
    let Some(Case {
        _one,
        swift,
        work,
        loaders,
    }) = case(test, "kill")
    else {
        return;
    };
    swift.public_container("clean");
    let http = format!("http://{SERVER_ADDR}/v1/AUTH_test/boot");
    let old = many_node_site(&work.0, 2000, &http, "");
    let env = swift.swift_env();
    let args = ["--to", "swift://boot", "--json", "--loaders", &loaders];
    summary(&publish(&old, &args, &env));
    // A changed site (every config, one node fewer) is published and killed with SIGKILL
    // once some of it is uploaded.
    let new = many_node_site(&work.0, 1999, &http, " v2");
    let mut command = bounded(600, ipxegen_binary().to_str().unwrap());
    command
        .arg("publish")
        .arg(&new)
        .args(["--to", "swift://boot", "--loaders", &loaders, "--jobs", "2"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(work.0.join("killed.stderr")).unwrap());
    let mut running = ProcessGroup::spawn(command);
    let token = swift.token().unwrap();
    let started = Instant::now();
    let v2_uploaded = || -> usize {
        let r = ureq::get(&format!("{}/boot/node-00100/config", swift.storage_url()))
            .set("X-Auth-Token", &token)
            .call();
        usize::from(r.is_ok_and(|r| r.into_string().unwrap_or_default().contains(" v2")))
    };
    while v2_uploaded() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the publish uploaded nothing in 120 s"
        );
        std::thread::sleep(Duration::from_millis(20));
        if let Some(status) = running.exited() {
            let stderr = std::fs::read_to_string(work.0.join("killed.stderr")).unwrap_or_default();
            panic!("the publish ended ({status:?}) before it was killed: {stderr}");
        }
    }
    let status = running.kill();
    assert!(!status.success(), "killed: {status:?}");
    // Killed mid-way: the old main script and manifest are still there, some configs new.
    let manifest = ureq::get(&format!(
        "{}/boot/ipxegen-manifest.json",
        swift.storage_url()
    ))
    .call()
    .unwrap()
    .into_string()
    .unwrap();
    assert!(
        manifest.contains("node-01999/config"),
        "the old manifest is in place"
    );
    let rerun = summary(&publish(&new, &args, &env));
    assert!(
        count(&rerun, "unchanged") > 0,
        "the rerun uploaded everything again: {rerun}"
    );
    assert_eq!(count(&rerun, "deleted"), 4, "{rerun}");
    let clean = summary(&publish(
        &new,
        &["--to", "swift://clean", "--json", "--loaders", &loaders],
        &env,
    ));
    assert_eq!(
        count(&rerun, "uploaded") + count(&rerun, "unchanged"),
        count(&clean, "uploaded"),
        "{rerun} {clean}"
    );
    assert_eq!(
        swift.names("boot", "").len(),
        swift.names("clean", "").len()
    );
    assert_eq!(swift.contents("boot", ""), swift.contents("clean", ""));
    // Nothing of the publish is left: no pending manifest.
    assert!(
        !swift
            .names("boot", "")
            .iter()
            .any(|n| n.ends_with(".pending"))
    );
}

#[test]
fn no_reader_sees_part_of_an_object() {
    let test = "publish_swift no_reader_sees_part_of_an_object";
    let Some(Case {
        _one,
        swift,
        work,
        loaders,
    }) = case(test, "atomic")
    else {
        return;
    };
    let http = format!("http://{SERVER_ADDR}/v1/AUTH_test/boot");
    let site = work.0.join("site.json");
    std::fs::write(
        &site,
        format!(
            r#"{{"schema": 1, "http_server": "{http}", "http_root": "/srv/http", "nodes": [
  {{"id": "n1", "nics": ["52:54:00:00:00:01"], "mode": "ramdisk", "kernel": "vmlinuz", "ramdisk": "initrd"}}]}}"#
        ),
    )
    .unwrap();
    let env = swift.swift_env();
    // Two versions of a 4 MiB kernel (a plain PUT) and a 24 MiB initrd (a static large
    // object of 5 MiB segments).
    let version = |seed: u8| {
        let kernel: Vec<u8> = (0..4u32 << 20)
            .map(|i| u8::try_from(i % 251).unwrap_or(0) ^ seed)
            .collect();
        let initrd: Vec<u8> = (0..24u32 << 20)
            .map(|i| u8::try_from(i % 253).unwrap_or(0) ^ seed)
            .collect();
        (kernel, initrd)
    };
    let versions = [version(1), version(2)];
    let sha = |b: &[u8]| sha2::Sha256::digest(b).to_vec();
    let known: Vec<(Vec<u8>, Vec<u8>)> = versions.iter().map(|(k, i)| (sha(k), sha(i))).collect();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let (seen, partial) = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let agent = ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(30))
                .build();
            let (mut seen, mut partial) = (0usize, Vec::new());
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for (name, index) in [("kernel", 0), ("ramdisk", 1)] {
                    let url = format!("{}/boot/n1/{name}", swift.storage_url());
                    match agent.get(&url).call() {
                        Ok(r) => {
                            let mut bytes = Vec::new();
                            std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).unwrap();
                            let digest = sha(&bytes);
                            let whole = known.iter().any(|(k, i)| [k, i][index] == &digest);
                            if whole {
                                seen += 1;
                            } else {
                                partial.push(format!("{name}: {} bytes", bytes.len()));
                            }
                        }
                        Err(ureq::Error::Status(404, _)) => {}
                        Err(e) => partial.push(format!("{name}: {e}")),
                    }
                }
            }
            (seen, partial)
        });
        for (kernel, initrd) in &versions {
            std::fs::write(work.0.join("vmlinuz"), kernel).unwrap();
            std::fs::write(work.0.join("initrd"), initrd).unwrap();
            let out = publish(
                &site,
                &[
                    "--to",
                    "swift://boot",
                    "--json",
                    "--loaders",
                    &loaders,
                    "--segment-size",
                    "5",
                    "--jobs",
                    "2",
                ],
                &env,
            );
            summary(&out);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        reader.join().unwrap()
    });
    assert!(
        partial.is_empty(),
        "readers saw part of an object: {partial:?}"
    );
    assert!(seen > 0, "the reader read nothing whole");
    let (kernel, initrd) = &versions[1];
    let contents = swift.contents("boot", "n1/");
    let digest = |b: &[u8]| {
        sha(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
    };
    assert!(
        contents.contains(&("n1/kernel".to_owned(), digest(kernel))),
        "{contents:?}"
    );
    assert!(
        contents.contains(&("n1/ramdisk".to_owned(), digest(initrd))),
        "{contents:?}"
    );
    // The replaced version's segments stay for one publish (a download that started before
    // the switch may still read them), then go.
    let segments = || {
        let out = swift.swift(&["list", "boot", "--prefix", ".ipxegen-segments/"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert_eq!(segments().lines().count(), 10, "{}", segments());
    summary(&publish(
        &site,
        &[
            "--to",
            "swift://boot",
            "--json",
            "--loaders",
            &loaders,
            "--segment-size",
            "5",
        ],
        &env,
    ));
    let left = segments();
    assert_eq!(left.lines().count(), 5, "{left}");
    assert!(left.lines().all(|l| l.contains(&digest(initrd))), "{left}");
}

#[test]
fn a_failing_object_server_ends_in_a_clear_error_with_the_old_main_script_in_place() {
    let test = "publish_swift a_failing_object_server_ends_in_a_clear_error_with_the_old_main_script_in_place";
    let Some(Case {
        _one,
        mut swift,
        work,
        loaders,
    }) = case(test, "stop")
    else {
        return;
    };
    let http = format!("http://{SERVER_ADDR}/v1/AUTH_test/boot");
    let site = many_node_site(&work.0, 1000, &http, "");
    let env = swift.swift_env();
    summary(&publish(
        &site,
        &["--to", "swift://boot", "--json", "--loaders", &loaders],
        &env,
    ));
    let main = ureq::get(&format!("{}/boot/boot.ipxe", swift.storage_url()))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    // A new main script (a fallback script), and every config changes.
    let changed = many_node_site(&work.0, 1000, &http, " v2");
    let doc = std::fs::read_to_string(&changed).unwrap().replacen(
        "\"http_root\"",
        "\"ipxe_fallback_script\": \"fallback.ipxe\", \"http_root\"",
        1,
    );
    std::fs::write(&changed, doc).unwrap();
    // The publish runs; once it has uploaded some of the new configs, the object server
    // stops.
    let mut command = bounded(600, ipxegen_binary().to_str().unwrap());
    command
        .arg("publish")
        .arg(&changed)
        .args(["--to", "swift://boot", "--loaders", &loaders, "--jobs", "2"])
        .args(["--attempts", "3", "--timeout", "5"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(work.0.join("publish.stderr")).unwrap());
    let mut running = ProcessGroup::spawn(command);
    let started = Instant::now();
    loop {
        let config = ureq::get(&format!("{}/boot/node-00010/config", swift.storage_url())).call();
        if config.is_ok_and(|r| r.into_string().unwrap_or_default().contains(" v2")) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "nothing uploaded in 120 s"
        );
        assert!(
            running.exited().is_none(),
            "the publish ended before the server stopped"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    swift.stop_server("object");
    let status = running
        .wait_within(Duration::from_secs(180))
        .expect("the publish gave up within 180 s");
    let stderr = std::fs::read_to_string(work.0.join("publish.stderr")).unwrap();
    assert_eq!(status.code(), Some(69), "{stderr}");
    assert!(stderr.contains("(after 3 attempts)"), "{stderr}");
    assert!(stderr.contains("HTTP 5"), "{stderr}");
    assert!(
        stderr.contains("PUT \"node-"),
        "the error names the object: {stderr}"
    );
    swift.start_server("object");
    let started = Instant::now();
    let after = loop {
        match ureq::get(&format!("{}/boot/boot.ipxe", swift.storage_url())).call() {
            Ok(r) => break r.into_string().unwrap(),
            Err(_) if started.elapsed() < Duration::from_secs(30) => {
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => panic!("the object server did not come back: {e}"),
        }
    };
    assert_eq!(
        after, main,
        "the main script changed although the publish failed"
    );
    // Run again with the server back: it completes.
    let done = summary(&publish(
        &changed,
        &["--to", "swift://boot", "--json", "--loaders", &loaders],
        &env,
    ));
    assert!(count(&done, "uploaded") > 0);
    let main = ureq::get(&format!("{}/boot/boot.ipxe", swift.storage_url()))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(main.contains("fallback.ipxe"), "{main}");
}

#[test]
fn refused_credentials_and_a_missing_container_are_clear_errors() {
    let test = "publish_swift refused_credentials_and_a_missing_container_are_clear_errors";
    let Some(Case {
        _one,
        swift,
        work,
        loaders,
    }) = case(test, "refused")
    else {
        return;
    };
    let site = many_node_site(
        &work.0,
        2,
        &format!("http://{SERVER_ADDR}/v1/AUTH_test/boot"),
        "",
    );
    let mut wrong = swift.swift_env();
    wrong[2].1 = "wrong".to_owned();
    type Env = Vec<(&'static str, String)>;
    let cases: [(&str, Env, &str, i32, &str); 4] = [
        (
            "swift://boot",
            wrong,
            "",
            77,
            "HTTP 401 Unauthorized: the credentials are refused",
        ),
        (
            "swift://nothere",
            swift.swift_env(),
            "",
            69,
            "container \"nothere\" does not exist",
        ),
        (
            "s3://boot",
            vec![
                ("AWS_ACCESS_KEY_ID", "test:tester".into()),
                ("AWS_SECRET_ACCESS_KEY", "wrong".into()),
                ("HOME", "/nonexistent".into()),
            ],
            "--endpoint",
            77,
            "the credentials are refused",
        ),
        (
            "s3://nothere",
            swift.s3_env(),
            "--endpoint",
            69,
            "bucket \"nothere\" does not exist",
        ),
    ];
    for (to, env, endpoint, code, message) in cases {
        let mut args = vec!["--to", to, "--loaders", &loaders];
        let e = swift.endpoint();
        if !endpoint.is_empty() {
            args.extend([endpoint, e.as_str()]);
        }
        let out = publish(&site, &args, &env);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{to}: {stderr}");
        assert!(stderr.contains(message), "{to}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    // Nothing was written.
    assert!(swift.names("boot", "").is_empty());
}

/// Publishes the QEMU test site to `to` (Swift API or s3api) and boots its deploy node on
/// BIOS iPXE from the container over HTTP.
fn boots_from_swift(test: &str, case: &str, s3: bool) {
    let _one = serial();
    if !available(test)
        || !require_tools(
            test,
            &[
                ("qemu-system-x86_64", "qemu-system-x86"),
                ("socat", "socat"),
            ],
        )
    {
        return;
    }
    let kernel = kernel();
    if !ready_or_skip(test, kernel.as_ref().err().cloned()) {
        return;
    }
    let kernel = kernel.unwrap();
    let swift = Swift::start(case);
    let work = WorkDir::new("publish", case);
    let loaders = no_loaders(&work.0);
    let container = if s3 { "s3boot" } else { "boot" };
    swift.public_container(container);
    let ramdisk = work.0.join("initrd.cpio.gz");
    make_initrd(&ramdisk).unwrap();
    let site = std::fs::read_to_string(workspace_dir().join("tests/e2e/qemu/site.json"))
        .unwrap()
        .replace(
            "\"http://10.0.2.100\"",
            &format!("\"http://{SERVER_ADDR}/v1/AUTH_test/{container}\""),
        )
        .replace("@HTTP_ROOT@", &work.0.join("http").display().to_string())
        .replace("@KERNEL@", kernel.to_str().unwrap())
        .replace("@RAMDISK@", ramdisk.to_str().unwrap());
    let site_file = work.0.join("site.json");
    std::fs::write(&site_file, site).unwrap();
    let (to, env, endpoint) = if s3 {
        (
            format!("s3://{container}"),
            swift.s3_env(),
            vec!["--endpoint".to_owned(), swift.endpoint()],
        )
    } else {
        (
            format!("swift://{container}"),
            swift.swift_env(),
            Vec::new(),
        )
    };
    let mut args = vec!["--to", to.as_str(), "--json", "--loaders", &loaders];
    args.extend(endpoint.iter().map(String::as_str));
    let published = summary(&publish(&site_file, &args, &env));
    assert!(count(&published, "uploaded") > 0);
    let again = summary(&publish(&site_file, &args, &env));
    assert_eq!(count(&again, "uploaded"), 0, "{again}");

    let mut qemu = bounded(300, "qemu-system-x86_64");
    qemu.args(["-m", "512", "-nographic", "-no-reboot", "-boot", "n"]);
    qemu.arg("-netdev").arg(format!(
        "user,id=n0,restrict=on,guestfwd=tcp:{SERVER_ADDR}:80-cmd:socat - TCP:127.0.0.1:{},bootfile=http://{SERVER_ADDR}/v1/AUTH_test/{container}/boot.ipxe",
        swift.port
    ));
    qemu.arg("-device")
        .arg("virtio-net-pci,netdev=n0,mac=52:54:00:12:34:56,bootindex=1");
    let stderr = work.0.join("qemu.stderr");
    qemu.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr).unwrap());
    let mut group = ProcessGroup::spawn(qemu);
    let watched = watch_console(
        &mut group,
        &Watch {
            stop_at: None,
            stop_count: 1,
            expected_errors: &[],
            hard: Duration::from_secs(180),
            stall: Duration::from_secs(60),
        },
    );
    drop(group);
    std::fs::write(work.0.join("console.log"), &watched.console.raw).unwrap();
    let cmdline = watched.console.cmdline().unwrap_or_default();
    let report = format!(
        "end {:?} after {:.1} s; console:\n{}\nqemu: {}",
        watched.end,
        watched.elapsed.as_secs_f64(),
        watched.console.logical.join("\n"),
        std::fs::read_to_string(&stderr).unwrap_or_default()
    );
    assert!(matches!(watched.end, End::Exited(_)), "{report}");
    for arg in [
        "BOOTIF=01-52-54-00-12-34-56",
        "ipxegen.node=deploy-node",
        "ipa-debug=1",
    ] {
        assert!(
            cmdline.contains(&arg),
            "{arg} not on the command line {cmdline:?}: {report}"
        );
    }
    // iPXE fetched them from the container.
    assert!(
        String::from_utf8_lossy(&watched.console.raw).contains(&format!(
            "/v1/AUTH_test/{container}/deploy-node/deploy_kernel"
        )),
        "{report}"
    );
}

#[test]
fn ipxe_boots_from_what_publish_put_in_swift() {
    boots_from_swift(
        "publish_swift ipxe_boots_from_what_publish_put_in_swift",
        "boot-swift",
        false,
    );
}

#[test]
fn ipxe_boots_from_what_publish_put_in_swift_over_s3api() {
    boots_from_swift(
        "publish_swift ipxe_boots_from_what_publish_put_in_swift_over_s3api",
        "boot-s3",
        true,
    );
}

#[test]
fn the_s3_path_is_incremental_and_removes_only_its_own_objects() {
    let test = "publish_swift the_s3_path_is_incremental_and_removes_only_its_own_objects";
    let Some(Case {
        _one,
        swift,
        work,
        loaders,
    }) = case(test, "s3")
    else {
        return;
    };
    // An object of the operator's, under the same prefix: never touched.
    let theirs = work.0.join("notes.txt");
    std::fs::write(&theirs, b"the operator's").unwrap();
    let up = swift.swift(&[
        "upload",
        "boot",
        theirs.to_str().unwrap(),
        "--object-name",
        "site/notes.txt",
    ]);
    assert!(
        up.status.success(),
        "{}",
        String::from_utf8_lossy(&up.stderr)
    );
    let http = format!("http://{SERVER_ADDR}/v1/AUTH_test/boot/site");
    let env = swift.s3_env();
    let e = swift.endpoint();
    let args = [
        "--to",
        "s3://boot/site",
        "--endpoint",
        e.as_str(),
        "--json",
        "--loaders",
        &loaders,
        "--segment-size",
        "5",
    ];
    let site = many_node_site(&work.0, 10, &http, "");
    // A large initrd: a multipart upload.
    std::fs::write(work.0.join("initrd"), vec![7u8; 12 << 20]).unwrap();
    let first = summary(&publish(&site, &args, &env));
    assert_eq!(count(&first, "uploaded"), 42, "{first}");
    let again = summary(&publish(&site, &args, &env));
    assert_eq!(
        (count(&again, "uploaded"), count(&again, "deleted")),
        (0, 0),
        "{again}"
    );
    let fewer = many_node_site(&work.0, 9, &http, "");
    std::fs::write(work.0.join("initrd"), vec![7u8; 12 << 20]).unwrap();
    let after = summary(&publish(&fewer, &args, &env));
    assert_eq!(
        (count(&after, "uploaded"), count(&after, "deleted")),
        (0, 4),
        "{after}"
    );
    let names = swift.names("boot", "site/");
    assert!(names.contains(&"site/notes.txt".to_owned()), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("node-00009")), "{names:?}");
    let initrd = swift.contents("boot", "site/node-00000/ramdisk");
    let want: String = sha2::Sha256::digest(vec![7u8; 12 << 20])
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(initrd, [("site/node-00000/ramdisk".to_owned(), want)]);
}

#[test]
fn keystone_v3_auth_from_the_environment_and_from_clouds_yaml() {
    let test = "publish_swift keystone_v3_auth_from_the_environment_and_from_clouds_yaml";
    let _one = serial();
    if !available(test)
        || !require_tools(
            test,
            &[
                ("keystone-wsgi-public", "python3-keystone"),
                ("keystone-manage", "python3-keystone"),
            ],
        )
    {
        return;
    }
    let swift = Swift::start_with_keystone("keystone");
    let work = WorkDir::new("publish", "keystone");
    let loaders = no_loaders(&work.0);
    let env = swift.keystone_env();
    let site = many_node_site(
        &work.0,
        5,
        &format!("http://{SERVER_ADDR}/v1/AUTH_project/boot"),
        "",
    );
    // No container yet: Keystone's token and catalog got publish as far as the container.
    let out = publish(
        &site,
        &["--to", "swift://boot", "--loaders", &loaders],
        &env,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(69), "{stderr}");
    assert!(
        stderr.contains("container \"boot\" does not exist"),
        "{stderr}"
    );
    let mut post = bounded(120, "swift");
    post.args(["post", "-r", ".r:*", "boot"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdin(Stdio::null());
    let posted = post.output().unwrap();
    assert!(
        posted.status.success(),
        "{}",
        String::from_utf8_lossy(&posted.stderr)
    );
    let first = summary(&publish(
        &site,
        &["--to", "swift://boot", "--json", "--loaders", &loaders],
        &env,
    ));
    assert_eq!(count(&first, "uploaded"), 22, "{first}");
    let public = first["public_url"].as_str().unwrap().to_owned();
    assert!(
        public.starts_with(&format!("http://127.0.0.1:{}/v1/AUTH_", swift.port + 5)),
        "the catalog's object-store endpoint: {public}"
    );
    // The same cloud from clouds.yaml: nothing to upload.
    let clouds = work.0.join("clouds.yaml");
    std::fs::write(
        &clouds,
        format!(
            "clouds:\n  lab:\n    auth:\n      auth_url: http://127.0.0.1:{}\n      username: admin\n      password: secret\n      project_name: admin\n      user_domain_name: Default\n      project_domain_name: Default\n    region_name: RegionOne\n",
            swift.keystone_port()
        ),
    )
    .unwrap();
    let yaml_env = vec![
        ("OS_CLOUD", "lab".to_owned()),
        ("OS_CLIENT_CONFIG_FILE", clouds.display().to_string()),
    ];
    let again = summary(&publish(
        &site,
        &["--to", "swift://boot", "--json", "--loaders", &loaders],
        &yaml_env,
    ));
    assert_eq!(
        (count(&again, "uploaded"), count(&again, "unchanged")),
        (0, 22),
        "{again}"
    );
    // What anyone reads over plain HTTP is what was published.
    let main = ureq::get(&format!("{public}boot.ipxe"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(main.starts_with("#!ipxe"), "{main}");
    // A wrong password is refused.
    let mut wrong = env.clone();
    wrong[2].1 = "wrong".to_owned();
    let out = publish(
        &site,
        &["--to", "swift://boot", "--loaders", &loaders],
        &wrong,
    );
    assert_eq!(
        out.status.code(),
        Some(77),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
