//! `ipxegen publish`: the site's HTTP root written to an object store (OpenStack Swift or an
//! S3 API), with `build`'s guarantees where there is no rename.
//!
//! # Design
//!
//! - **What.** The same entries and bytes `build` writes to the HTTP root ([`plan`], from
//!   the core's tree walk), per-MAC entries as copies of their node's config (an object
//!   store has no links; a copy is fetched over plain HTTP like any object), and the
//!   manifest.
//! - **Incremental.** The container is listed once. An object is already right when its
//!   listed size and ETag are the content's size and MD5; an object whose ETag is no MD5 (a
//!   large object made of segments or parts) when the `sha256` metadata every upload stores
//!   (`X-Object-Meta-Sha256`, `x-amz-meta-sha256`) is the content's SHA-256. Nothing else
//!   is uploaded.
//! - **Ordered switch.** The core's [`PublishPhase`]s in order, each finished before the
//!   next starts: node configs and files (and loaders), then per-MAC entries, then the main
//!   script. Only then are stale objects deleted, and the manifest is written last.
//! - **Its own objects only.** An object is stale when a manifest this target holds lists it
//!   and the new tree does not: the published manifest, and the pending one each publish
//!   writes before its first upload (`ipxegen-manifest.json.pending`, deleted at the end), so
//!   that what a killed publish uploaded is known to be ipxegen's. Objects no manifest lists
//!   are never touched.
//! - **Resumable.** A rerun after `kill -9` lists what is there and uploads only what is not
//!   right; each PUT is atomic in the store, so no reader sees part of an object.
//! - **Large files** over `--segment-size` are uploaded in parts (`--jobs` at a time): Swift
//!   static large objects, their segments under `.ipxegen-segments/` (removed once neither
//!   the new tree nor the one before it uses them: a download of the old version that
//!   started before the switch can finish), or S3 multipart uploads.

mod plan;
mod s3;
mod store;
mod swift;
pub mod target;

use crate::commands::build::{loader_dirs, site_base};
use crate::commands::json_string;
use crate::failure::{EX_DATAERR, EX_IOERR, EX_USAGE, Failure};
use crate::site_check::{MissingFiles, check_site};
use crate::site_file::read_site;
use crate::sources::Sources;
use crate::templates::Templates;
use indicatif::{ProgressBar, ProgressStyle};
use ipxegen_core::Site;
use ipxegen_core::manifest::MANIFEST_NAME;
use ipxegen_core::model::Quoted;
use ipxegen_core::tree::PublishPhase;
use plan::{Planned, manifest_entries, manifest_upload};
use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use store::{Listed, Retry, Store, StoreError, Upload};
use target::{Env, Kind, S3Auth, SwiftAuth, Target};

/// Credentials refused.
pub const EX_NOPERM: u8 = 77;
/// The object store is unreachable, failing, or has no such container.
pub const EX_UNAVAILABLE: u8 = 69;

/// The pending manifest's name: the tree a publish is writing, until it is done.
pub const PENDING_MANIFEST: &str = "ipxegen-manifest.json.pending";

/// Arguments of `ipxegen publish`.
#[derive(clap::Args)]
pub struct PublishArgs {
    /// The site document (JSON); `-` reads standard input. Default: the built-in example.
    site: Option<PathBuf>,
    /// Where to publish: swift://CONTAINER[/PREFIX] (OpenStack Swift; credentials from
    /// OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME for Keystone v3, or ST_AUTH,
    /// ST_USER, ST_KEY for v1 auth, or OS_STORAGE_URL and OS_AUTH_TOKEN) or
    /// s3://BUCKET[/PREFIX] (an S3 API; AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION
    /// or ~/.aws/credentials and ~/.aws/config).
    #[arg(long, value_name = "URL")]
    to: String,
    /// The S3 endpoint, for services other than AWS (Swift's s3api, Ceph RGW, MinIO):
    /// path-style requests to it. Default: AWS_ENDPOINT_URL, else AWS's for the region.
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// Directory the loaders are copied from (as `build --loaders`; default /usr/lib/ipxe).
    #[arg(long, value_name = "DIR")]
    loaders: Vec<PathBuf>,
    /// Uploads at a time.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    jobs: u16,
    /// Objects larger than this many MiB are uploaded in parts of this size (Swift static
    /// large objects, S3 multipart uploads).
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u64).range(5..=5120))]
    segment_size: u64,
    /// Seconds a request may wait for the store before it is retried.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Attempts per request (retried with back-off on 5xx, timeouts and resets).
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=20))]
    attempts: u32,
    /// Print what would be uploaded and deleted, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print a JSON summary on standard output instead of text.
    #[arg(long)]
    json: bool,
}

