//! DHCP for network boot: option TLVs (v4 and v6), reading and classifying client requests,
//! and the reply a server should give each kind of client.

pub mod reply;
pub mod report;
pub mod request;
pub mod table;
pub mod tlv;
pub mod v4;
pub mod v6;
