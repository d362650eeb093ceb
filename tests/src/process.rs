//! Processes a test starts: each in its own process group, killed as a group (with every
//! child and grandchild still in it) when the test is done with it, also when it fails, and
//! never waited for without a bound.

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// How often a bounded wait looks whether the process has exited.
const POLL: Duration = Duration::from_millis(10);

/// A child started as the leader of a new process group. Dropping it kills the whole group
/// with SIGKILL and reaps the leader, so nothing the test started outlives it (a program that
/// moves itself to another group or session, as a daemon does, escapes: start servers in the
/// foreground).
///
/// To bound a process even when the test process itself is killed (no drop runs then), spawn
/// `timeout -s KILL N PROGRAM ...` as the command itself (or exec it, as `ip netns exec`
/// does): `timeout` moves itself into a group of its own, which is this group only when it is
/// the leader, so killing the group kills `timeout` and its child together.
pub struct ProcessGroup {
    child: Child,
    status: Option<ExitStatus>,
}

impl ProcessGroup {
    /// Starts `command` in a new process group (its pid is the group's id).
    ///
    /// # Panics
    /// When the program cannot be started.
    #[allow(clippy::panic, reason = "a test helper: the test fails")]
    #[track_caller]
    pub fn spawn(mut command: Command) -> ProcessGroup {
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        ProcessGroup {
            child,
            status: None,
        }
    }

    /// The group's leader (for its pipes).
    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    /// The group's id (the leader's pid).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Kills the whole group at once and reaps the leader; its exit status (the same on every
    /// later call).
    ///
    /// # Panics
    /// When the leader cannot be reaped.
    #[allow(clippy::expect_used, reason = "a test helper: the test fails")]
    pub fn kill(&mut self) -> ExitStatus {
        if let Some(status) = self.status {
            return status;
        }
        // The leader is not reaped yet, so the group id is still ours.
        self.kill_group();
        let _ = self.child.kill();
        let status = self.child.wait().expect("cannot reap the killed process");
        self.status = Some(status);
        status
    }

