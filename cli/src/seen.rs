//! What the core's whole-site check has seen, in hash maps: each value is looked up in O(1),
//! so checking a site takes time linear in its size.

use ipxegen_core::site::{Holder, SeenFull, SeenValues, Unique};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Every id, MAC and reserved address met so far, with the node that had it first.
#[derive(Debug, Default)]
pub struct SeenMaps<'a> {
    seen: HashMap<Unique<'a>, Holder<'a>>,
}

impl<'a> SeenValues<'a> for SeenMaps<'a> {
    fn first_holder(
        &mut self,
        value: Unique<'a>,
        holder: Holder<'a>,
    ) -> Result<Option<Holder<'a>>, SeenFull> {
        Ok(match self.seen.entry(value) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(slot) => {
                slot.insert(holder);
                None
            }
        })
    }
}
