//! Validated types: once a value is one of these, every generator can write it as it is.

mod arch;
mod id;
mod mac;
mod node;
mod site;
pub(crate) mod text;
mod url;

pub use arch::{ClientArch, LoaderKind};
pub use id::NodeId;
pub use mac::{HexHyp, MacAddr};
pub use node::{
    Boot, Chap, ChapValue, Firmware, Image, InstallSource, Iqn, IscsiTarget, Mode, Nic, Node,
    Source,
};
pub use site::{OnRetriesExhausted, ScriptRef, SiteConfig};
pub use text::{KernelArgs, LocalPath, Name, Position, check_literal};
pub use url::{FETCH_SCHEMES, HTTP_SCHEMES, Host, HttpBase, Scheme, Url};
