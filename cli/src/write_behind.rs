//! A writer whose bytes a second thread writes: the program goes on producing the next
//! buffer while the kernel copies the last one (on a machine of two cores, writing a large
//! archive then costs little more than producing it). At most [`BUFFERS`] buffers of
//! [`BUFFER`] bytes exist at a time.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::{self, JoinHandle};

/// Bytes a buffer holds before it is handed to the writing thread.
const BUFFER: usize = 256 * 1024;
/// Buffers in flight: one being filled, the others queued or being written.
const BUFFERS: usize = 3;

/// Writes to `W` on a thread of its own. Call [`WriteBehind::finish`] to write the last
/// buffer and get `W` back (and any error the thread met).
pub struct WriteBehind<W: Write + Send + 'static> {
    buf: Vec<u8>,
    full: Option<SyncSender<Vec<u8>>>,
    empty: Receiver<Vec<u8>>,
    thread: Option<JoinHandle<io::Result<W>>>,
}

impl<W: Write + Send + 'static> WriteBehind<W> {
    /// Starts the thread that writes to `out`.
    ///
    /// # Errors
    /// The thread cannot be started.
    pub fn new(mut out: W) -> io::Result<Self> {
        let (full, to_write) = sync_channel::<Vec<u8>>(BUFFERS - 1);
        let (give_back, empty) = sync_channel::<Vec<u8>>(BUFFERS);
        let thread = thread::Builder::new()
            .name("write-behind".into())
            .spawn(move || {
                for mut buf in to_write {
                    out.write_all(&buf)?;
                    buf.clear();
                    let _ = give_back.try_send(buf);
                }
                out.flush()?;
                Ok(out)
            })?;
        Ok(WriteBehind {
            buf: Vec::with_capacity(BUFFER),
            full: Some(full),
            empty,
            thread: Some(thread),
        })
    }

    /// Hands the buffer to the thread and takes an empty one.
    fn hand_over(&mut self) -> io::Result<()> {
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(BUFFER));
        let buf = std::mem::replace(&mut self.buf, next);
        let sent = self.full.as_ref().map(|full| full.send(buf));
        match sent {
            Some(Ok(())) => Ok(()),
            // The thread stopped: its error says why.
            _ => Err(self
                .stop()
                .err()
                .unwrap_or_else(|| io::Error::other("writer stopped"))),
        }
    }

    /// Ends the thread; gives its outcome.
    fn stop(&mut self) -> io::Result<W> {
        self.full = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(outcome)) => outcome,
            Some(Err(_)) => Err(io::Error::other("the writing thread panicked")),
            None => Err(io::Error::other("writer already finished")),
        }
    }

    /// Writes what is left and waits for the thread; gives the writer back.
    ///
    /// # Errors
    /// The first write error the thread met.
    pub fn finish(mut self) -> io::Result<W> {
        if !self.buf.is_empty() {
            self.hand_over()?;
        }
        self.stop()
    }
}

impl<W: Write + Send + 'static> Write for WriteBehind<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() + data.len() > BUFFER && !self.buf.is_empty() {
            self.hand_over()?;
        }
        self.buf.extend_from_slice(data);
        if self.buf.len() >= BUFFER {
            self.hand_over()?;
        }
        Ok(data.len())
    }

    /// Buffers are written as they fill; [`WriteBehind::finish`] writes the last one.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write + Send + 'static> Drop for WriteBehind<W> {
    /// Stops the thread (after what it was given), leaving no thread behind.
    fn drop(&mut self) {
        if self.thread.is_some() {
            let _ = self.stop();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "test")]
mod tests {
    use super::*;

    #[test]
    fn writes_every_byte_in_order() {
        let mut out = WriteBehind::new(Vec::new()).unwrap();
        let mut expected = Vec::new();
        for i in 0..5000u32 {
            let piece = vec![u8::try_from(i % 251).unwrap(); usize::try_from(i % 700).unwrap()];
            out.write_all(&piece).unwrap();
            expected.extend_from_slice(&piece);
        }
        out.write_all(&vec![7; 3 * BUFFER]).unwrap();
        expected.extend_from_slice(&vec![7; 3 * BUFFER]);
        assert!(out.finish().unwrap() == expected);
    }

    /// A writer that fails after `left` bytes.
    struct Failing {
        left: usize,
    }

    impl Write for Failing {
        fn write(&mut self, data: &[u8]) -> io::Result<usize> {
            if data.len() > self.left {
                return Err(io::Error::other("disk full"));
            }
            self.left -= data.len();
            Ok(data.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn reports_the_threads_error() {
        let mut out = WriteBehind::new(Failing { left: BUFFER }).unwrap();
        let mut failed = None;
        for _ in 0..20 {
            if let Err(e) = out.write_all(&[1; 100_000]) {
                failed = Some(e);
                break;
            }
        }
        let error = match failed {
            Some(e) => e,
            None => out.finish().err().unwrap(),
        };
        assert_eq!(error.to_string(), "disk full");
    }
}
