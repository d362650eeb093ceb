//! Ethernet MAC addresses and the spellings iPXE and PXELINUX use for them.

use crate::error::ErrorKind;
use core::fmt;

/// A 48-bit Ethernet MAC address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MacAddr(pub [u8; 6]);

impl MacAddr {
    /// Parses a NIC's address: six hex pairs separated by `:` or by `-` (one separator
    /// throughout), any case. Only an address one NIC can have is taken (see
    /// [`MacAddr::check_unicast`]).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidMac`] for anything else; [`ErrorKind::ZeroMac`],
    /// [`ErrorKind::BroadcastMac`] or [`ErrorKind::MulticastMac`] for an address no NIC has.
    pub fn parse(s: &str) -> Result<Self, ErrorKind> {
        let mac = Self::parse_any(s)?;
        mac.check_unicast()?;
        Ok(mac)
    }

    /// `Ok` for an address one NIC can have as its own: not all-zero, not the broadcast
    /// address, not multicast (the I/G bit, the low bit of the first byte, clear). A per-MAC
    /// config or a DHCP reservation for any other would never be used.
    ///
    /// # Errors
    /// [`ErrorKind::ZeroMac`], [`ErrorKind::BroadcastMac`], [`ErrorKind::MulticastMac`].
    pub fn check_unicast(&self) -> Result<(), ErrorKind> {
        let [first, ..] = self.0;
        if self.0 == [0; 6] {
            Err(ErrorKind::ZeroMac)
        } else if self.0 == [0xff; 6] {
            Err(ErrorKind::BroadcastMac)
        } else if first & 1 == 1 {
            Err(ErrorKind::MulticastMac)
        } else {
            Ok(())
        }
    }

    /// Parses six hex pairs as [`MacAddr::parse`] does, whatever address they spell.
    fn parse_any(s: &str) -> Result<Self, ErrorKind> {
        let b = s.as_bytes();
        if b.len() != 17 {
            return Err(ErrorKind::InvalidMac);
        }
        let sep = *b.get(2).ok_or(ErrorKind::InvalidMac)?;
        if sep != b':' && sep != b'-' {
            return Err(ErrorKind::InvalidMac);
        }
        let mut mac = [0u8; 6];
        for (i, (chunk, out)) in b.chunks(3).zip(mac.iter_mut()).enumerate() {
            let (hi, lo) = match chunk {
                [hi, lo] if i == 5 => (*hi, *lo),
                [hi, lo, s] if i < 5 && *s == sep => (*hi, *lo),
                _ => return Err(ErrorKind::InvalidMac),
            };
            *out = crate::hex::byte_of(hi, lo).ok_or(ErrorKind::InvalidMac)?;
        }
        Ok(MacAddr(mac))
    }

    /// The address in a given separator, lower case (`52-54-00-12-34-56` for `-`).
    pub fn spelled(&self, separator: u8) -> [u8; 17] {
        let mut out = [separator; 17];
        for (chunk, byte) in out.chunks_mut(3).zip(self.0) {
            if let [hi, lo, ..] = chunk {
                [*hi, *lo] = crate::hex::pair(byte);
            }
        }
        out
    }

    /// The iPXE `hexhyp` form, also the per-MAC file name: `52-54-00-12-34-56`.
    pub fn hexhyp(&self) -> HexHyp {
        HexHyp(self.spelled(b'-'))
    }
}

/// A MAC address spelled `52-54-00-12-34-56` (what `${netX/mac:hexhyp}` expands to).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HexHyp([u8; 17]);

impl HexHyp {
    /// The spelling.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(&self.0).unwrap_or("00-00-00-00-00-00")
    }
}

impl fmt::Display for MacAddr {
    /// Colon form, lower case: `52:54:00:12:34:56`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spelled = self.spelled(b':');
        f.write_str(core::str::from_utf8(&spelled).map_err(|_| fmt::Error)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms_any_case() {
        let want = MacAddr([0x52, 0x54, 0x00, 0xab, 0xcd, 0xef]);
        assert_eq!(MacAddr::parse("52:54:00:AB:cd:EF"), Ok(want));
        assert_eq!(MacAddr::parse("52-54-00-ab-cd-ef"), Ok(want));
        assert_eq!(want.hexhyp().as_str(), "52-54-00-ab-cd-ef");
    }

    #[test]
    fn refuses_addresses_no_nic_has() {
        for (s, want) in [
            ("00:00:00:00:00:00", ErrorKind::ZeroMac),
            ("ff:ff:ff:ff:ff:ff", ErrorKind::BroadcastMac),
            ("FF-FF-FF-FF-FF-FF", ErrorKind::BroadcastMac),
            ("01:00:5e:00:00:01", ErrorKind::MulticastMac),
            ("33:33:00:00:00:01", ErrorKind::MulticastMac),
            ("ff:ff:ff:ff:ff:fe", ErrorKind::MulticastMac),
        ] {
            assert_eq!(MacAddr::parse(s), Err(want), "{s}");
        }
        // Locally administered unicast (the U/L bit) is a NIC's own address.
        assert!(MacAddr::parse("02:00:00:00:00:01").is_ok());
        assert!(MacAddr::parse("00:00:00:00:00:01").is_ok());
        assert!(MacAddr::parse("fe:ff:ff:ff:ff:ff").is_ok());
    }

    #[test]
    fn refuses_malformed() {
        for s in [
            "",
            "52:54:00:12:34",
            "52:54:00:12:34:56:78",
            "52:54-00:12:34:56",
            "5254.0012.3456",
            "52:54:00:12:34:5g",
            "52:54:00:12:34:56 ",
            "52::54:00:12:34:5",
        ] {
            assert_eq!(MacAddr::parse(s), Err(ErrorKind::InvalidMac), "{s:?}");
        }
    }
}