/// Connects to the target's store.
fn connect(args: &PublishArgs, target: &Target, env: &Env) -> Result<Box<dyn Store>, Failure> {
    let retry = Retry {
        attempts: args.attempts,
        first_delay: Duration::from_millis(250),
    };
    let agent = store::agent(Duration::from_secs(args.timeout));
    let segment = args.segment_size.saturating_mul(1 << 20);
    let store: Result<Box<dyn Store>, StoreError> = match target.kind {
        Kind::Swift => {
            if args.endpoint.is_some() {
                return Err(Failure::new(
                    EX_USAGE,
                    "--endpoint is for s3:// targets (Swift's storage URL comes from its auth)",
                ));
            }
            let auth = SwiftAuth::from_env(env).map_err(|e| Failure::new(EX_USAGE, e))?;
            swift::SwiftStore::connect(
                agent,
                auth,
                &target.container,
                &target.prefix,
                retry,
                segment,
            )
            .map(boxed)
        }
        Kind::S3 => {
            let auth = S3Auth::from_env(env, args.endpoint.as_deref())
                .map_err(|e| Failure::new(EX_USAGE, e))?;
            s3::S3Store::connect(
                agent,
                &auth,
                &target.container,
                &target.prefix,
                retry,
                segment,
            )
            .map(boxed)
        }
    };
    store.map_err(|e| store_failure(&args.to, &e))
}

/// `store` behind the trait every phase uses.
fn boxed<S: Store + 'static>(store: S) -> Box<dyn Store> {
    Box::new(store)
}

/// The failure of a store request: exit 77 when the credentials are refused, else 69.
fn store_failure(to: &str, e: &StoreError) -> Failure {
    let code = if e.auth { EX_NOPERM } else { EX_UNAVAILABLE };
    Failure::new(code, format!("{to}: {}", e.message))
}

/// What `http_server` says about where the objects are served from.
#[derive(Debug, PartialEq, Eq)]
enum Served {
    /// It is the container's URL.
    Container,
    /// It is on another host (a CDN, a proxy): it cannot be told.
    Elsewhere,
    /// It is the store's host but another path.
    Wrong,
}

/// Compares `http_server` (the site's base URL) with the container's public URL.
fn served(http_server: &str, public: &str) -> Served {
    let norm = |u: &str| u.trim_end_matches('/').to_ascii_lowercase();
    let (a, b) = (norm(http_server), norm(public));
    if a == b {
        return Served::Container;
    }
    let origin = |u: &str| -> String {
        let after = u.split_once("://").map_or(u, |(_, r)| r);
        let host = after.split('/').next().unwrap_or("");
        format!("{}://{host}", u.split("://").next().unwrap_or(""))
    };
    if origin(&a) == origin(&b) {
        Served::Wrong
    } else {
        Served::Elsewhere
    }
}

/// What publish does to one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    Create,
    Update,
    Delete,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Update => "update",
            Change::Delete => "delete",
        }
    }
}

/// Runs `each` on every item of `items`, `jobs` at a time; stops at the first failure.
///
/// # Errors
/// The first failure.
fn in_parallel<T: Sync>(
    items: &[T],
    jobs: usize,
    each: impl Fn(&T) -> Result<(), StoreError> + Sync,
) -> Result<(), StoreError> {
    store::in_parallel(items.len(), jobs, |i| match items.get(i) {
        Some(item) => each(item),
        None => Ok(()),
    })
    .map(drop)
}

