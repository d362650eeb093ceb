//! A one-node OpenStack Swift on 127.0.0.1 for a test: Debian's `swift-proxy`,
//! `swift-account`, `swift-container` and `swift-object` servers and `memcached`, configured by
//! `tests/swift/setup.sh` (rings, tempauth user `test:tester` with key `testing`, the `s3api`
//! middleware) in the test's own directory. Each server runs under `timeout -s KILL` in a
//! process group of its own. A Swift server leaves its group for a session of its own when it
//! starts (`drop_privileges` calls `setsid`), so each also carries `IPXEGEN_SWIFT=<its
//! name in this Swift's directory>` in its environment, and is killed by that when the
//! [`Swift`] is dropped (also when the test fails) or the server is stopped.

use crate::ProcessGroup;
use crate::qemu::{WorkDir, bounded};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The servers, in the order they start.
pub const SERVERS: [&str; 4] = ["account", "container", "object", "proxy"];

/// The Debian packages the Swift tests need, with a command each installs.
pub const TOOLS: &[(&str, &str)] = &[
    ("swift-proxy-server", "swift-proxy"),
    ("swift-account-server", "swift-account"),
    ("swift-container-server", "swift-container"),
    ("swift-object-server", "swift-object"),
    ("swift-ring-builder", "swift"),
    ("swift", "python3-swiftclient"),
    ("memcached", "memcached"),
];

/// Longest any server of a test may run.
const LIMIT_S: u32 = 900;

