//! A machine's SMBIOS system UUID (a node's `system_uuid`), and the DHCPv6 client
//! identifiers (DUID-UUID, RFC 6355: type 4, then 16 bytes) that network-boot clients build
//! from it. Those identifiers hold no MAC, so a DHCPv6 reservation by MAC does not reach a
//! client that sends one unless the server finds the MAC elsewhere (see
//! [`crate::servers`]).
//!
//! # What the clients send, read in their source and seen on the wire
//!
//! The UUID is written as `dmidecode -s system-uuid` and QEMU's `-uuid` print it, for
//! example `0b9c4f5e-1d2a-4c3b-8e7f-123456789abc`. SMBIOS 2.6 and later store the first
//! three fields of that UUID little-endian (`5e 4f 9c 0b  2a 1d  3b 4c  8e 7f 12 34 ...`);
//! the two clients read those bytes differently:
//!
//! - **iPXE** (`src/net/udp/dhcpv6.c`, `start_dhcpv6`): "Construct client DUID from system
//!   UUID": `dhcpv6->client_duid.type = htons ( DHCPV6_DUID_UUID );` then
//!   `fetch_uuid_setting ( NULL, &uuid_setting, &dhcpv6->client_duid.uuid )`, and
//!   `dhcpv6_tx` copies that `struct dhcpv6_duid_uuid` (`uint16_t type; union uuid uuid;`,
//!   `src/include/ipxe/dhcpv6.h`) into option 1 as it is. `uuid_setting` is the SMBIOS
//!   type 1 UUID field (`src/interface/smbios/smbios_settings.c`), and `smbios_fetch`
//!   returns it "mangled": "iPXE treats UUIDs as being in network byte order (big-endian).
//!   SMBIOS specification version 2.6 states that UUIDs are stored with little-endian values
//!   in the first three fields ... dmidecode assumes that the byte order is little-endian if
//!   and only if the SMBIOS version is 2.6 or higher; we match this behaviour", calling
//!   `uuid_mangle` (which swaps the first three fields) when `smbios_version() >=
//!   SMBIOS_VERSION ( 2, 6 )`. `uuid_ntoa` (`src/core/uuid.c`) prints those bytes
//!   big-endian, so `${uuid}` is the dmidecode string. iPXE's DUID is therefore
//!   `00:04` followed by the UUID's bytes in the order the string writes them (RFC 4122):
//!   [`SystemUuid::ipxe_duid`]. (The first DHCPv6 code, of 2013, sent a DUID-LL built from
//!   the MAC; the DUID-UUID code above is in the source since, and the Debian 12 build
//!   1.0.0+git-20190125.36a4c85 sends it, as captured below. With no SMBIOS UUID at all,
//!   `start_dhcpv6` fails with "could not create DUID-UUID" and iPXE does no DHCPv6.)
//! - **EDK2 / OVMF** (`NetworkPkg/Dhcp6Dxe/Dhcp6Utility.c`, `Dhcp6GenerateClientId`): "If
//!   System UUID is found from SMBIOS Table, use DUID-UUID type": when `PcdDhcp6UidType` is
//!   4 (`NetworkPkg.dec`'s default) and `NetLibGetSystemGuid (&Uuid)` gives a UUID that is
//!   not all zero, `WriteUnaligned16 ((UINT16 *) (Duid->Duid), HTONS (Dhcp6DuidTypeUuid));
//!   CopyMem (Duid->Duid + 2, &Uuid, sizeof(EFI_GUID));`, else a DUID-LLT (MAC and a time).
//!   `NetLibGetSystemGuid` (`MdeModulePkg/Library/DxeNetLib/DxeNetLib.c`) is `CopyMem
//!   (SystemGuid, &Smbios.Type1->Uuid, sizeof (EFI_GUID))`: the SMBIOS bytes as they are,
//!   which is also how an `EFI_GUID` lies in memory (`Data1`, `Data2`, `Data3`
//!   little-endian). So the firmware's DUID is `00:04` followed by the first three fields
//!   byte-swapped: [`SystemUuid::firmware_duid`]. The DUID is kept in the NV variable
//!   `ClientId` after the first boot and reused, so a machine whose first DHCPv6 boot had
//!   no UUID keeps its DUID-LLT.
//!
//! Seen on the wire (`tests/vectors/dhcp/ipxe-uefi-x64-dhcpv6-solicit.hex` and
//! `ovmf-pxe-uefi-x64-dhcpv6-uuid-solicit.hex`: QEMU 7.2 `-uuid
//! 0b9c4f5e-1d2a-4c3b-8e7f-123456789abc`, OVMF 2022.11, Debian's iPXE
//! 1.0.0+git-20190125.36a4c85 as the NIC's UEFI driver): iPXE's Solicit carries option 1 =
//! `00:04:0b:9c:4f:5e:1d:2a:4c:3b:8e:7f:12:34:56:78:9a:bc`, OVMF's own PXE over IPv6
//! `00:04:5e:4f:9c:0b:2a:1d:3b:4c:8e:7f:12:34:56:78:9a:bc`.