/// Publishes the tree; see the command's help.
pub fn run(args: &PublishArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let target = Target::parse(&args.to).map_err(|e| Failure::new(EX_USAGE, e))?;
    let file = read_site(args.site.as_deref())?;
    let site =
        Site::parse(&file.bytes).map_err(|e| Failure::in_site(&file.name, &file.bytes, e))?;
    let base = site_base(args.site.as_deref());
    let mut sources = Sources::new(base.clone());
    let templates = Templates::read(&site, &base);
    let files = templates.files();
    let site = site.with_templates(&files);
    let site = check_site(&file, &site, Some(&mut sources), MissingFiles::Refuse)
        .refuse_if_problems(&file, "; nothing was published")?;
    if !site.config().ipxe_enabled {
        return Err(Failure::new(
            EX_DATAERR,
            format!(
                "{}: publish writes the HTTP root, and a site with ipxe_enabled false serves its tree from the TFTP root (use build)",
                file.name
            ),
        ));
    }
    let env = Env::from_process();
    let store = connect(args, &target, &env)?;
    let mut warnings = Vec::new();
    let http_server = site.config().http_base.to_string();
    let public = store.public_base();
    match served(&http_server, &public) {
        Served::Container => {}
        // An S3 gateway (Swift's s3api, Ceph RGW) serves the same objects under other paths
        // of its own host too.
        Served::Wrong if target.kind == Kind::S3 => warnings.push(format!(
            "cannot tell whether http_server {} serves {} (the bucket's URL is {public}): the gateway must serve it at that path",
            Quoted(&http_server),
            args.to
        )),
        Served::Elsewhere => warnings.push(format!(
            "cannot tell whether http_server {} serves {} (the container's URL is {public}): a CDN or proxy in front of it must",
            Quoted(&http_server),
            args.to
        )),
        Served::Wrong => {
            return Err(Failure::new(
                EX_DATAERR,
                format!(
                    "{}: http_server {} is on the object store but not where publish puts the tree ({public}): iPXE would not find it",
                    file.name,
                    Quoted(&http_server)
                ),
            ));
        }
    }
    let loaders = loader_dirs(&args.loaders, true);
    let key_of = |path: &str| target.key(path);
    let plan = plan::plan(&site, &mut sources, &loaders, &key_of)
        .map_err(|e| Failure::new(EX_IOERR, format!("{}: {e}", file.name)))?;
    for (path, source, why) in &plan.missing_loaders {
        warnings.push(format!(
            "loader {} not found ({why}): {path} is not published (Debian's ipxe package installs the loaders; or give --loaders DIR)",
            source.display()
        ));
    }
    let fail = |e: StoreError| store_failure(&args.to, &e);

    // What is there.
    let listed: HashMap<String, Listed> = store
        .list(&target.key_prefix())
        .map_err(fail)?
        .into_iter()
        .map(|l| (l.key.clone(), l))
        .collect();
    let segment = args.segment_size.saturating_mul(1 << 20);
    let mut ours: HashMap<String, bool> = HashMap::new();
    // Large objects the published manifest lists: their segments stay until the next
    // publish, for downloads that started before this one switches.
    let mut large_before: Vec<(String, String)> = Vec::new();
    for name in [MANIFEST_NAME, PENDING_MANIFEST] {
        let key = target.key(name);
        if !listed.contains_key(&key) {
            continue;
        }
        if let Some(bytes) = store.get(&key).map_err(fail)? {
            for entry in manifest_entries(&bytes).unwrap_or_default() {
                let key = target.key(&entry.path);
                if let (MANIFEST_NAME, Some((size, sha))) = (name, &entry.digest)
                    && *size > segment
                {
                    large_before.push((key.clone(), sha.clone()));
                }
                ours.insert(key, entry.per_mac);
            }
        }
    }

    // What to change.
    let mut uploads: Vec<(&Planned, Change)> = Vec::new();
    let mut unchanged = 0u64;
    for object in &plan.objects {
        let u = &object.upload;
        let right = match listed.get(&u.key) {
            None => false,
            Some(l) if l.size != u.size => false,
            Some(l) => match &l.md5 {
                Some(md5) => *md5 == u.md5,
                None => {
                    store.stored_sha256(&u.key).map_err(fail)?.as_deref() == Some(u.sha256.as_str())
                }
            },
        };
        if right {
            unchanged += 1;
        } else {
            let change = if listed.contains_key(&u.key) {
                Change::Update
            } else {
                Change::Create
            };
            uploads.push((object, change));
        }
    }
    let planned: HashSet<&str> = plan.objects.iter().map(|o| o.upload.key.as_str()).collect();
    let manifest_key = target.key(MANIFEST_NAME);
    let pending_key = target.key(PENDING_MANIFEST);
    let mut stale: Vec<(String, bool, bool)> = ours
        .iter()
        .filter(|(key, _)| {
            !planned.contains(key.as_str()) && **key != manifest_key && **key != pending_key
        })
        .filter_map(|(key, per_mac)| {
            listed
                .get(key)
                .map(|l| (key.clone(), *per_mac, l.md5.is_none()))
        })
        .collect();
    // Per-MAC entries first (they lead to the rest), then in key order.
    stale.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let manifest = manifest_upload(&plan.manifest, manifest_key.clone());
    let manifest_right = listed
        .get(&manifest_key)
        .is_some_and(|l| l.md5.as_deref() == Some(manifest.md5.as_str()));

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for w in &warnings {
        eprintln!("ipxegen: warning: {w}");
    }
    if args.dry_run {
        let changes: Vec<(Change, &str)> = uploads
            .iter()
            .map(|(o, c)| (*c, o.upload.key.as_str()))
            .chain(stale.iter().map(|(k, _, _)| (Change::Delete, k.as_str())))
            .collect();
        let printed = if args.json {
            let mut text = String::from("{\"dry_run\": true, \"changes\": [");
            for (i, (c, key)) in changes.iter().enumerate() {
                text.push_str(if i == 0 { "\n  " } else { ",\n  " });
                text.push_str(&format!(
                    "{{\"action\": \"{}\", \"key\": {}}}",
                    c.as_str(),
                    json_string(key)
                ));
            }
            text.push_str(&format!(
                "{}], \"to\": {}, \"uploads\": {}, \"deletes\": {}, \"unchanged\": {}}}\n",
                if changes.is_empty() { "" } else { "\n" },
                json_string(&args.to),
                uploads.len(),
                stale.len(),
                unchanged
            ));
            out.write_all(text.as_bytes())
        } else {
            let mut text = String::new();
            for (c, key) in &changes {
                text.push_str(&format!("{} {key}\n", c.as_str()));
            }
            text.push_str(&format!(
                "would publish {} to {}: {} uploads, {} deletes, {} unchanged\n",
                file.name,
                store.describe(),
                uploads.len(),
                stale.len(),
                unchanged
            ));
            out.write_all(text.as_bytes())
        };
        return printed.map_err(|e| Failure::new(EX_IOERR, format!("(stdout): cannot write: {e}")));
    }

    let work = uploads.len() + stale.len();
    let bar = if args.json || work < 100 || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(u64::try_from(work).unwrap_or(u64::MAX));
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} objects {eta}") {
            bar.set_style(style);
        }
        bar
    };
    let jobs = usize::from(args.jobs);
    let uploaded = AtomicUsize::new(0);
    if !uploads.is_empty() || !stale.is_empty() || !manifest_right {
        // The tree this publish writes, so that a rerun after a kill knows its objects.
        let pending = manifest_upload(&plan.manifest, pending_key.clone());
        store.put(&pending, jobs).map_err(fail)?;
    }
    for phase in [
        PublishPhase::Content,
        PublishPhase::PerMac,
        PublishPhase::Main,
    ] {
        let (large, small): (Vec<&Upload>, Vec<&Upload>) = uploads
            .iter()
            .filter(|(o, _)| o.phase == phase)
            .map(|(o, _)| &o.upload)
            .partition(|u| u.size > segment);
        for u in large {
            store.put(u, jobs).map_err(fail)?;
            uploaded.fetch_add(1, Ordering::Relaxed);
            bar.inc(1);
        }
        in_parallel(&small, jobs, |u| {
            store.put(u, 1)?;
            uploaded.fetch_add(1, Ordering::Relaxed);
            bar.inc(1);
            Ok(())
        })
        .map_err(fail)?;
    }
    // The new main script is in place: what the old tree had and this one has not goes.
    in_parallel(&stale, jobs, |(key, _, large)| {
        store.delete(key, *large)?;
        bar.inc(1);
        Ok(())
    })
    .map_err(fail)?;
    let mut large_kept: Vec<(String, String)> = plan
        .objects
        .iter()
        .filter(|o| o.upload.size > segment)
        .map(|o| (o.upload.key.clone(), o.upload.sha256.clone()))
        .collect();
    large_kept.extend(large_before);
    let segments_removed = store.clean_segments(&large_kept).map_err(fail)?;
    if !manifest_right {
        store.put(&manifest, 1).map_err(fail)?;
    }
    if listed.contains_key(&pending_key)
        || !uploads.is_empty()
        || !stale.is_empty()
        || !manifest_right
    {
        store.delete(&pending_key, false).map_err(fail)?;
    }
    bar.finish_and_clear();
    let uploaded = uploaded.into_inner();
    let seconds = started.elapsed().as_secs_f64();
    let text = if args.json {
        format!(
            "{{\"dry_run\": false, \"site\": {}, \"to\": {}, \"public_url\": {}, \"objects\": {}, \"uploaded\": {uploaded}, \"deleted\": {}, \"unchanged\": {unchanged}, \"segments_removed\": {segments_removed}, \"manifest_written\": {}, \"seconds\": {seconds:.3}}}\n",
            json_string(&file.name),
            json_string(&args.to),
            json_string(&public),
            plan.objects.len() + 1,
            stale.len(),
            !manifest_right
        )
    } else if uploaded == 0 && stale.is_empty() && manifest_right {
        format!(
            "published {} to {}: nothing to upload ({unchanged} objects already right) in {seconds:.1} s\n",
            file.name,
            store.describe()
        )
    } else {
        format!(
            "published {} to {}: {uploaded} uploaded, {} deleted, {unchanged} unchanged in {seconds:.1} s\n",
            file.name,
            store.describe(),
            stale.len()
        )
    };
    out.write_all(text.as_bytes())
        .map_err(|e| Failure::new(EX_IOERR, format!("(stdout): cannot write: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_server_against_the_container_url() {
        let public = "http://127.0.0.1:8080/v1/AUTH_test/boot/";
        assert_eq!(
            served("http://127.0.0.1:8080/v1/AUTH_test/boot", public),
            Served::Container
        );
        assert_eq!(
            served("http://127.0.0.1:8080/v1/AUTH_test/other", public),
            Served::Wrong
        );
        assert_eq!(
            served("https://cdn.example.com/boot", public),
            Served::Elsewhere
        );
    }
}