/// A running Swift.
pub struct Swift {
    /// Its configuration and data (kept on failure).
    pub dir: WorkDir,
    /// The proxy's port (the account server is `port + 1`, container `+ 2`, object `+ 3`,
    /// memcached `+ 4`, the Keystone proxy `+ 5`, Keystone `+ 6`).
    pub port: u16,
    /// Started with Keystone ([`Swift::start_with_keystone`]).
    pub keystone: bool,
    servers: Vec<(&'static str, ProcessGroup)>,
}

/// A base port with it and the next six free on 127.0.0.1.
#[allow(clippy::panic, reason = "a test helper: the test fails")]
fn free_ports() -> u16 {
    let seed = u16::try_from(std::process::id() % 20_000).unwrap_or(0);
    for step in 0..2000u16 {
        let base = 20_000 + (seed.wrapping_add(step.wrapping_mul(7)) % 40_000);
        let all_free = (0..7).all(|i| TcpListener::bind(("127.0.0.1", base + i)).is_ok());
        if all_free {
            return base;
        }
    }
    panic!("no seven free ports on 127.0.0.1");
}

impl Swift {
    /// Sets up and starts a Swift for test `case`; waits (at most 30 s) until its proxy
    /// answers `/info`.
    ///
    /// # Panics
    /// When it cannot be set up or does not start.
    #[allow(
        clippy::panic,
        clippy::unwrap_used,
        reason = "a test helper: the test fails"
    )]
    pub fn start(case: &str) -> Swift {
        Swift::start_as(case, false)
    }

    /// [`Swift::start`], with a Keystone (`tests/swift/keystone.sh`) and a second proxy that
    /// authenticates with it ([`Swift::keystone_port`], [`Swift::keystone_env`]).
    pub fn start_with_keystone(case: &str) -> Swift {
        Swift::start_as(case, true)
    }

    #[allow(
        clippy::panic,
        clippy::unwrap_used,
        reason = "a test helper: the test fails"
    )]
    fn start_as(case: &str, keystone: bool) -> Swift {
        let dir = WorkDir::new("swift", case);
        let port = free_ports();
        let mut setup = Command::new("bash");
        setup
            .arg(crate::workspace_dir().join("tests/swift/setup.sh"))
            .arg(&dir.0)
            .arg(port.to_string());
        if keystone {
            setup.args(["0", &(port + 6).to_string()]);
        }
        let setup = setup.output().unwrap();
        assert!(
            setup.status.success(),
            "tests/swift/setup.sh failed: {}",
            String::from_utf8_lossy(&setup.stderr)
        );
        let mut swift = Swift {
            dir,
            port,
            keystone,
            servers: Vec::new(),
        };
        if keystone {
            swift.start_keystone();
        }
        let mut memcached = bounded(LIMIT_S, "memcached");
        memcached.args([
            "-l",
            "127.0.0.1",
            "-p",
            &(port + 4).to_string(),
            "-U",
            "0",
            "-u",
            "root",
        ]);
        memcached.stdout(Stdio::null()).stderr(Stdio::null());
        memcached.env(MARKER, swift.marker("memcached"));
        swift
            .servers
            .push(("memcached", ProcessGroup::spawn(memcached)));
        // The proxy starts once the others listen: a server it cannot reach at first would
        // be error-limited for a minute.
        for (i, server) in SERVERS.iter().take(3).enumerate() {
            swift.start_server(server);
            swift.wait_listening(port + 1 + u16::try_from(i).unwrap_or(0));
        }
        swift.wait_listening(port + 4);
        swift.start_server("proxy");
        swift.wait_ready();
        if keystone {
            swift.start_server("proxy-keystone");
            swift.wait_listening(port + 5);
            let catalog = Command::new("bash")
                .arg(crate::workspace_dir().join("tests/swift/keystone.sh"))
                .args(["catalog", &(port + 6).to_string(), &(port + 5).to_string()])
                .output()
                .unwrap();
            assert!(
                catalog.status.success(),
                "keystone.sh catalog failed: {}",
                String::from_utf8_lossy(&catalog.stderr)
            );
        }
        swift
    }

    /// Starts server `name` (`account`, `container`, `object`, `proxy`, `proxy-keystone`:
    /// the program before the `-`, the config `<name>-server.conf`).
    pub fn start_server(&mut self, name: &'static str) {
        let program = name.split('-').next().unwrap_or(name);
        let mut command = bounded(LIMIT_S, &format!("swift-{program}-server"));
        command.arg(self.dir.0.join(format!("{name}-server.conf")));
        command.env(MARKER, self.marker(name));
        self.log_to(&mut command, name);
        self.servers.push((name, ProcessGroup::spawn(command)));
    }

    /// Sets up and starts Keystone on `port + 6`.
    #[allow(clippy::unwrap_used, reason = "a test helper: the test fails")]
    fn start_keystone(&mut self) {
        let dir = self.dir.0.join("keystone");
        let kport = self.port + 6;
        let setup = Command::new("bash")
            .arg(crate::workspace_dir().join("tests/swift/keystone.sh"))
            .arg("setup")
            .arg(&dir)
            .arg(kport.to_string())
            .output()
            .unwrap();
        assert!(
            setup.status.success(),
            "keystone.sh setup failed: {}",
            String::from_utf8_lossy(&setup.stderr)
        );
        let mut command = bounded(LIMIT_S, "keystone-wsgi-public");
        command
            .args(["--host", "127.0.0.1", "--port", &kport.to_string()])
            .env("OS_KEYSTONE_CONFIG_FILES", dir.join("keystone.conf"))
            .env(MARKER, self.marker("keystone"))
            .stdin(Stdio::null());
        self.log_to(&mut command, "keystone");
        self.servers
            .push(("keystone", ProcessGroup::spawn(command)));
        self.wait_listening(kport);
    }

    /// Keystone's port.
    pub fn keystone_port(&self) -> u16 {
        self.port + 6
    }

    /// The environment of Keystone v3 password auth as user admin of project admin, as
    /// `ipxegen publish` and `swift` read it.
    pub fn keystone_env(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "OS_AUTH_URL",
                format!("http://127.0.0.1:{}/v3", self.keystone_port()),
            ),
            ("OS_USERNAME", "admin".to_owned()),
            ("OS_PASSWORD", "secret".to_owned()),
            ("OS_PROJECT_NAME", "admin".to_owned()),
            ("OS_USER_DOMAIN_NAME", "Default".to_owned()),
            ("OS_PROJECT_DOMAIN_NAME", "Default".to_owned()),
            ("OS_REGION_NAME", "RegionOne".to_owned()),
            ("OS_IDENTITY_API_VERSION", "3".to_owned()),
        ]
    }

    /// Sends `command`'s output to `<name>.log` in the Swift's directory (kept on failure),
    /// and gives it no input.
    fn log_to(&self, command: &mut Command, name: &str) {
        command.stdin(Stdio::null());
        match std::fs::File::create(self.dir.0.join(format!("{name}.log"))) {
            Ok(log) => {
                let err = log
                    .try_clone()
                    .map(Stdio::from)
                    .unwrap_or_else(|_| Stdio::null());
                command.stdout(Stdio::from(log)).stderr(err);
            }
            Err(_) => {
                command.stdout(Stdio::null()).stderr(Stdio::null());
            }
        }
    }

    /// Kills server `name`.
    pub fn stop_server(&mut self, name: &str) {
        self.servers.retain_mut(|(n, group)| {
            if *n == name {
                group.kill();
                false
            } else {
                true
            }
        });
        kill_marked(&self.marker(name));
    }

    /// The value of [`MARKER`] in server `name`'s environment.
    fn marker(&self, name: &str) -> String {
        format!("{}/{name}", self.dir.0.display())
    }

    #[allow(clippy::panic, reason = "a test helper: the test fails")]
    fn wait_listening(&self, port: u16) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "nothing listens on 127.0.0.1:{port} (Swift in {})",
            self.dir.0.display()
        );
    }

    #[allow(clippy::panic, reason = "a test helper: the test fails")]
    fn wait_ready(&self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            // The proxy, tempauth, and the account through the proxy.
            if let Some(token) = self.token() {
                let account = ureq::head(&self.storage_url())
                    .set("X-Auth-Token", &token)
                    .timeout(Duration::from_secs(5))
                    .call();
                if account.is_ok() {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!(
            "Swift did not start on 127.0.0.1:{} (logs in {})",
            self.port,
            self.dir.0.display()
        );
    }

    /// The tempauth URL.
    pub fn auth_url(&self) -> String {
        format!("http://127.0.0.1:{}/auth/v1.0", self.port)
    }

    /// The account's storage URL.
    pub fn storage_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1/AUTH_test", self.port)
    }

    /// A token of user `test:tester`.
    pub fn token(&self) -> Option<String> {
        let r = ureq::get(&self.auth_url())
            .set("X-Auth-User", "test:tester")
            .set("X-Auth-Key", "testing")
            .timeout(Duration::from_secs(5))
            .call()
            .ok()?;
        r.header("X-Auth-Token").map(str::to_owned)
    }

    /// The environment `ipxegen publish --to swift://...` and `swift` read (v1 auth).
    pub fn swift_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("ST_AUTH", self.auth_url()),
            ("ST_USER", "test:tester".to_owned()),
            ("ST_KEY", "testing".to_owned()),
        ]
    }

    /// The environment `ipxegen publish --to s3://... --endpoint` reads (s3api with
    /// tempauth: the access key is the user, the secret its key).
    pub fn s3_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", "test:tester".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "testing".to_owned()),
            ("AWS_REGION", "us-east-1".to_owned()),
            ("HOME", self.dir.0.display().to_string()),
        ]
    }

    /// The proxy's URL, the S3 endpoint.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Runs python-swiftclient's `swift` with `args` (bounded to 600 s).
    ///
    /// # Panics
    /// When it cannot be run.
    #[allow(clippy::unwrap_used, reason = "a test helper: the test fails")]
    pub fn swift(&self, args: &[&str]) -> Output {
        let mut command = bounded(600, "swift");
        command
            .args(args)
            .envs(self.swift_env())
            .stdin(Stdio::null());
        command.output().unwrap()
    }

    /// Creates container `name`, readable by anyone (as iPXE reads it).
    ///
    /// # Panics
    /// When `swift post` fails.
    pub fn public_container(&self, name: &str) {
        let out = self.swift(&["post", "-r", ".r:*,.rlistings", name]);
        assert!(
            out.status.success(),
            "swift post {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Every object of `container` (under `prefix`) and the SHA-256 of its content, as
    /// anyone reads it over plain HTTP, in key order; segments of large objects left out.
    ///
    /// # Panics
    /// When a request fails.
    #[allow(clippy::unwrap_used, reason = "a test helper: the test fails")]
    pub fn contents(&self, container: &str, prefix: &str) -> Vec<(String, String)> {
        use sha2::Digest as _;
        let names = self.names(container, prefix);
        let mut out = Vec::with_capacity(names.len());
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(30))
            .build();
        for name in names {
            let r = agent
                .get(&format!("{}/{container}/{name}", self.storage_url()))
                .call()
                .unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).unwrap();
            let sha = sha2::Sha256::digest(&bytes);
            out.push((name, sha.iter().map(|b| format!("{b:02x}")).collect()));
        }
        out
    }

    /// The object names of `container` under `prefix`, in key order, segments left out.
    ///
    /// # Panics
    /// When the listing fails.
    #[allow(clippy::unwrap_used, reason = "a test helper: the test fails")]
    pub fn names(&self, container: &str, prefix: &str) -> Vec<String> {
        let token = self.token().unwrap();
        let mut names = Vec::new();
        let mut marker = String::new();
        loop {
            let r = ureq::get(&format!("{}/{container}", self.storage_url()))
                .set("X-Auth-Token", &token)
                .query("prefix", prefix)
                .query("marker", &marker)
                .timeout(Duration::from_secs(30))
                .call()
                .unwrap();
            let text = r.into_string().unwrap();
            let page: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
            if page.is_empty() {
                return names;
            }
            marker = page.last().map(|s| (*s).to_owned()).unwrap_or_default();
            names.extend(
                page.into_iter()
                    .filter(|n| !n.starts_with(".ipxegen-segments/"))
                    .map(str::to_owned),
            );
        }
    }
}

impl Drop for Swift {
    fn drop(&mut self) {
        for (_, group) in self.servers.iter_mut().rev() {
            group.kill();
        }
        kill_marked(&format!("{}/", self.dir.0.display()));
    }
}

/// The environment variable that marks a server's processes.
const MARKER: &str = "IPXEGEN_SWIFT";

/// Kills (SIGKILL) every process whose [`MARKER`] starts with `prefix`, and waits (at most
/// 5 s) until they are gone.
fn kill_marked(prefix: &str) {
    let wanted = format!("{MARKER}={prefix}");
    let marked = || -> Vec<i32> {
        let Ok(dir) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        dir.filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()))
            .filter(|pid| {
                std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|env| {
                    env.split(|&b| b == 0)
                        .any(|var| var.starts_with(wanted.as_bytes()))
                })
            })
            .collect()
    };
    let started = Instant::now();
    loop {
        let pids = marked();
        if pids.is_empty() || started.elapsed() > Duration::from_secs(5) {
            return;
        }
        for pid in pids {
            let _ = Command::new("kill")
                .args(["-s", "KILL", &pid.to_string()])
                .status();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