    /// Waits for the leader to exit by itself, at most `limit`, then kills what is left of the
    /// group. `None` when the leader was still running at `limit` (the group is killed then).
    ///
    /// # Panics
    /// When the leader cannot be waited for.
    #[allow(clippy::expect_used, reason = "a test helper: the test fails")]
    pub fn wait_within(&mut self, limit: Duration) -> Option<ExitStatus> {
        if let Some(status) = self.status {
            return Some(status);
        }
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("cannot wait for the process") {
                self.status = Some(status);
                // The group id stays the leader's while any member lives; once all are gone
                // this finds nothing (a pid is not reused within microseconds).
                self.kill_group();
                return Some(status);
            }
            if Instant::now() >= deadline {
                self.kill();
                return None;
            }
            std::thread::sleep(POLL);
        }
    }

    /// The leader's exit status if it has exited (the rest of the group is then killed), else
    /// `None`; never waits, never kills a running leader.
    ///
    /// # Panics
    /// When the leader cannot be waited for.
    #[allow(clippy::expect_used, reason = "a test helper: the test fails")]
    pub fn exited(&mut self) -> Option<ExitStatus> {
        if self.status.is_none()
            && let Some(status) = self.child.try_wait().expect("cannot wait for the process")
        {
            self.status = Some(status);
            self.kill_group();
        }
        self.status
    }

    /// Waits, without a bound, for the leader to exit by itself (the caller bounds the run
    /// another way, as by `timeout`), then kills what is left of the group.
    ///
    /// # Panics
    /// When the leader cannot be waited for.
    #[allow(clippy::expect_used, reason = "a test helper: the test fails")]
    pub fn wait(&mut self) -> ExitStatus {
        if let Some(status) = self.status {
            return status;
        }
        let status = self.child.wait().expect("cannot wait for the process");
        self.status = Some(status);
        self.kill_group();
        status
    }

    /// SIGKILL to every member of the group (`kill -KILL -- -PGID`; std has no killpg).
    fn kill_group(&self) {
        let _ = Command::new("sh")
            .args(["-c", "kill -s KILL -- \"-$1\" 2>/dev/null", "sh"])
            .arg(self.id().to_string())
            .stdin(Stdio::null())
            .status();
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        if self.status.is_none() {
            self.kill_group();
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Runs `command` in its own process group (stdin closed, stdout and stderr captured) and
/// returns what it printed and how it ended, as [`Command::output`] does, but killing the
/// whole group after `limit`: then `Err` says so, with what it had printed.
///
/// # Panics
/// When the program cannot be started or its output read.
pub fn output_within(command: Command, limit: Duration) -> Result<Output, String> {
    output_within_from(command, Stdio::null(), limit)
}

/// As [`output_within`], with `stdin` as the command's standard input.
///
/// # Errors
/// The command ran past `limit` (the message says so, with what it had printed).
///
/// # Panics
/// When the program cannot be started or its output read.
#[allow(clippy::expect_used, reason = "a test helper: the test fails")]
pub fn output_within_from(
    mut command: Command,
    stdin: Stdio,
    limit: Duration,
) -> Result<Output, String> {
    command
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let program = format!("{command:?}");
    let mut group = ProcessGroup::spawn(command);
    let stdout = read_all(group.child_mut().stdout.take());
    let stderr = read_all(group.child_mut().stderr.take());
    // Once the group is gone, every writer of the pipes is too, and the readers end.
    let status = group.wait_within(limit);
    let stdout = stdout.join().expect("cannot read the process's stdout");
    let stderr = stderr.join().expect("cannot read the process's stderr");
    match status {
        Some(status) => Ok(Output {
            status,
            stdout,
            stderr,
        }),
        None => Err(format!(
            "{program} took over {limit:?} and was killed; its stdout: {}; its stderr: {}",
            String::from_utf8_lossy(&stdout).trim(),
            String::from_utf8_lossy(&stderr).trim()
        )),
    }
}

/// Reads `pipe` to its end on a thread of its own; what it read.
fn read_all<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, reason = "test")]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// Whether process `pid` is alive (a zombie, exited but not yet reaped, is not).
    fn alive(pid: u32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.rsplit(')').next().unwrap_or("").starts_with(" Z"))
    }

    /// Waits up to 5 s for `pid` to be gone (its new parent, init, reaps it).
    fn gone(pid: u32) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while alive(pid) {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(POLL);
        }
        true
    }

    /// Starts `sh -c 'sleep 100 & echo $!; wait'` in a group; the group and the grandchild's
    /// pid.
    fn shell_with_a_grandchild() -> (ProcessGroup, u32) {
        let mut command = Command::new("sh");
        command
            .args(["-c", "sleep 100 & echo $!; wait"])
            .stdout(Stdio::piped());
        let mut group = ProcessGroup::spawn(command);
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(group.child_mut().stdout.as_mut().unwrap()),
            &mut line,
        )
        .unwrap();
        let grandchild: u32 = line.trim().parse().unwrap();
        assert!(alive(grandchild));
        (group, grandchild)
    }

    #[test]
    fn dropping_the_group_kills_the_grandchild() {
        let (group, grandchild) = shell_with_a_grandchild();
        let leader = group.id();
        drop(group);
        assert!(gone(grandchild), "sleep {grandchild} outlived its group");
        assert!(!alive(leader));
    }

    #[test]
    fn a_test_that_panics_kills_the_grandchild() {
        let pid_file: PathBuf =
            std::env::temp_dir().join(format!("ipxegen-group-panic-{}", std::process::id()));
        let path = pid_file.clone();
        let failed = std::thread::spawn(move || {
            let (_group, grandchild) = shell_with_a_grandchild();
            std::fs::write(&path, grandchild.to_string()).unwrap();
            panic!("the test fails here");
        })
        .join();
        assert!(failed.is_err());
        let grandchild: u32 = std::fs::read_to_string(&pid_file).unwrap().parse().unwrap();
        let _ = std::fs::remove_file(&pid_file);
        assert!(
            gone(grandchild),
            "sleep {grandchild} outlived a failed test"
        );
    }

    #[test]
    fn a_bounded_wait_kills_the_group_at_its_limit() {
        let (mut group, grandchild) = shell_with_a_grandchild();
        let started = Instant::now();
        assert_eq!(group.wait_within(Duration::from_millis(200)), None);
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(gone(grandchild));
    }

    #[test]
    fn a_leader_that_exits_leaves_no_member_behind() {
        let mut command = Command::new("sh");
        command
            .args(["-c", "sleep 100 & echo $!"])
            .stdout(Stdio::piped());
        let mut group = ProcessGroup::spawn(command);
        let status = group.wait_within(Duration::from_secs(10)).unwrap();
        assert!(status.success());
        let mut line = String::new();
        group
            .child_mut()
            .stdout
            .as_mut()
            .unwrap()
            .read_to_string(&mut line)
            .unwrap();
        assert!(gone(line.trim().parse().unwrap()));
    }

    #[test]
    fn output_within_returns_what_the_process_printed() {
        let mut command = Command::new("sh");
        command.args(["-c", "echo out; echo err >&2; exit 3"]);
        let out = output_within(command, Duration::from_secs(10)).unwrap();
        assert_eq!(out.status.code(), Some(3));
        assert_eq!(out.stdout, b"out\n");
        assert_eq!(out.stderr, b"err\n");
    }

    #[test]
    fn output_within_kills_a_process_that_runs_too_long() {
        let mut command = Command::new("sh");
        // The grandchild holds the pipes open: the group kill must end it too.
        command.args(["-c", "echo started; sleep 100 & wait"]);
        let started = Instant::now();
        let err = output_within(command, Duration::from_millis(300)).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5), "{err}");
        assert!(err.contains("took over 300ms and was killed"), "{err}");
        assert!(err.contains("its stdout: started;"), "{err}");
    }
}