use crate::error::ErrorKind;
use core::fmt;

/// A machine's SMBIOS system UUID: 16 bytes in the order the canonical string writes them
/// (RFC 4122, big-endian fields), whatever order the SMBIOS table stores them in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SystemUuid(pub [u8; 16]);

/// Where the hyphens of the canonical form are.
const HYPHENS: [usize; 4] = [8, 13, 18, 23];

/// The DUID type of a DUID-UUID (RFC 6355 section 4).
pub const DUID_UUID_TYPE: u16 = 4;

impl SystemUuid {
    /// Parses the canonical form, `0b9c4f5e-1d2a-4c3b-8e7f-123456789abc`: 32 hex digits
    /// (either case) in groups of 8, 4, 4, 4 and 12 separated by `-`, as `dmidecode -s
    /// system-uuid` prints it. Nothing else is taken: no braces, no `urn:uuid:`, no digits
    /// without hyphens.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidSystemUuid`] for any other text; [`ErrorKind::UnsetSystemUuid`]
    /// for all zeros or all `f`: SMBIOS's "not present" and "not set", which every machine
    /// without a UUID shares, so no reservation can be keyed by them.
    pub fn parse(s: &str) -> Result<Self, ErrorKind> {
        let b = s.as_bytes();
        if b.len() != 36 {
            return Err(ErrorKind::InvalidSystemUuid);
        }
        let mut out = [0u8; 16];
        let mut digits = b
            .iter()
            .enumerate()
            .filter(|(i, _)| !HYPHENS.contains(i))
            .map(|(_, &c)| c);
        if HYPHENS.iter().any(|&i| b.get(i) != Some(&b'-')) {
            return Err(ErrorKind::InvalidSystemUuid);
        }
        for byte in &mut out {
            let (Some(hi), Some(lo)) = (digits.next(), digits.next()) else {
                return Err(ErrorKind::InvalidSystemUuid);
            };
            *byte = crate::hex::byte_of(hi, lo).ok_or(ErrorKind::InvalidSystemUuid)?;
        }
        if out == [0; 16] || out == [0xff; 16] {
            return Err(ErrorKind::UnsetSystemUuid);
        }
        Ok(SystemUuid(out))
    }

    /// The DUID iPXE sends in DHCPv6 option 1 (see the module docs): `00:04`, then the
    /// UUID's bytes in the string's order.
    pub fn ipxe_duid(&self) -> Duid {
        Duid::uuid(self.0)
    }

    /// The DUID EDK2 firmware (OVMF, and the many UEFI builds on its network stack) sends
    /// in DHCPv6 option 1 (see the module docs): `00:04`, then the SMBIOS bytes, whose first
    /// three fields are little-endian.
    pub fn firmware_duid(&self) -> Duid {
        let [a0, a1, a2, a3, b0, b1, c0, c1, rest @ ..] = self.0;
        let mut guid = [0u8; 16];
        for (slot, byte) in guid
            .iter_mut()
            .zip([a3, a2, a1, a0, b1, b0, c1, c0].into_iter().chain(rest))
        {
            *slot = byte;
        }
        Duid::uuid(guid)
    }
}

