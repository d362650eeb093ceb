//! Validated types: once a value is one of these, every generator can write it as it is.

/// Declares an enum of the words a field takes, with its list of values (`ALL`), their
/// words (`WORDS`, in the same order), `as_str` and `from_word`: one list for each fact.
macro_rules! word_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $word:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: [$name; [$($word),*].len()] = [$($name::$variant),*];
            /// The site document's words, in the order of [`Self::ALL`].
            pub const WORDS: [&'static str; [$($word),*].len()] = [$($word),*];

            /// The site document's word for it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $word, )*
                }
            }

            /// The word as ipxegen's own text for a script (checked when the program is built).
            pub const fn words(self) -> crate::ipxe::script::Words {
                match self {
                    $( $name::$variant => crate::words!($word), )*
                }
            }

            /// The value the site document calls `word`.
            pub fn from_word(word: &str) -> Option<Self> {
                match word {
                    $( $word => Some($name::$variant), )*
                    _ => None,
                }
            }

            /// Its position in [`Self::ALL`].
            pub const fn ordinal(self) -> u8 {
                let mut n = 0;
                $(
                    if matches!(self, $name::$variant) {
                        return n;
                    }
                    n += 1;
                )*
                n
            }
        }
    };
}

mod arch;
mod id;
pub mod ip;
mod mac;
mod node;
mod site;
mod template;
pub(crate) mod text;
mod url;
mod uuid;

pub use arch::{ClientArch, LoaderKind};
pub use id::NodeId;
pub use mac::{HexHyp, MacAddr};
pub use node::{
    Boot, Chap, ChapValue, Firmware, Image, ImageName, InstallSource, Iqn, IscsiTarget, Mode, Nic,
    Node, Source,
};
pub use site::{OnRetriesExhausted, ScriptRef, SiteConfig};
pub use template::{AnyTemplate, Loaded, TemplateFile, TemplateRef, TemplateSlot, Writes};
pub use text::{
    JsonStr, KernelArgs, LocalPath, Name, NodeArgs, Piece, Position, Quoted, check_literal,
};
pub use url::{FETCH_SCHEMES, HTTP_SCHEMES, Host, HttpBase, Scheme, Url};
pub use uuid::{DUID_UUID_TYPE, Duid, SystemUuid};