impl fmt::Display for SystemUuid {
    /// The canonical form, lower case.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, &b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            let digits = crate::hex::pair(b);
            f.write_str(core::str::from_utf8(&digits).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

/// A DUID-UUID: its 2-byte type and 16 bytes, as option 1 carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Duid(pub [u8; 18]);

impl Duid {
    fn uuid(bytes: [u8; 16]) -> Duid {
        let mut duid = [0u8; 18];
        for (slot, byte) in duid
            .iter_mut()
            .zip(DUID_UUID_TYPE.to_be_bytes().into_iter().chain(bytes))
        {
            *slot = byte;
        }
        Duid(duid)
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for Duid {
    /// Hex pairs separated by `:` (`00:04:0b:9c:...`), the form Kea's `duid`, ISC's
    /// `host-identifier option dhcp6.client-id` and dnsmasq's `id:` take.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, &b) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            let digits = crate::hex::pair(b);
            f.write_str(core::str::from_utf8(&digits).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(value: impl fmt::Display) -> heapless::String<64> {
        let mut s = heapless::String::new();
        fmt::Write::write_fmt(&mut s, format_args!("{value}")).unwrap();
        s
    }

    const EXAMPLE: &str = "0b9c4f5e-1d2a-4c3b-8e7f-123456789abc";

    #[test]
    fn parses_the_canonical_form_in_either_case() {
        let want = SystemUuid([
            0x0b, 0x9c, 0x4f, 0x5e, 0x1d, 0x2a, 0x4c, 0x3b, 0x8e, 0x7f, 0x12, 0x34, 0x56, 0x78,
            0x9a, 0xbc,
        ]);
        assert_eq!(SystemUuid::parse(EXAMPLE), Ok(want));
        assert_eq!(
            SystemUuid::parse("0B9C4F5E-1D2A-4C3B-8E7F-123456789ABC"),
            Ok(want)
        );
        assert_eq!(shown(want), EXAMPLE);
    }

    #[test]
    fn the_duids_of_ipxe_and_of_edk2() {
        let uuid = SystemUuid::parse(EXAMPLE).unwrap();
        assert_eq!(
            shown(uuid.ipxe_duid()),
            "00:04:0b:9c:4f:5e:1d:2a:4c:3b:8e:7f:12:34:56:78:9a:bc"
        );
        assert_eq!(
            shown(uuid.firmware_duid()),
            "00:04:5e:4f:9c:0b:2a:1d:3b:4c:8e:7f:12:34:56:78:9a:bc"
        );
    }

    #[test]
    fn refuses_every_other_form() {
        for s in [
            "",
            "0b9c4f5e1d2a4c3b8e7f123456789abc",
            "{0b9c4f5e-1d2a-4c3b-8e7f-123456789abc}",
            "urn:uuid:0b9c4f5e-1d2a-4c3b-8e7f-123456789abc",
            "0b9c4f5e-1d2a-4c3b-8e7f-123456789ab",
            "0b9c4f5e-1d2a-4c3b-8e7f-123456789abcd",
            "0b9c4f5e-1d2a-4c3b-8e7f-123456789abg",
            "0b9c4f5e_1d2a-4c3b-8e7f-123456789abc",
            "0b9c4f5e-1d2a4-c3b-8e7f-123456789abc",
            "0b9c4f5e-1d2a-4c3b-8e7f-123456789ab ",
            " b9c4f5e-1d2a-4c3b-8e7f-123456789abc",
            "0b9c4f5e-1d2a-4c3b-8e7f--23456789abc",
            "+b9c4f5e-1d2a-4c3b-8e7f-123456789abc",
            "0b9c4f5e-1d2a-4c3b-8e7f-1234567890é",
        ] {
            assert_eq!(
                SystemUuid::parse(s),
                Err(ErrorKind::InvalidSystemUuid),
                "{s:?}"
            );
        }
    }

    #[test]
    fn refuses_the_uuids_smbios_uses_for_none() {
        for s in [
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
        ] {
            assert_eq!(
                SystemUuid::parse(s),
                Err(ErrorKind::UnsetSystemUuid),
                "{s:?}"
            );
        }
    }
}
